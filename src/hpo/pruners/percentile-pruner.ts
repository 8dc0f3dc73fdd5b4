import { InvalidArgument } from '../../core/errors.js';
import type { Pruner } from '../sampler.js';
import { toMinimize, type FrozenTrial, type StudyView } from '../study-view.js';

export interface PercentileOptions {
  /** Never prune until this many trials have finished. Default 5. */
  readonly nStartupTrials?: number;
  /** Never prune before this step. Default 0. */
  readonly nWarmupSteps?: number;
  /** Decide only every `intervalSteps` steps after the warm-up. Default 1. */
  readonly intervalSteps?: number;
  /** Need at least this many other trials with a value at the step. Default 1. */
  readonly nMinTrials?: number;
}

/** Linear-interpolated percentile of ascending `xs` (numpy's default). */
export function percentileOf(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = ((s.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/**
 * Prunes a trial whose best intermediate value so far is worse than the
 * `percentile`-th best of the finished trials' values at the same step
 * (in the minimising sense: percentile 25 keeps the top quarter).
 */
export class PercentilePruner implements Pruner {
  private readonly o: Required<PercentileOptions>;
  constructor(private readonly percentile: number, opts: PercentileOptions = {}) {
    if (!(percentile >= 0 && percentile <= 100)) throw new InvalidArgument(`percentile must be in [0, 100]; got ${percentile}`);
    this.o = { nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1, ...opts };
    if (this.o.intervalSteps < 1) throw new InvalidArgument('intervalSteps must be >= 1');
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (study.directions.length !== 1) return false;
    const last = trial.intermediate.at(-1);
    if (!last) return false;
    const [step] = last;
    if (step < this.o.nWarmupSteps || (step - this.o.nWarmupSteps) % this.o.intervalSteps !== 0) return false;
    const dir = study.directions[0] ?? 'minimize';
    const done = study.trials(['COMPLETE', 'PRUNED']).filter((t) => t.id !== trial.id);
    if (study.trials(['COMPLETE']).length < this.o.nStartupTrials) return false;
    const others: number[] = [];
    for (const t of done) {
      const v = t.intermediate.find(([s]) => s === step)?.[1];
      if (v !== undefined && !Number.isNaN(v)) others.push(toMinimize(v, dir));
    }
    if (others.length < this.o.nMinTrials) return false;
    const best = Math.min(...trial.intermediate.map(([, v]) => toMinimize(v, dir)).filter((v) => !Number.isNaN(v)));
    if (best === Infinity) return true; // only NaN reported so far
    return best > percentileOf(others, this.percentile);
  }
}

/** The median rule: prune when worse than the median of finished trials at the same step. */
export class MedianPruner extends PercentilePruner {
  constructor(opts: PercentileOptions = {}) {
    super(50, opts);
  }
}
