/**
 * A Gaussian-process regressor for GP-BO: Matérn 5/2 kernel with one
 * lengthscale per dimension (ARD), a signal variance and a noise variance,
 * fitted by maximising the log marginal likelihood (with weak log-normal
 * priors) by L-BFGS on log-parameters. Inputs are in [0, 1]; categorical
 * dimensions hold a choice index and contribute a 0/1 mismatch distance.
 * Targets should be standardised. The Cholesky factor is computed once per
 * fit and reused for every prediction. Pure.
 */
import { cholesky, choleskyInverse, logDetFromCholesky, minimizeLbfgs, solveLower, solveLowerTransposed } from '../linalg.js';
import type { SeededRandom } from '../seeded-random.js';

export interface GpHyperparameters {
  readonly logLengthscales: readonly number[];
  readonly logSignal: number;
  readonly logNoise: number;
}

const SQRT5 = Math.sqrt(5);
const LOG_L_BOUNDS = [Math.log(0.01), Math.log(20)] as const;
const LOG_S_BOUNDS = [Math.log(0.05), Math.log(20)] as const;
const LOG_N_BOUNDS = [Math.log(1e-6), Math.log(0.5)] as const;
// Weak priors (mean, sd) on the log-parameters keep fits away from degenerate corners.
const PRIOR_L = [Math.log(0.5), 1.5] as const;
const PRIOR_S = [0, 2] as const;
const PRIOR_N = [Math.log(1e-3), 3] as const;

/** Squared scaled distance per dimension between two points. */
function scaledSquares(a: readonly number[], b: readonly number[], isCategorical: readonly boolean[], invL2: Float64Array, out: Float64Array): number {
  let r2 = 0;
  for (let d = 0; d < a.length; d++) {
    const diff = isCategorical[d] ? (a[d] === b[d] ? 0 : 1) : a[d]! - b[d]!;
    const q = diff * diff * invL2[d]!;
    out[d] = q;
    r2 += q;
  }
  return r2;
}

const matern52 = (r: number): number => (1 + SQRT5 * r + (5 / 3) * r * r) * Math.exp(-SQRT5 * r);

/** A GP conditioned on (x, y) with fixed hyperparameters; factorises K once in the constructor. */
export class GaussianProcess {
  private readonly n: number;
  private readonly l: Float64Array;
  private readonly alpha: Float64Array;
  private readonly invL2: Float64Array;
  private readonly signal: number;

  constructor(
    private readonly x: readonly (readonly number[])[],
    y: readonly number[],
    private readonly isCategorical: readonly boolean[],
    readonly hyper: GpHyperparameters,
  ) {
    this.n = x.length;
    this.invL2 = Float64Array.from(hyper.logLengthscales, (v) => Math.exp(-2 * v));
    this.signal = Math.exp(hyper.logSignal);
    const k = this.kernelMatrix();
    this.l = cholesky(k, this.n, 1e-10);
    this.alpha = solveLowerTransposed(this.l, this.n, solveLower(this.l, this.n, Float64Array.from(y)));
  }

  private kernelMatrix(): Float64Array {
    const n = this.n;
    const k = new Float64Array(n * n);
    const tmp = new Float64Array(this.isCategorical.length);
    const noise = Math.exp(this.hyper.logNoise);
    for (let i = 0; i < n; i++) {
      k[i * n + i] = this.signal + noise;
      for (let j = 0; j < i; j++) {
        const v = this.signal * matern52(Math.sqrt(scaledSquares(this.x[i]!, this.x[j]!, this.isCategorical, this.invL2, tmp)));
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
    }
    return k;
  }

  /** Predictive mean and variance (of the latent function) at `q`. */
  predict(q: readonly number[]): [mean: number, variance: number] {
    const ks = new Float64Array(this.n);
    const tmp = new Float64Array(q.length);
    let mean = 0;
    for (let i = 0; i < this.n; i++) {
      ks[i] = this.signal * matern52(Math.sqrt(scaledSquares(q, this.x[i]!, this.isCategorical, this.invL2, tmp)));
      mean += ks[i]! * this.alpha[i]!;
    }
    const v = solveLower(this.l, this.n, ks);
    let vv = 0;
    for (let i = 0; i < this.n; i++) vv += v[i]! * v[i]!;
    return [mean, Math.max(this.signal - vv, 1e-12)];
  }
}

const pack = (h: GpHyperparameters): number[] => [...h.logLengthscales, h.logSignal, h.logNoise];
const unpack = (p: ArrayLike<number>, dim: number): GpHyperparameters => ({
  logLengthscales: Array.from({ length: dim }, (_, d) => p[d]!),
  logSignal: p[dim]!,
  logNoise: p[dim + 1]!,
});

/** Negative log marginal likelihood plus the priors' penalty, and its gradient in the log-parameters. */
export function negativeLogPosterior(x: readonly (readonly number[])[], y: readonly number[], isCategorical: readonly boolean[], p: ArrayLike<number>): [number, Float64Array] {
  const n = x.length;
  const dim = isCategorical.length;
  const h = unpack(p, dim);
  const invL2 = Float64Array.from(h.logLengthscales, (v) => Math.exp(-2 * v));
  const s = Math.exp(h.logSignal);
  const noise = Math.exp(h.logNoise);
  const base = new Float64Array(n * n); // matern52(r)
  const dbase = new Float64Array(n * n); // (5/3)(1 + √5 r) e^{−√5 r}
  const tmp = new Float64Array(dim);
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    base[i * n + i] = 1;
    dbase[i * n + i] = 5 / 3;
    k[i * n + i] = s + noise;
    for (let j = 0; j < i; j++) {
      const r = Math.sqrt(scaledSquares(x[i]!, x[j]!, isCategorical, invL2, tmp));
      const e = Math.exp(-SQRT5 * r);
      const m = (1 + SQRT5 * r + (5 / 3) * r * r) * e;
      const dm = (5 / 3) * (1 + SQRT5 * r) * e;
      base[i * n + j] = base[j * n + i] = m;
      dbase[i * n + j] = dbase[j * n + i] = dm;
      k[i * n + j] = k[j * n + i] = s * m;
    }
  }
  let l: Float64Array;
  try {
    l = cholesky(k, n, 1e-10);
  } catch {
    return [Infinity, new Float64Array(dim + 2)];
  }
  const alpha = solveLowerTransposed(l, n, solveLower(l, n, Float64Array.from(y)));
  let fit = 0;
  for (let i = 0; i < n; i++) fit += y[i]! * alpha[i]!;
  let value = 0.5 * fit + 0.5 * logDetFromCholesky(l, n) + 0.5 * n * Math.log(2 * Math.PI);
  const inv = choleskyInverse(l, n);
  const grad = new Float64Array(dim + 2);
  // d/dθ = ½ tr((K⁻¹ − ααᵀ) dK/dθ).
  let gS = 0;
  let gN = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = inv[i * n + j]! - alpha[i]! * alpha[j]!;
      gS += w * s * base[i * n + j]!;
      if (i === j) gN += w * noise;
      else if (j < i) {
        const g = 2 * w * s * dbase[i * n + j]!; // both triangles
        scaledSquares(x[i]!, x[j]!, isCategorical, invL2, tmp);
        for (let d = 0; d < dim; d++) grad[d] = grad[d]! + g * tmp[d]!;
      }
    }
  }
  for (let d = 0; d < dim; d++) grad[d] = 0.5 * grad[d]!;
  grad[dim] = 0.5 * gS;
  grad[dim + 1] = 0.5 * gN;
  const prior = (v: number, [mu, sd]: readonly [number, number], gi: number): void => {
    value += (0.5 * (v - mu) ** 2) / (sd * sd);
    grad[gi] = grad[gi]! + (v - mu) / (sd * sd);
  };
  for (let d = 0; d < dim; d++) prior(h.logLengthscales[d]!, PRIOR_L, d);
  prior(h.logSignal, PRIOR_S, dim);
  prior(h.logNoise, PRIOR_N, dim + 1);
  return [value, grad];
}

/** Default starting point: lengthscales 0.5, unit signal, small noise. */
export const initialHyperparameters = (dim: number): GpHyperparameters => ({
  logLengthscales: new Array<number>(dim).fill(Math.log(0.5)),
  logSignal: 0,
  logNoise: Math.log(1e-3),
});

/**
 * Maximises the marginal likelihood from `start` and from `restarts` random
 * points; returns the best hyperparameters.
 */
export function fitGaussianProcess(
  x: readonly (readonly number[])[],
  y: readonly number[],
  isCategorical: readonly boolean[],
  options: { start?: GpHyperparameters; restarts?: number; maxIterations?: number; rng: SeededRandom },
): GpHyperparameters {
  const dim = isCategorical.length;
  const lower = [...new Array<number>(dim).fill(LOG_L_BOUNDS[0]), LOG_S_BOUNDS[0], LOG_N_BOUNDS[0]];
  const upper = [...new Array<number>(dim).fill(LOG_L_BOUNDS[1]), LOG_S_BOUNDS[1], LOG_N_BOUNDS[1]];
  const starts = [pack(options.start ?? initialHyperparameters(dim))];
  for (let r = 0; r < (options.restarts ?? 1); r++) starts.push(lower.map((lo, i) => lo + options.rng.next() * (upper[i]! - lo)));
  let best: { x: Float64Array; f: number } | null = null;
  for (const s of starts) {
    const res = minimizeLbfgs((p) => negativeLogPosterior(x, y, isCategorical, p), s, { lower, upper, maxIterations: options.maxIterations ?? 40 });
    if (!best || res.f < best.f) best = res;
  }
  return unpack(best!.x, dim);
}
