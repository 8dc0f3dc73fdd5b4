/**
 * Search-space helpers shared by the samplers. Pure.
 *
 * - `intersectionSearchSpace`: params every finished trial has with one
 *   distribution (what a joint model can be fitted on);
 * - `groupDecomposedSearchSpace`: the same params split into groups that
 *   always appear together (conditional spaces: each branch is a group);
 * - `toUnit` / `fromUnit`: a numeric param's value ↔ [0, 1] (log scale and
 *   steps handled), the coordinates GP-BO and CMA-ES work in.
 */
import type { Distribution, ParamValue } from './distributions.js';
import type { FrozenTrial, StudyView, TrialState } from './study-view.js';

/**
 * Same kind, bounds and choices — `sameDistribution` without serialising,
 * for the hot loops that compare every trial's distributions.
 */
export function equalDistributions(a: Distribution, b: Distribution): boolean {
  if (a === b) return true;
  if (a.kind === 'categorical' || b.kind === 'categorical') {
    if (a.kind !== 'categorical' || b.kind !== 'categorical' || a.choices.length !== b.choices.length) return false;
    return a.choices.every((c, i) => c === b.choices[i]);
  }
  return a.kind === b.kind && a.low === b.low && a.high === b.high && a.log === b.log && a.step === b.step;
}

const FITTED_STATES: readonly TrialState[] = ['COMPLETE', 'PRUNED'];

/** Params present with the same distribution in every COMPLETE or PRUNED trial (empty if none finished). */
export function intersectionSearchSpace(study: StudyView): Record<string, Distribution> {
  return new IntersectionSearchSpace().of(study);
}

/**
 * `intersectionSearchSpace` kept across calls: COMPLETE and PRUNED trials
 * never change, so each call folds in only the trials it has not seen yet.
 * Trials below the watermark (all finished, in a dense run of numbers from 0)
 * are skipped without a look-up. One instance follows one study; another
 * study's view starts it afresh.
 */
export class IntersectionSearchSpace {
  private studyId: string | null = null;
  private space: Map<string, Distribution> | null = null;
  private readonly seen = new Set<number>();
  /** Every trial numbered below this is finished and folded in. */
  private watermark = 0;
  private result: Record<string, Distribution> = {};
  private stale = true;

  of(study: StudyView): Record<string, Distribution> {
    if (study.id !== this.studyId) {
      this.studyId = study.id;
      this.space = null;
      this.seen.clear();
      this.watermark = 0;
      this.stale = true;
    }
    const trials = study.trials();
    // Numbers are dense from 0 in number order in the views Cairn builds; check before trusting the index.
    let i = trials[this.watermark - 1]?.number === this.watermark - 1 ? this.watermark : 0;
    let settled = i === this.watermark;
    for (; i < trials.length; i++) {
      const t = trials[i]!;
      const state = t.state;
      if (settled && (t.number !== i || !(state === 'COMPLETE' || state === 'PRUNED' || state === 'FAIL'))) settled = false;
      if (settled) this.watermark = i + 1;
      if ((state !== 'COMPLETE' && state !== 'PRUNED') || this.seen.has(t.number)) continue;
      this.seen.add(t.number);
      if (this.space === null) {
        this.space = new Map(Object.entries(t.distributions));
        this.stale = true;
        continue;
      }
      for (const [name, d] of this.space) {
        const other = t.distributions[name];
        if (!other || !equalDistributions(d, other)) {
          this.space.delete(name);
          this.stale = true;
        }
      }
    }
    if (this.stale) {
      this.result = Object.fromEntries([...(this.space ?? new Map<string, Distribution>())].sort(([a], [b]) => (a < b ? -1 : 1)));
      this.stale = false;
    }
    return { ...this.result };
  }
}

/**
 * Groups of params that appear together: each finished trial's param set
 * splits the groups it cuts. A param whose distribution changed between
 * trials is dropped. Groups are sorted by their first name.
 */
export function groupDecomposedSearchSpace(study: StudyView): Record<string, Distribution>[] {
  const dists = new Map<string, Distribution>();
  const dropped = new Set<string>();
  let groups: Set<string>[] = [];
  for (const t of study.trials(FITTED_STATES)) {
    const names = new Set<string>();
    for (const [name, d] of Object.entries(t.distributions)) {
      const known = dists.get(name);
      if (known && !equalDistributions(known, d)) dropped.add(name);
      if (!known) dists.set(name, d);
      names.add(name);
    }
    const next: Set<string>[] = [];
    const covered = new Set<string>();
    for (const g of groups) {
      const inside = new Set([...g].filter((n) => names.has(n)));
      const outside = new Set([...g].filter((n) => !names.has(n)));
      for (const n of inside) covered.add(n);
      if (inside.size > 0) next.push(inside);
      if (outside.size > 0) next.push(outside);
    }
    const fresh = new Set([...names].filter((n) => !covered.has(n)));
    if (fresh.size > 0) next.push(fresh);
    groups = next;
  }
  return groups
    .map((g) => [...g].filter((n) => !dropped.has(n)).sort())
    .filter((g) => g.length > 0)
    .sort((a, b) => (a[0]! < b[0]! ? -1 : 1))
    .map((g) => Object.fromEntries(g.map((n) => [n, dists.get(n)!])));
}

/** The trial holds `name` with exactly distribution `d`. */
export const hasParam = (t: FrozenTrial, name: string, d: Distribution): boolean => {
  const own = t.distributions[name];
  return own !== undefined && name in t.params && equalDistributions(own, d);
};

type Numeric = Exclude<Distribution, { kind: 'categorical' }>;

/** Bounds of a numeric distribution in its internal scale (log if `log`), widened by half a step for discrete ones. */
export function internalBounds(d: Numeric): [number, number] {
  const half = d.kind === 'int' || d.step !== null ? (d.step ?? 1) / 2 : 0;
  if (d.log) return [Math.log(d.low - half), Math.log(d.high + half)];
  return [d.low - half, d.high + half];
}

/** Value → internal scale (log for log params). */
export const toInternal = (d: Numeric, v: number): number => (d.log ? Math.log(v) : v);

/** Internal-scale value → the nearest value the distribution can produce. */
export function fromInternal(d: Numeric, x: number): number {
  let v = d.log ? Math.exp(x) : x;
  if (d.kind === 'int' || d.step !== null) {
    const step = d.step ?? 1;
    const kMax = Math.floor((d.high - d.low) / step + 1e-8);
    const k = Math.min(kMax, Math.max(0, Math.round((v - d.low) / step)));
    // Keep step grids exact in binary floating point.
    return d.kind === 'int' ? Math.round(d.low + k * step) : Number((d.low + k * step).toPrecision(14));
  }
  return Math.min(d.high, Math.max(d.low, v));
}

/** Numeric value → [0, 1]. */
export function toUnit(d: Numeric, v: number): number {
  const [lo, hi] = internalBounds(d);
  return hi > lo ? (toInternal(d, v) - lo) / (hi - lo) : 0.5;
}

/** [0, 1] → a value the distribution contains. */
export function fromUnit(d: Numeric, u: number): number {
  const [lo, hi] = internalBounds(d);
  return fromInternal(d, lo + Math.min(1, Math.max(0, u)) * (hi - lo));
}

/** Index of a categorical value among the choices (−1 if absent). */
export const choiceIndex = (d: Extract<Distribution, { kind: 'categorical' }>, v: ParamValue): number =>
  d.choices.findIndex((c) => c === v);
