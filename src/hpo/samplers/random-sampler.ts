import type { Distribution, ParamValue } from '../distributions.js';
import type { Sampler } from '../sampler.js';
import { SeededRandom } from '../seeded-random.js';
import { fromUnit } from '../unit-transform.js';

/** Independent uniform sampling (log-uniform on log scales). Reproducible from `seed`. */
export class RandomSampler implements Sampler {
  private readonly rng: SeededRandom;
  constructor(opts: { seed?: number } = {}) {
    this.rng = new SeededRandom(opts.seed);
  }
  inferRelativeSpace(): Record<string, Distribution> { return {}; }
  sampleRelative(): Record<string, ParamValue> { return {}; }
  sampleIndependent(_s: unknown, _t: unknown, _name: string, d: Distribution): ParamValue {
    return fromUnit(d, this.rng.next());
  }
}
