import { InvalidArgument } from '../../core/errors.js';
import type { Pruner } from '../sampler.js';
import type { FrozenTrial, StudyView } from '../study-view.js';
import { SuccessiveHalvingPruner } from './successive-halving-pruner.js';

export interface HyperbandOptions {
  readonly minResource?: number;
  /** The step budget of a full trial. Required. */
  readonly maxResource: number;
  readonly reductionFactor?: number;
}

/**
 * Hyperband over ASHA brackets: bracket `b` is successive halving with
 * early-stopping rate `b`, so brackets range from aggressive to no pruning.
 * A trial joins a bracket by its number, weighted by each bracket's budget,
 * and competes only with trials of its own bracket.
 */
export class HyperbandPruner implements Pruner {
  private readonly brackets: SuccessiveHalvingPruner[];
  private readonly weights: number[];

  constructor(opts: HyperbandOptions) {
    const min = opts.minResource ?? 1;
    const rf = opts.reductionFactor ?? 3;
    if (!(opts.maxResource >= min)) throw new InvalidArgument(`maxResource (${opts.maxResource}) must be >= minResource (${min})`);
    if (!(rf >= 2)) throw new InvalidArgument(`reductionFactor must be >= 2; got ${rf}`);
    const n = Math.floor(Math.log(opts.maxResource / min) / Math.log(rf) + 1e-9) + 1;
    this.brackets = Array.from({ length: n }, (_, b) => new SuccessiveHalvingPruner({ minResource: min, reductionFactor: rf, minEarlyStoppingRate: b }));
    // Optuna's budget per bracket: ceil(n * rf^(n-1-b) / (n - b)).
    this.weights = Array.from({ length: n }, (_, b) => Math.ceil((n * rf ** (n - 1 - b)) / (n - b)));
  }

  get bracketCount(): number { return this.brackets.length; }

  /** Deterministic bracket of a trial number, proportional to the bracket budgets. */
  bracketOf(number: number): number {
    const total = this.weights.reduce((a, b) => a + b, 0);
    let r = Math.imul(number + 1, 0x9e3779b1) >>> 0;
    r %= total;
    for (let b = 0; b < this.weights.length; b++) {
      r -= this.weights[b] as number;
      if (r < 0) return b;
    }
    return this.weights.length - 1;
  }

  prune(study: StudyView, trial: FrozenTrial): boolean {
    const b = this.bracketOf(trial.number);
    const view: StudyView = {
      id: study.id, name: study.name, directions: study.directions,
      trials: (states) => study.trials(states).filter((t) => this.bracketOf(t.number) === b),
    };
    return (this.brackets[b] as SuccessiveHalvingPruner).prune(view, trial);
  }
}
