/**
 * CMA-ES as a sampler. The relative space is the intersection's numeric
 * params, scaled to [0, 1] (log where asked; ints rounded on the way out).
 * Each trial takes one candidate of the current generation; once λ of a
 * generation's trials are COMPLETE the distribution is updated, so trials
 * that fail, are pruned or still run simply leave the generation to be
 * filled by later trials. Categorical params and params outside the space
 * are sampled at random. One objective.
 *
 * The optimiser's state lives in this instance (one per study id): drive a
 * study with one sampler instance.
 */
import { InvalidArgument } from '../../core/errors.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { Sampler } from '../sampler.js';
import { fromUnit, intersectionSearchSpace } from '../sampler-space.js';
import { SeededRandom } from '../seeded-random.js';
import { toMinimize, type FrozenTrial, type StudyView } from '../study-view.js';
import { CmaEs } from './cma-es.js';
import { sampleUniform } from './random-sampler.js';

export interface CmaEsOptions {
  readonly seed?: number;
  /** Initial step size in the unit box. Default 0.2. */
  readonly sigma0?: number;
  /** Population size; default 4 + ⌊3 ln n⌋. */
  readonly popsize?: number;
  /** Random trials before CMA-ES starts (they fix the relative space). Default 1. */
  readonly nStartupTrials?: number;
}

interface StudyState {
  readonly names: string;
  readonly es: CmaEs;
  /** trial number → (generation tag, unit point). */
  readonly assigned: Map<number, { readonly tag: number; readonly x: readonly number[] }>;
  tag: number;
}

/**
 * CMA-ES over a study's numeric params.
 *
 * @example
 * optimizeInMemory(new CmaEsSampler({ seed: 1 }), objective, 200);
 */
export class CmaEsSampler implements Sampler {
  private readonly rng: SeededRandom;
  private readonly states = new Map<string, StudyState>();

  constructor(private readonly options: CmaEsOptions = {}) {
    this.rng = new SeededRandom(options.seed);
  }

  inferRelativeSpace(study: StudyView): Record<string, Distribution> {
    if (study.directions.length !== 1) throw new InvalidArgument(`CmaEsSampler optimises one objective; this study has ${study.directions.length}`);
    return Object.fromEntries(Object.entries(intersectionSearchSpace(study)).filter(([, d]) => d.kind !== 'categorical' && d.high > d.low));
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: Readonly<Record<string, Distribution>>): Record<string, ParamValue> {
    const names = Object.keys(space);
    if (names.length === 0 || study.trials(['COMPLETE']).length < (this.options.nStartupTrials ?? 1)) return {};
    const dists = names.map((n) => space[n]!) as Exclude<Distribution, { kind: 'categorical' }>[];
    const state = this.state(study, names.join('\u0000'), names.length);
    // Tell the generation once λ of its trials are complete.
    const done: [number[], number][] = [];
    for (const t of study.trials(['COMPLETE'])) {
      const a = state.assigned.get(t.number);
      if (a && a.tag === state.tag && t.values) done.push([[...a.x], toMinimize(t.values[0]!, study.directions[0]!)]);
    }
    if (done.length >= state.es.lambda) {
      state.es.tell(done);
      state.tag++;
    }
    const x = state.es.ask(this.rng);
    state.assigned.set(trial.number, { tag: state.tag, x });
    return Object.fromEntries(names.map((n, i) => [n, fromUnit(dists[i]!, x[i]!)]));
  }

  sampleIndependent(_study: StudyView, _trial: FrozenTrial, _name: string, distribution: Distribution): ParamValue {
    return sampleUniform(this.rng, distribution);
  }

  private state(study: StudyView, names: string, dim: number): StudyState {
    const key = study.id;
    const existing = this.states.get(key);
    if (existing && existing.names === names) return existing;
    const fresh: StudyState = { names, es: new CmaEs(dim, this.options.sigma0 ?? 0.2, this.options.popsize), assigned: new Map(), tag: 0 };
    this.states.set(key, fresh);
    return fresh;
  }
}
