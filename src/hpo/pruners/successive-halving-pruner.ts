import { InvalidArgument } from '../../core/errors.js';
import type { Pruner } from '../sampler.js';
import { toMinimize, type FrozenTrial, type StudyView } from '../study-view.js';

export interface SuccessiveHalvingOptions {
  /** Steps a trial gets before its first rung. Default 1. */
  readonly minResource?: number;
  /** Keep the best 1/`reductionFactor` at each rung. Default 3. */
  readonly reductionFactor?: number;
  /** Shifts the first rung to `minResource * rf^s`. Default 0. */
  readonly minEarlyStoppingRate?: number;
}

/**
 * Asynchronous successive halving (ASHA): rung `k` sits at step
 * `minResource * rf^(k + s)`. When a trial first reports at or past a rung,
 * it is compared with every trial (running or finished) that has reached the
 * same rung and continues only if it is in the best 1/rf of them. No trial
 * ever waits for others, so it suits many parallel workers.
 */
export class SuccessiveHalvingPruner implements Pruner {
  private readonly min: number;
  private readonly rf: number;
  private readonly s: number;

  constructor(opts: SuccessiveHalvingOptions = {}) {
    this.min = opts.minResource ?? 1;
    this.rf = opts.reductionFactor ?? 3;
    this.s = opts.minEarlyStoppingRate ?? 0;
    if (!(this.min > 0)) throw new InvalidArgument(`minResource must be > 0; got ${this.min}`);
    if (!(this.rf >= 2)) throw new InvalidArgument(`reductionFactor must be >= 2; got ${this.rf}`);
    if (!(this.s >= 0)) throw new InvalidArgument(`minEarlyStoppingRate must be >= 0; got ${this.s}`);
  }

  rungStep(k: number): number {
    return this.min * this.rf ** (k + this.s);
  }

  /** The trial's value at rung `k`: its first report at or past the rung's step. */
  private valueAt(t: FrozenTrial, k: number): number | undefined {
    const step = this.rungStep(k);
    return t.intermediate.find(([s]) => s >= step)?.[1];
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    if (study.directions.length !== 1) return false;
    const dir = study.directions[0] ?? 'minimize';
    const n = trial.intermediate.length;
    const last = trial.intermediate[n - 1];
    if (!last) return false;
    const prev = n > 1 ? (trial.intermediate[n - 2] as readonly [number, number])[0] : -Infinity;
    // The rung just crossed by the latest report, if any.
    let k = -1;
    while (this.rungStep(k + 1) <= last[0]) k++;
    if (k < 0 || this.rungStep(k) <= prev) return false;
    const mine = toMinimize(last[1], dir);
    if (Number.isNaN(mine)) return true;
    const competing: number[] = [];
    for (const t of study.trials()) {
      if (t.id === trial.id) continue;
      const v = this.valueAt(t, k);
      if (v !== undefined && !Number.isNaN(v)) competing.push(toMinimize(v, dir));
    }
    competing.push(mine);
    competing.sort((a, b) => a - b);
    const keep = Math.max(1, Math.floor(competing.length / this.rf));
    return mine > (competing[keep - 1] as number);
  }
}
