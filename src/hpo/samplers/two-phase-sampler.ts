/**
 * Two phases: a coarse random phase over the whole space, then TPE inside a
 * box narrowed to the region of the coarse phase's best trials. The box is
 * recomputed from the first `nCoarseTrials` COMPLETE trials every time (so
 * the sampler holds no study state): per numeric param, the span of the
 * top-k values padded by `margin` (in the param's internal scale, snapped
 * to its grid); per categorical param, the choices the top-k used. In phase
 * two, TPE sees only the trials inside the box. Params outside the box's
 * space (new or conditional ones the top trials never had) keep their full
 * distribution. Pure over its seeded RNG.
 */
import type { Distribution, ParamValue } from '../distributions.js';
import type { Sampler } from '../sampler.js';
import { equalDistributions, fromInternal, internalBounds, toInternal } from '../sampler-space.js';
import { SeededRandom } from '../seeded-random.js';
import { toMinimize, type FrozenTrial, type StudyView, type TrialState } from '../study-view.js';
import { sampleUniform } from './random-sampler.js';
import { TpeSampler, type TpeOptions } from './tpe-sampler.js';

export interface TwoPhaseOptions {
  readonly seed?: number;
  /** Random trials in the first phase. Default 30. */
  readonly nCoarseTrials?: number;
  /** Share of the coarse trials that define the box (at least 3). Default 0.2. */
  readonly topFraction?: number;
  /** Padding on each side, as a share of the top trials' span (at least 5% of the full range). Default 0.25. */
  readonly margin?: number;
  /** Options of the second phase's TPE. */
  readonly tpe?: Omit<TpeOptions, 'seed'>;
}

/**
 * Random phase, then TPE in the narrowed box.
 *
 * @example
 * optimizeInMemory(new TwoPhaseSampler({ seed: 1, nCoarseTrials: 40 }), objective, 200);
 */
export class TwoPhaseSampler implements Sampler {
  private readonly rng: SeededRandom;
  private readonly tpe: TpeSampler;
  private readonly nCoarse: number;
  private readonly topFraction: number;
  private readonly margin: number;

  constructor(options: TwoPhaseOptions = {}) {
    this.rng = new SeededRandom(options.seed);
    this.tpe = new TpeSampler({ nStartupTrials: 0, ...options.tpe, seed: (options.seed ?? Date.now()) + 1 });
    this.nCoarse = options.nCoarseTrials ?? 30;
    this.topFraction = options.topFraction ?? 0.2;
    this.margin = options.margin ?? 0.25;
  }

  /** The inner TPE's joint space, named by the params' original distributions (what the trial suggests). */
  inferRelativeSpace(study: StudyView): Record<string, Distribution> {
    const view = this.narrowed(study);
    if (!view) return {};
    return Object.fromEntries(Object.entries(this.tpe.inferRelativeSpace(view)).map(([n, d]) => [n, view.box.get(n)?.original ?? d]));
  }

  /** Samples the narrowed box jointly; its values lie inside the original distributions. */
  sampleRelative(study: StudyView, trial: FrozenTrial, space: Readonly<Record<string, Distribution>>): Record<string, ParamValue> {
    const view = this.narrowed(study);
    if (!view) return {};
    const narrowedSpace = Object.fromEntries(Object.entries(space).map(([n, d]) => [n, view.box.get(n)?.narrowed ?? d]));
    return this.tpe.sampleRelative(view, trial, narrowedSpace);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const view = this.narrowed(study);
    if (!view) return sampleUniform(this.rng, distribution);
    const box = view.box.get(name);
    if (box && equalDistributions(box.original, distribution)) return this.tpe.sampleIndependent(view, trial, name, box.narrowed);
    return this.tpe.sampleIndependent(study, trial, name, distribution);
  }

  /** The study as phase two sees it, or null during the coarse phase. */
  private narrowed(study: StudyView): NarrowedView | null {
    const complete = study.trials(['COMPLETE']).filter((t) => t.values);
    if (complete.length < this.nCoarse) return null;
    const coarse = complete.slice(0, this.nCoarse);
    const dir = study.directions[0]!;
    const top = [...coarse].sort((a, b) => toMinimize(a.values![0]!, dir) - toMinimize(b.values![0]!, dir))
      .slice(0, Math.max(3, Math.ceil(this.topFraction * this.nCoarse)));
    const box = new Map<string, { original: Distribution; narrowed: Distribution }>();
    const names = new Set(top.flatMap((t) => Object.keys(t.distributions)));
    for (const name of names) {
      const holders = top.filter((t) => name in t.params);
      const original = holders[0]!.distributions[name]!;
      if (holders.some((t) => !equalDistributions(t.distributions[name]!, original))) continue;
      const narrowed = narrow(original, holders.map((t) => t.params[name]!), this.margin);
      if (narrowed) box.set(name, { original, narrowed });
    }
    return new NarrowedView(study, box);
  }
}

/** The box for one param from the top trials' values, or null when it would not narrow anything. */
export function narrow(d: Distribution, values: readonly ParamValue[], margin: number): Distribution | null {
  if (d.kind === 'categorical') {
    const used = d.choices.filter((c) => values.includes(c));
    return used.length > 0 && used.length < d.choices.length ? { kind: 'categorical', choices: used } : null;
  }
  if (values.length < 2) return null;
  const xs = values.map((v) => toInternal(d, v as number));
  const [lo, hi] = internalBounds(d);
  const span = Math.max(...xs) - Math.min(...xs);
  const pad = Math.max(margin * span, 0.05 * (hi - lo));
  const low = fromInternal(d, Math.max(lo, Math.min(...xs) - pad));
  const high = fromInternal(d, Math.min(hi, Math.max(...xs) + pad));
  if (low >= high || (low === d.low && high === d.high)) return null;
  return d.kind === 'int' ? { ...d, low, high: low + Math.floor((high - low) / d.step) * d.step } : { ...d, low, high: d.step === null ? high : low + Math.floor((high - low) / d.step + 1e-9) * d.step };
}

/** Trials whose boxed params all lie inside the box, with the narrowed distributions. */
class NarrowedView implements StudyView {
  readonly id: string;
  readonly name: string;
  readonly directions: StudyView['directions'];
  private cache: { key: number; trials: FrozenTrial[] } | null = null;

  constructor(private readonly study: StudyView, readonly box: ReadonlyMap<string, { original: Distribution; narrowed: Distribution }>) {
    this.id = `${study.id}#narrowed`;
    this.name = study.name;
    this.directions = study.directions;
  }

  trials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    const all = this.study.trials();
    const key = all.length * 1e6 + all.filter((t) => t.state !== 'RUNNING').length;
    if (this.cache?.key !== key) this.cache = { key, trials: all.flatMap((t) => this.inside(t)) };
    return states ? this.cache.trials.filter((t) => states.includes(t.state)) : this.cache.trials;
  }

  private inside(t: FrozenTrial): FrozenTrial[] {
    const distributions: Record<string, Distribution> = { ...t.distributions };
    for (const [name, { original, narrowed }] of this.box) {
      if (!(name in t.params)) continue;
      if (!equalDistributions(t.distributions[name]!, original)) continue;
      const v = t.params[name]!;
      const ok = narrowed.kind === 'categorical' ? narrowed.choices.includes(v) : (v as number) >= narrowed.low && (v as number) <= narrowed.high;
      if (!ok) return [];
      distributions[name] = narrowed;
    }
    return [Object.freeze({ ...t, distributions: Object.freeze(distributions) })];
  }
}
