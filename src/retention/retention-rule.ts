/**
 * Which runs a retention policy keeps: pure. "Keep the best N runs of an
 * experiment by a metric" — plus every run that backs a registered model
 * version and every run still RUNNING, which are kept whatever their metric
 * and do not count towards N.
 */
import { InvalidArgument } from '../core/errors.js';

export const RETENTION_MODES = ['min', 'max'] as const;
/** `min`: lower is better (a loss); `max`: higher is better (an accuracy). */
export type RetentionMode = (typeof RETENTION_MODES)[number];
export const isRetentionMode = (s: unknown): s is RetentionMode => (RETENTION_MODES as readonly unknown[]).includes(s);

export interface RetentionPolicy {
  /** How many of the best runs to keep; at least 1. */
  readonly keep: number;
  /** The metric ranked on: each run's latest value. */
  readonly metric: string;
  readonly mode: RetentionMode;
}

export interface RetentionCandidate {
  readonly runId: string;
  readonly name: string;
  /** The run's latest value of the policy's metric; null when it has none (NaN counts as none). */
  readonly value: number | null;
  readonly running: boolean;
  /** True when a registered model version names this run as its source. */
  readonly registered: boolean;
}

export const DECISION_REASONS = ['best', 'registered', 'running', 'outranked', 'no-metric'] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

export interface RetentionDecision {
  readonly runId: string;
  readonly name: string;
  readonly value: number | null;
  readonly keep: boolean;
  /** Why: `best`, `registered` and `running` keep; `outranked` and `no-metric` go. */
  readonly reason: DecisionReason;
}

/** @throws InvalidArgument naming the fix, for a policy no run could be ranked by. */
export function checkRetentionPolicy(p: RetentionPolicy): void {
  if (!Number.isSafeInteger(p.keep) || p.keep < 1) throw new InvalidArgument(`keep must be a whole number of runs, at least 1; got ${p.keep}`);
  if (typeof p.metric !== 'string' || p.metric.trim() === '') throw new InvalidArgument('name the metric to rank runs by, e.g. --metric val_loss');
  if (!isRetentionMode(p.mode)) throw new InvalidArgument(`mode must be min (lower is better) or max (higher is better); got '${String(p.mode)}'`);
}

/**
 * Decides every candidate, in ranking order: protected runs first, then the
 * ranked ones best first (ties by run id, so a plan is reproducible), then
 * runs without the metric.
 */
export function planRetention(runs: readonly RetentionCandidate[], policy: RetentionPolicy): RetentionDecision[] {
  checkRetentionPolicy(policy);
  const decide = (r: RetentionCandidate, keep: boolean, reason: DecisionReason): RetentionDecision =>
    ({ runId: r.runId, name: r.name, value: r.value, keep, reason });
  const protectedRuns = runs.filter((r) => r.registered || r.running);
  const ranked = runs.filter((r) => !r.registered && !r.running && r.value !== null)
    .sort((a, b) => (policy.mode === 'min' ? a.value! - b.value! : b.value! - a.value!) || (a.runId < b.runId ? -1 : 1));
  const unranked = runs.filter((r) => !r.registered && !r.running && r.value === null);
  return [
    ...protectedRuns.map((r) => decide(r, true, r.registered ? 'registered' : 'running')),
    ...ranked.map((r, i) => (i < policy.keep ? decide(r, true, 'best') : decide(r, false, 'outranked'))),
    ...unranked.map((r) => decide(r, false, 'no-metric')),
  ];
}
