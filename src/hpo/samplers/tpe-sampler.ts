/**
 * Tree-structured Parzen Estimator. After a random startup phase, each
 * sample splits the history into good and bad trials (`tpe-split.ts`), fits
 * a Parzen estimator l(x) to the good ones and g(x) to the bad ones, draws
 * candidates from l and keeps the one with the largest l(x)/g(x).
 *
 * Multivariate (Cairn's default): params are sampled jointly, group by group
 * (params that always appear together form a group, so each branch of a
 * conditional space has its own joint model). Univariate (`multivariate:
 * false`, Optuna's default): each param on its own. Params outside the
 * relative space (new or dynamic ones) always go univariate. One or several
 * objectives (MOTPE split). Pure over its seeded RNG.
 */
import { cardinality, type Distribution, type ParamValue } from '../distributions.js';
import type { Sampler } from '../sampler.js';
import { choiceIndex, fromInternal, groupDecomposedSearchSpace, hasParam, internalBounds, IntersectionSearchSpace, toInternal } from '../sampler-space.js';
import { SeededRandom } from '../seeded-random.js';
import { isFinishedState, type FrozenTrial, type StudyView } from '../study-view.js';
import { ParzenEstimator, type ParzenDimension, type ParzenOptions } from './parzen-estimator.js';
import { KernelCache } from './parzen-kernels.js';
import { sampleUniform } from './random-sampler.js';
import { defaultGamma, defaultGammaMultiObjective, SplitMemo, splitTrials, type TpeSplit } from './tpe-split.js';

export interface TpeOptions {
  readonly seed?: number;
  /** Random trials before the model is used (COMPLETE + PRUNED). Default 10. */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per sample. Default 24. */
  readonly nEiCandidates?: number;
  /** Number of good trials out of n. Default min(⌈0.1 n⌉, 25); ⌈0.1 n⌉ with several objectives. */
  readonly gamma?: (n: number) => number;
  /** Weight of the prior kernel. Default 1. */
  readonly priorWeight?: number;
  /** Joint estimators over groups of params. Default true. */
  readonly multivariate?: boolean;
  /** With `multivariate`, split conditional spaces into groups sampled jointly; default false: the intersection jointly, the rest per param. */
  readonly group?: boolean;
  /** Smoothing of categorical kernels (prior-weight units spread over the choices). Default: `priorWeight`. */
  readonly categoricalSmoothing?: number;
  /** Count RUNNING trials as bad ones, so parallel workers spread out. Default false. */
  readonly constantLiar?: boolean;
  /** Floor bandwidths at range / min(100, n + 1). Default true. */
  readonly magicClip?: boolean;
  /** Kernel widths: 'neighbor' (gap to sorted neighbours per dimension, default) or 'scott'. */
  readonly bandwidth?: 'neighbor' | 'scott';
  /**
   * How far the good-trial kernels may narrow as the study grows: the magic
   * clip counts n_good + clipGrowth·(n_all − n_good) observations (0: Optuna's rule). Default 0.5.
   */
  readonly clipGrowth?: number;
  /** Multiplies the observations' bandwidths. Default 1. */
  readonly bandwidthScale?: number;
}

type Resolved = Required<Omit<TpeOptions, 'seed' | 'gamma'>> & { readonly gamma: ((n: number) => number) | null };

/**
 * TPE, single- or multi-objective.
 *
 * @example
 * const sampler = new TpeSampler({ seed: 1, constantLiar: true }); // parallel workers
 * optimizeInMemory(sampler, (t) => (t.suggestFloat('x', -5, 5) - 1) ** 2, 100);
 */
export class TpeSampler implements Sampler {
  private readonly rng: SeededRandom;
  private readonly o: Resolved;
  private splitCache: { key: string; split: TpeSplit } | null = null;
  private readonly splitMemo = new SplitMemo();
  private groupCache: { key: string; groups: Record<string, Distribution>[] } | null = null;
  private readonly intersection = new IntersectionSearchSpace();
  /**
   * Per group of params (names and distributions), by trial number: a finished trial and its encoded
   * coordinates (null: it lacks a param). An entry counts only for the very
   * trial object it was made from, so another study's trial never hits it.
   */
  private readonly encodedMemo = new Map<string, ({ readonly trial: FrozenTrial; readonly x: number[] | null } | undefined)[]>();
  /** Trial counts of the last trial list seen (a view hands out one list until its trials change). */
  private readonly countsMemo = new WeakMap<readonly FrozenTrial[], Counts>();
  /** Per group of params: the bad-trial estimator's kernels, which change by a trial or two per ask. */
  private badKernels: { studyId: string; byGroup: Map<string, KernelCache> } | null = null;

  constructor(options: TpeOptions = {}) {
    this.rng = new SeededRandom(options.seed);
    this.o = {
      nStartupTrials: options.nStartupTrials ?? 10,
      nEiCandidates: options.nEiCandidates ?? 24,
      gamma: options.gamma ?? null,
      priorWeight: options.priorWeight ?? 1,
      multivariate: options.multivariate ?? true,
      group: options.group ?? false,
      constantLiar: options.constantLiar ?? false,
      categoricalSmoothing: options.categoricalSmoothing ?? options.priorWeight ?? 1,
      magicClip: options.magicClip ?? true,
      bandwidth: options.bandwidth ?? 'neighbor',
      bandwidthScale: options.bandwidthScale ?? 1,
      clipGrowth: options.clipGrowth ?? 0.5,
    };
  }

  inferRelativeSpace(study: StudyView): Record<string, Distribution> {
    if (!this.o.multivariate) return {};
    // Single-valued params need no model (and would give a degenerate kernel).
    const space = Object.assign({}, ...this.groups(study)) as Record<string, Distribution>;
    return Object.fromEntries(Object.entries(space).filter(([, d]) => cardinality(d) > 1));
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: Readonly<Record<string, Distribution>>): Record<string, ParamValue> {
    if (this.inStartup(study)) return {};
    const split = this.split(study, trial);
    const out: Record<string, ParamValue> = {};
    for (const group of this.groups(study)) {
      const names = Object.keys(group).filter((n) => n in space);
      if (names.length === 0) continue;
      Object.assign(out, this.sampleGroup(split, names.map((n) => [n, space[n]!] as const)));
    }
    return out;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (this.inStartup(study) || cardinality(distribution) === 1) return sampleUniform(this.rng, distribution);
    return this.sampleGroup(this.split(study, trial), [[name, distribution]])[name]!;
  }

  private counts(study: StudyView): Counts {
    const trials = study.trials();
    let c = this.countsMemo.get(trials);
    if (!c) this.countsMemo.set(trials, (c = countTrials(trials)));
    return c;
  }

  private inStartup(study: StudyView): boolean {
    return this.counts(study).fitted < this.o.nStartupTrials;
  }

  private split(study: StudyView, trial: FrozenTrial): TpeSplit {
    const c = this.counts(study);
    const key = `${study.id}|${trial.number}|${c.all}|${c.closed}`;
    if (this.badKernels?.studyId !== study.id) {
      // Another study: what was kept for the last one goes.
      this.badKernels = { studyId: study.id, byGroup: new Map() };
      this.encodedMemo.clear();
    }
    if (this.splitCache?.key !== key) this.splitCache = { key, split: splitTrials(study, trial.number, this.o.gamma ?? (study.directions.length > 1 ? defaultGammaMultiObjective : defaultGamma), this.o.constantLiar, this.splitMemo) };
    return this.splitCache.split;
  }

  private groups(study: StudyView): Record<string, Distribution>[] {
    const key = `${study.id}|${this.counts(study).fitted}`;
    if (this.groupCache?.key !== key) {
      const groups = this.o.group ? groupDecomposedSearchSpace(study) : [this.intersection.of(study)];
      this.groupCache = { key, groups: groups.filter((g) => Object.keys(g).length > 0) };
    }
    return this.groupCache.groups;
  }

  /**
   * A trial's coordinates in the group's internal scale, or null when it lacks
   * one of the params. Finished trials never change, so theirs are kept
   * between asks (at trial 1,000 this saves re-encoding ~1,000 trials per ask).
   */
  private encoded(t: FrozenTrial, memo: ({ readonly trial: FrozenTrial; readonly x: number[] | null } | undefined)[],
    params: readonly (readonly [string, Distribution])[]): number[] | null {
    const hit = memo[t.number];
    if (hit?.trial === t) return hit.x;
    const x = params.every(([n, d]) => hasParam(t, n, d))
      ? params.map(([n, d]) => {
        const v = t.params[n]!;
        return d.kind === 'categorical' ? choiceIndex(d, v) : toInternal(d, v as number);
      })
      : null;
    if (isFinishedState(t.state)) memo[t.number] = { trial: t, x };
    return x;
  }

  /** Fits l and g on the trials holding every param of the group, and returns the best of the candidates. */
  private sampleGroup(split: TpeSplit, params: readonly (readonly [string, Distribution])[]): Record<string, ParamValue> {
    const dims: ParzenDimension[] = params.map(([, d]) => {
      if (d.kind === 'categorical') return { kind: 'categorical', size: d.choices.length };
      const [low, high] = internalBounds(d);
      const step = d.kind === 'int' ? d.step : d.step ?? undefined;
      return step === undefined ? { kind: 'numeric', low, high } : { kind: 'numeric', low, high, step, log: d.log };
    });
    // Names and distributions: a param asked for with another distribution encodes differently.
    const groupKey = JSON.stringify(params);
    let memo = this.encodedMemo.get(groupKey);
    if (!memo) this.encodedMemo.set(groupKey, (memo = []));
    const observed = (trials: readonly FrozenTrial[], weights: readonly number[]): [number[][], number[], number[]] => {
      const xs: number[][] = [];
      const ws: number[] = [];
      const keys: number[] = [];
      trials.forEach((t, i) => {
        const x = this.encoded(t, memo, params);
        if (x) {
          xs.push(x);
          ws.push(weights[i]!);
          keys.push(t.number);
        }
      });
      return [xs, ws, keys];
    };
    const opts: ParzenOptions = {
      priorWeight: this.o.priorWeight,
      bandwidth: this.o.bandwidth,
      scottFactor: 0.2,
      bandwidthScale: this.o.bandwidthScale,
      magicClip: this.o.magicClip,
      categoricalSmoothing: this.o.categoricalSmoothing,
    };
    const [xb, wb] = observed(split.below, split.belowWeights);
    const [xa, wa, keys] = observed(split.above, split.aboveWeights);
    const all = xb.length + xa.length;
    const l = new ParzenEstimator(dims, xb, wb, { ...opts, clipCount: xb.length + this.o.clipGrowth * (all - xb.length) });
    const caches = this.badKernels!.byGroup;
    let cache = caches.get(groupKey);
    if (!cache) caches.set(groupKey, (cache = new KernelCache()));
    const g = new ParzenEstimator(dims, xa, wa, opts, { cache, keys });
    const decode = (x: readonly number[]): ParamValue[] => params.map(([, d], i) =>
      d.kind === 'categorical' ? d.choices[x[i]!]! : fromInternal(d, x[i]!));
    const candidates = l.sample(this.rng, this.o.nEiCandidates).map(decode);
    const points = candidates.map((c) => params.map(([, d], i) =>
      d.kind === 'categorical' ? choiceIndex(d, c[i]!) : toInternal(d, c[i] as number)));
    const ll = l.logPdf(points);
    const lg = g.logPdf(points);
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if (ll[i]! - lg[i]! > ll[best]! - lg[best]!) best = i;
    return Object.fromEntries(params.map(([n], i) => [n, candidates[best]![i]!]));
  }
}

interface Counts { readonly all: number; readonly fitted: number; readonly closed: number }

/** Trial counts from one pass: all, COMPLETE + PRUNED (fitted), and every finished one (closed). */
function countTrials(trials: readonly FrozenTrial[]): Counts {
  let fitted = 0;
  let closed = 0;
  for (const t of trials) {
    if (t.state === 'COMPLETE' || t.state === 'PRUNED') fitted++;
    if (t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'FAIL') closed++;
  }
  return { all: trials.length, fitted, closed };
}
