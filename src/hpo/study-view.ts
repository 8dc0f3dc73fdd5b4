/**
 * What samplers and pruners see of a study: frozen snapshots. A snapshot
 * never changes after it is handed out; later writes produce new snapshots.
 */
import type { Distribution, ParamValue } from './distributions.js';

export const TRIAL_STATES = ['WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];
export const isTrialState = (v: unknown): v is TrialState =>
  typeof v === 'string' && (TRIAL_STATES as readonly string[]).includes(v);
export const isFinishedState = (s: TrialState): boolean => s === 'COMPLETE' || s === 'PRUNED' || s === 'FAIL';

export const DIRECTIONS = ['minimize', 'maximize'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface FrozenTrial {
  /** 0-based, dense per study, in creation order. */
  readonly number: number;
  readonly id: string;
  readonly state: TrialState;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** One value per objective once COMPLETE; null otherwise. */
  readonly values: readonly number[] | null;
  /** Intermediate values reported by step (for pruners), ascending by step. */
  readonly intermediate: ReadonlyArray<readonly [step: number, value: number]>;
  /** Fixed params from `enqueue` (the sampler must use them). */
  readonly fixedParams: Readonly<Record<string, ParamValue>>;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
}

export interface StudyView {
  readonly id: string;
  readonly name: string;
  readonly directions: readonly Direction[];
  /** Trials in number order, optionally only those in `states`. Snapshots. */
  trials(states?: readonly TrialState[]): readonly FrozenTrial[];
}

/** −value for maximize, so every algorithm can minimize. */
export const toMinimize = (v: number, d: Direction): number => (d === 'maximize' ? -v : v);
