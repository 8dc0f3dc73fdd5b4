/** The Cairn samplers the HPO benchmarks compare, by name, each built from a seed. */
import type { Sampler } from '../../src/hpo/sampler.js';
import { CmaEsSampler } from '../../src/hpo/samplers/cma-es-sampler.js';
import { GpSampler } from '../../src/hpo/samplers/gp-sampler.js';
import { RandomSampler } from '../../src/hpo/samplers/random-sampler.js';
import { TpeSampler, type TpeOptions } from '../../src/hpo/samplers/tpe-sampler.js';
import { TwoPhaseSampler } from '../../src/hpo/samplers/two-phase-sampler.js';

let customTpeOptions: TpeOptions = {};

/** Sets the options of the 'tpe-custom' entry (tuning runs). */
export function setCustomTpeOptions(options: TpeOptions): void {
  customTpeOptions = options;
}

export const SAMPLERS: Record<string, (seed: number) => Sampler> = {
  tpe: (seed) => new TpeSampler({ seed }),
  'tpe-univariate': (seed) => new TpeSampler({ seed, multivariate: false }),
  /** Tuning: TPE with the options given by `--tpe-options '<json>'` (see `setCustomTpeOptions`). */
  'tpe-custom': (seed) => new TpeSampler({ seed, ...customTpeOptions }),
  gp: (seed) => new GpSampler({ seed }),
  'gp-nowarp': (seed) => new GpSampler({ seed, warp: false }),
  cmaes: (seed) => new CmaEsSampler({ seed }),
  'two-phase': (seed) => new TwoPhaseSampler({ seed }),
  random: (seed) => new RandomSampler({ seed }),
};

/** Samplers whose cost per trial grows like n³: run with fewer seeds and trials. */
export const SLOW_SAMPLERS: ReadonlySet<string> = new Set(['gp', 'gp-nowarp']);
