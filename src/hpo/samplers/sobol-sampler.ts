import type { Distribution, ParamValue } from '../distributions.js';
import type { Sampler } from '../sampler.js';
import type { FrozenTrial, StudyView } from '../study-view.js';
import { fromUnit } from '../unit-transform.js';
import { RandomSampler } from './random-sampler.js';
import { SobolSequence } from './sobol-sequence.js';

/**
 * Quasi-random (QMC) sampling: the search space is taken from the first
 * finished trial (sampled at random, like Optuna's QMCSampler) and trial `n`
 * takes point `n` of a scrambled Sobol sequence, so the points fill the
 * space more evenly than independent draws. Params outside that space
 * (conditional ones) are sampled at random.
 */
export class SobolSampler implements Sampler {
  private readonly random: RandomSampler;
  private seq: { key: string; s: SobolSequence } | null = null;
  private readonly seed: number;
  private readonly scramble: boolean;

  constructor(opts: { seed?: number; scramble?: boolean } = {}) {
    this.seed = opts.seed ?? Date.now();
    this.scramble = opts.scramble ?? true;
    this.random = new RandomSampler({ seed: this.seed + 1 });
  }

  inferRelativeSpace(study: StudyView): Record<string, Distribution> {
    const first = study.trials(['COMPLETE', 'PRUNED'])[0];
    if (!first) return {};
    const out: Record<string, Distribution> = {};
    for (const n of Object.keys(first.distributions).sort()) {
      const d = first.distributions[n] as Distribution;
      if (d.kind !== 'categorical' || d.choices.length > 1) out[n] = d;
    }
    return out;
  }

  sampleRelative(_s: StudyView, trial: FrozenTrial, space: Readonly<Record<string, Distribution>>): Record<string, ParamValue> {
    const names = Object.keys(space);
    if (names.length === 0) return {};
    const key = names.join('\u0000');
    if (this.seq?.key !== key) this.seq = { key, s: new SobolSequence(names.length, this.scramble ? this.seed : undefined) };
    const u = this.seq.s.point(trial.number);
    const out: Record<string, ParamValue> = {};
    names.forEach((n, i) => { out[n] = fromUnit(space[n] as Distribution, u[i] as number); });
    return out;
  }

  sampleIndependent(s: StudyView, t: FrozenTrial, name: string, d: Distribution): ParamValue {
    return this.random.sampleIndependent(s, t, name, d);
  }
}
