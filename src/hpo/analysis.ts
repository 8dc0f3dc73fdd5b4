/**
 * Study analysis for reports and the UI: best trials, the Pareto front,
 * optimisation history and parallel-coordinates data. Pure over frozen trials.
 */
import type { ParamValue } from './distributions.js';
import { toMinimize, type Direction, type FrozenTrial } from './study-view.js';

/** True when `a` is at least as good in every objective and better in one. */
export function dominates(a: readonly number[], b: readonly number[], dirs: readonly Direction[]): boolean {
  let better = false;
  for (let i = 0; i < dirs.length; i++) {
    const x = toMinimize(a[i] as number, dirs[i] as Direction);
    const y = toMinimize(b[i] as number, dirs[i] as Direction);
    if (x > y) return false;
    if (x < y) better = true;
  }
  return better;
}

const complete = (trials: readonly FrozenTrial[]) => trials.filter((t) => t.state === 'COMPLETE' && t.values !== null);

/** Completed trials no other completed trial dominates, in number order. */
export function paretoFront(trials: readonly FrozenTrial[], dirs: readonly Direction[]): FrozenTrial[] {
  const c = complete(trials);
  return c.filter((t) => !c.some((o) => o !== t && dominates(o.values as number[], t.values as number[], dirs)));
}

/** The best completed trial of a single-objective study (first one on ties), or null. */
export function bestTrial(trials: readonly FrozenTrial[], dir: Direction): FrozenTrial | null {
  let best: FrozenTrial | null = null;
  for (const t of complete(trials)) {
    if (!best || toMinimize((t.values as number[])[0] as number, dir) < toMinimize((best.values as number[])[0] as number, dir)) best = t;
  }
  return best;
}

export interface HistoryPoint {
  readonly number: number;
  readonly value: number;
  /** Best value up to and including this trial. */
  readonly best: number;
}

/** Objective `objective` of each completed trial with the running best. */
export function optimizationHistory(trials: readonly FrozenTrial[], dir: Direction, objective = 0): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  let best = NaN;
  for (const t of complete(trials)) {
    const v = (t.values as number[])[objective] as number;
    if (Number.isNaN(best) || toMinimize(v, dir) < toMinimize(best, dir)) best = v;
    out.push({ number: t.number, value: v, best });
  }
  return out;
}

export interface ParallelCoordinates {
  readonly params: readonly string[];
  readonly objectives: readonly string[];
  /** One row per completed trial: params (null when a conditional param was inactive), then values. */
  readonly rows: ReadonlyArray<{ readonly number: number; readonly params: readonly ParamValue[]; readonly values: readonly number[] }>;
}

export function parallelCoordinates(trials: readonly FrozenTrial[], objectives: readonly string[]): ParallelCoordinates {
  const c = complete(trials);
  const params = [...new Set(c.flatMap((t) => Object.keys(t.params)))].sort();
  return {
    params,
    objectives,
    rows: c.map((t) => ({ number: t.number, params: params.map((p) => t.params[p] ?? null), values: t.values as number[] })),
  };
}
