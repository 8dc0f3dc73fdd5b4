/**
 * The sampler plugin contract. A sampler proposes param values for a trial
 * given the study's history. Two paths:
 *
 * - relative: `inferRelativeSpace` names params it wants to sample jointly
 *   (usually those seen with one fixed distribution in finished trials), and
 *   `sampleRelative` returns values for them at once (multivariate TPE,
 *   GP-BO, CMA-ES);
 * - independent: `sampleIndependent` samples one param the relative path did
 *   not cover (new, conditional or dynamic params; univariate TPE; random).
 *
 * Contract: pure over its inputs plus its own seeded RNG state; never writes
 * to the study; returns values that `contains(distribution, value)`. Must be
 * safe when several trials run at once (see `TrialState` RUNNING trials in
 * the view; a constant-liar option treats them as pessimistic results).
 * Names read `<Algorithm>Sampler`: `RandomSampler`, `TpeSampler`, `GpSampler`.
 */
import type { Distribution, ParamValue } from './distributions.js';
import type { FrozenTrial, StudyView } from './study-view.js';

export interface Sampler {
  inferRelativeSpace(study: StudyView, trial: FrozenTrial): Record<string, Distribution>;
  sampleRelative(study: StudyView, trial: FrozenTrial, space: Readonly<Record<string, Distribution>>): Record<string, ParamValue>;
  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue;
  /** Optional hook after a trial finishes (e.g. CMA-ES generation bookkeeping). */
  afterTrial?(study: StudyView, trial: FrozenTrial): void;
}

/**
 * The pruner plugin contract: given a RUNNING trial that just reported an
 * intermediate value, say whether to stop it. Pure over the study view.
 * Names read `<Algorithm>Pruner`: `MedianPruner`, `AshaPruner`.
 */
export interface Pruner {
  prune(study: StudyView, trial: FrozenTrial): boolean;
}
