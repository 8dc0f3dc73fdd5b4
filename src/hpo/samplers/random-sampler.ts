/**
 * Uniform random sampling: uniform in each param's internal scale (log scale
 * for log params, the step grid for discrete ones). The startup phase of the
 * model-based samplers. Pure over its seeded RNG.
 */
import type { Distribution, ParamValue } from '../distributions.js';
import type { Sampler } from '../sampler.js';
import { fromInternal, internalBounds } from '../sampler-space.js';
import { SeededRandom } from '../seeded-random.js';
import type { FrozenTrial, StudyView } from '../study-view.js';

/** One uniform draw from `d`. */
export function sampleUniform(rng: SeededRandom, d: Distribution): ParamValue {
  if (d.kind === 'categorical') return d.choices[rng.int(d.choices.length)]!;
  const [lo, hi] = internalBounds(d);
  return fromInternal(d, rng.uniform(lo, hi));
}

/** Independent uniform sampling of every param; no relative space. */
export class RandomSampler implements Sampler {
  private readonly rng: SeededRandom;

  constructor(options: { seed?: number } = {}) {
    this.rng = new SeededRandom(options.seed);
  }

  inferRelativeSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(_study: StudyView, _trial: FrozenTrial, _name: string, distribution: Distribution): ParamValue {
    return sampleUniform(this.rng, distribution);
  }
}
