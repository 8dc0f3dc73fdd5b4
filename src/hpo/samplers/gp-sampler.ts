/**
 * GP-based Bayesian optimisation. After a random startup phase, fits a
 * Matérn 5/2 ARD Gaussian process (`gaussian-process.ts`) to the COMPLETE
 * trials of the relative space (numeric params scaled to [0, 1], log where
 * asked; categorical params by index with a mismatch distance) and proposes
 * the point maximising log expected improvement: random candidates plus
 * perturbations of the best trials, then a shrinking local search from the
 * most promising. Hyperparameters are warm-started from the previous fit and
 * refitted every max(`refitEvery`, n/25) trials once the study is large. One objective.
 * Pure over its seeded RNG (the last fit is cached in the instance).
 */
import { InvalidArgument } from '../../core/errors.js';
import type { Distribution, ParamValue } from '../distributions.js';
import { logExpectedImprovement } from '../normal.js';
import type { Sampler } from '../sampler.js';
import { choiceIndex, fromUnit, intersectionSearchSpace, toUnit } from '../sampler-space.js';
import { SeededRandom } from '../seeded-random.js';
import { toMinimize, type FrozenTrial, type StudyView } from '../study-view.js';
import { fitGaussianProcess, GaussianProcess, type GpHyperparameters } from './gaussian-process.js';
import { sampleUniform } from './random-sampler.js';

export interface GpOptions {
  readonly seed?: number;
  /** Random trials before the GP is used. Default 10. */
  readonly nStartupTrials?: number;
  /** Random candidates scored per proposal. Default 1,000. */
  readonly nCandidates?: number;
  /** Above this many trials, refit hyperparameters only every max(`refitEvery`, n/25) trials. Defaults 100 and 5. */
  readonly refitAbove?: number;
  readonly refitEvery?: number;
  /** Log-warp right-skewed losses before fitting (`warpHeavyTail`). Default true. */
  readonly warp?: boolean;
}

/**
 * GP-BO with log expected improvement.
 *
 * @example
 * optimizeInMemory(new GpSampler({ seed: 1 }), objective, 60);
 */
export class GpSampler implements Sampler {
  private readonly rng: SeededRandom;
  private readonly nStartup: number;
  private readonly nCandidates: number;
  private readonly refitAbove: number;
  private readonly refitEvery: number;
  private readonly warp: boolean;
  private last: { key: string; hyper: GpHyperparameters; fittedAt: number } | null = null;

  constructor(options: GpOptions = {}) {
    this.rng = new SeededRandom(options.seed);
    this.nStartup = options.nStartupTrials ?? 10;
    this.nCandidates = options.nCandidates ?? 1000;
    this.refitAbove = options.refitAbove ?? 100;
    this.refitEvery = options.refitEvery ?? 5;
    this.warp = options.warp ?? true;
  }

  inferRelativeSpace(study: StudyView): Record<string, Distribution> {
    if (study.directions.length !== 1) throw new InvalidArgument(`GpSampler optimises one objective; this study has ${study.directions.length}. Use TpeSampler for several`);
    return Object.fromEntries(Object.entries(intersectionSearchSpace(study)).filter(([, d]) => d.kind === 'categorical' ? d.choices.length > 1 : d.high > d.low));
  }

  sampleRelative(study: StudyView, _trial: FrozenTrial, space: Readonly<Record<string, Distribution>>): Record<string, ParamValue> {
    const names = Object.keys(space);
    // Infinite losses (allowed by the driver) would poison the GP's standardisation: leave them out.
    const complete = study.trials(['COMPLETE']).filter((t) => t.values && Number.isFinite(t.values[0]) && names.every((n) => n in t.params));
    if (names.length === 0 || complete.length < this.nStartup) return {};
    const dists = names.map((n) => space[n]!);
    const isCat = dists.map((d) => d.kind === 'categorical');
    const encode = (t: FrozenTrial): number[] => names.map((n, i) => {
      const d = dists[i]!;
      return d.kind === 'categorical' ? choiceIndex(d, t.params[n]!) : toUnit(d, t.params[n] as number);
    });
    const x = complete.map(encode);
    const raw = complete.map((t) => toMinimize(t.values![0]!, study.directions[0]!));
    const y = standardize(this.warp ? warpHeavyTail(raw) : raw);
    const hyper = this.hyperparameters(study, x, y, isCat);
    const gp = new GaussianProcess(x, y, isCat, hyper);
    const best = Math.min(...y);
    const score = (p: number[]): number => {
      const [mu, v] = gp.predict(p);
      return logExpectedImprovement(mu, Math.sqrt(v), best);
    };
    const point = this.maximize(score, dists, x, y);
    return Object.fromEntries(names.map((n, i) => {
      const d = dists[i]!;
      return [n, d.kind === 'categorical' ? d.choices[point[i]!]! : fromUnit(d, point[i]!)];
    }));
  }

  sampleIndependent(_study: StudyView, _trial: FrozenTrial, _name: string, distribution: Distribution): ParamValue {
    return sampleUniform(this.rng, distribution);
  }

  private hyperparameters(study: StudyView, x: number[][], y: number[], isCat: boolean[]): GpHyperparameters {
    const key = `${study.id}|${isCat.length}`;
    const n = x.length;
    const prev = this.last?.key === key ? this.last : null;
    // Large studies refit every max(refitEvery, n/25) trials: a fit is O(n³) per step, the data barely moves.
    if (prev && n > this.refitAbove && n - prev.fittedAt < Math.max(this.refitEvery, Math.floor(n / 25))) return prev.hyper;
    const hyper = fitGaussianProcess(x, y, isCat, {
      ...(prev ? { start: prev.hyper } : {}),
      restarts: n > this.refitAbove ? 0 : 1,
      maxIterations: n > this.refitAbove ? 20 : 40,
      rng: this.rng,
    });
    this.last = { key, hyper, fittedAt: n };
    return hyper;
  }

  /** Random candidates and perturbed incumbents, then a local search from the best three. */
  private maximize(score: (p: number[]) => number, dists: readonly Distribution[], x: number[][], y: number[]): number[] {
    const random = (): number[] => dists.map((d) => (d.kind === 'categorical' ? this.rng.int(d.choices.length) : this.rng.next()));
    const perturb = (p: readonly number[], scale: number): number[] => p.map((v, i) => {
      const d = dists[i]!;
      if (d.kind === 'categorical') return this.rng.next() < scale ? this.rng.int(d.choices.length) : v;
      return Math.min(1, Math.max(0, v + scale * this.rng.normal()));
    });
    const incumbents = y.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).slice(0, 5).map(([, i]) => x[i]!);
    const pool: [number, number[]][] = [];
    for (let c = 0; c < this.nCandidates; c++) {
      const p = c % 4 === 3 && incumbents.length > 0 ? perturb(incumbents[c % incumbents.length]!, 0.1) : random();
      pool.push([score(p), p]);
    }
    pool.sort((a, b) => b[0] - a[0]);
    let best = pool[0]!;
    for (const start of pool.slice(0, 3)) {
      let cur = start;
      let scale = 0.05;
      for (let step = 0; step < 40 && scale > 1e-4; step++) {
        const p = perturb(cur[1], scale);
        const s = score(p);
        if (s > cur[0]) cur = [s, p];
        else scale *= 0.85;
      }
      if (cur[0] > best[0]) best = cur;
    }
    return best[1];
  }
}

/**
 * A monotone log warp for right-skewed losses (a few huge values would
 * otherwise flatten the GP everywhere that matters): log(y − min + δ), δ a
 * tenth of the median's distance from the minimum. Left alone when the
 * skewness is below 1. The order of trials, hence the incumbent, is kept.
 */
export function warpHeavyTail(y: readonly number[]): number[] {
  const n = y.length;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  if (!(sd > 0)) return [...y];
  const skew = y.reduce((s, v) => s + ((v - mean) / sd) ** 3, 0) / n;
  if (skew < 1) return [...y];
  const min = Math.min(...y);
  const median = [...y].sort((a, b) => a - b)[n >> 1]!;
  const delta = Math.max((median - min) / 10, 1e-12);
  return y.map((v) => Math.log(v - min + delta));
}

/** (y − mean) / sd, with sd 1 when flat. */
function standardize(y: readonly number[]): number[] {
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const sd = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length) || 1;
  return y.map((v) => (v - mean) / sd);
}
