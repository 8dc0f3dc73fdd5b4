/**
 * Shared fixtures for sampler tests: small objectives with known optima and
 * the checks every sampler must pass (values inside their distributions,
 * same seed → same trials). Pure.
 */
import { contains, type Distribution } from '../distributions.js';
import { optimizeInMemory, type Objective } from '../in-memory-study.js';
import type { Sampler } from '../sampler.js';
import type { StudyView } from '../study-view.js';

/** A d-dimensional sphere on [−5, 5]^d shifted to (1, 1, …); minimum 0. */
export function sphere(d: number): Objective {
  return (t) => Array.from({ length: d }, (_, i) => (t.suggestFloat(`x${i}`, -5, 5) - 1) ** 2).reduce((s, v) => s + v, 0);
}

/**
 * Every kind of param, with a conditional branch: categorical (with null and
 * boolean choices), log float, log int, stepped float and stepped int.
 * Minimum 0 at opt = 'b', lr = 1e-2, n = 8, width = 0.5.
 */
export const mixedConditional: Objective = (t) => {
  const opt = t.suggestCategorical('opt', ['a', 'b', null, true]);
  const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
  const base = (Math.log10(lr) + 2) ** 2;
  if (opt === 'b') {
    const n = t.suggestInt('n', 1, 256, { log: true });
    const width = t.suggestFloat('width', 0, 1, { step: 0.1 });
    return base + (Math.log2(n) - 3) ** 2 + 4 * (width - 0.5) ** 2;
  }
  const k = t.suggestInt('k', 0, 20, { step: 4 });
  return 3 + base + k / 20;
};

/** Best (lowest) first-objective value of the study's COMPLETE trials. */
export const bestValue = (study: StudyView): number => Math.min(...study.trials(['COMPLETE']).map((t) => t.values![0]!));

/** Median of the best values over the given seeds. */
export function medianBest(make: (seed: number) => Sampler, objective: Objective, nTrials: number, seeds: readonly number[]): number {
  const bests = seeds.map((s) => bestValue(optimizeInMemory(make(s), objective, nTrials))).sort((a, b) => a - b);
  return bests[bests.length >> 1]!;
}

/** Every param of every trial lies inside its distribution; returns how many values were checked. */
export function checkInside(study: StudyView): number {
  let n = 0;
  for (const t of study.trials()) {
    for (const [name, v] of Object.entries(t.params)) {
      const d: Distribution = t.distributions[name]!;
      if (!contains(d, v)) throw new Error(`trial ${t.number}: ${name} = ${JSON.stringify(v)} is outside ${JSON.stringify(d)}`);
      n++;
    }
  }
  return n;
}

/** The params of each trial, for determinism checks. */
export const paramsOf = (study: StudyView): unknown[] => study.trials().map((t) => t.params);
