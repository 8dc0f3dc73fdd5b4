/**
 * The Parzen estimator behind TPE: a weighted mixture with one kernel per
 * observation plus a prior kernel. Each kernel is a product over dimensions
 * of a truncated normal (numeric params, in their internal scale) or a
 * smoothed one-hot distribution (categorical params). One dimension gives
 * univariate TPE; several give the joint (multivariate) estimator. Pure.
 */
import { logNormalMass, sampleTruncatedNormal } from '../normal.js';
import type { SeededRandom } from '../seeded-random.js';

/** One dimension of the space in the estimator's coordinates. */
export type ParzenDimension =
  | {
      readonly kind: 'numeric';
      readonly low: number;
      readonly high: number;
      /** Discrete params: the grid step in the original scale (`log`: the internal scale is log). Densities become cell masses. */
      readonly step?: number;
      readonly log?: boolean;
    }
  | { readonly kind: 'categorical'; readonly size: number };

export type BandwidthRule = 'neighbor' | 'scott';

export interface ParzenOptions {
  /** Weight of the prior kernel (uniform-ish over the space), relative to an observation's weight of at most 1. */
  readonly priorWeight: number;
  /** 'neighbor': per dimension, each kernel as wide as the larger gap to its sorted neighbours; 'scott': a shared n^(−1/(d+4)) rule. */
  readonly bandwidth: BandwidthRule;
  /** Scale of the 'scott' rule, as a share of the range. */
  readonly scottFactor: number;
  /** Floor on bandwidths: range / min(100, 2 + n) (Optuna's "magic clip", prior kernel counted). */
  readonly magicClip: boolean;
  /** The n of the magic clip; defaults to this estimator's observation count. */
  readonly clipCount?: number;
  /** Multiplies every observation's bandwidth before clipping (1 = the rule as is). */
  readonly bandwidthScale: number;
  /** Smoothing of categorical kernels, in prior-weight units spread over the choices. */
  readonly categoricalSmoothing: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

interface NumericKernels {
  readonly kind: 'numeric';
  readonly low: number;
  readonly high: number;
  readonly step: number | undefined;
  readonly log: boolean;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly invSigma: Float64Array;
  /** −log σ − log √(2π) − log Z per kernel. */
  readonly logNorm: Float64Array;
}

interface CategoricalKernels {
  readonly kind: 'categorical';
  readonly size: number;
  /** K × size log-probabilities, row-major. */
  readonly logP: Float64Array;
  readonly cumP: Float64Array;
}

/** A mixture of product kernels, one per observation plus the prior; `sample` and `logPdf` work in internal coordinates. */
export class ParzenEstimator {
  private readonly logW: Float64Array;
  private readonly cumW: Float64Array;
  private readonly dims: (NumericKernels | CategoricalKernels)[];
  /** Dimensions in the order `logPdf` adds them: continuous first, grid cells (the costliest) last. */
  private readonly order: number[];
  /** Per dimension, no kernel's log term exceeds this (cell masses and choice probabilities are ≤ 1: 0). */
  private readonly termBound: Float64Array;
  readonly size: number;

  /**
   * `observations[i][d]` is observation i's coordinate in dimension d (the
   * internal-scale value, or the choice index); `weights[i]` in (0, 1].
   */
  constructor(dims: readonly ParzenDimension[], observations: readonly (readonly number[])[], weights: readonly number[], options: ParzenOptions) {
    const n = observations.length;
    const k = n + 1;
    this.size = k;
    const w = new Float64Array(k);
    for (let i = 0; i < n; i++) w[i] = weights[i]!;
    w[n] = options.priorWeight;
    let total = 0;
    for (const v of w) total += v;
    // Plain loops: TypedArray.prototype.map is several times slower in V8.
    this.logW = new Float64Array(k);
    for (let i = 0; i < k; i++) this.logW[i] = Math.log((w[i] as number) / total);
    this.cumW = new Float64Array(k);
    let acc = 0;
    for (let i = 0; i < k; i++) this.cumW[i] = acc += (w[i] as number) / total;
    this.dims = dims.map((dim, d) => {
      const col = observations.map((o) => o[d]!);
      return dim.kind === 'numeric' ? numericKernels(dim, col, dims.length, options) : categoricalKernels(dim, col, options);
    });
    const cost = (d: NumericKernels | CategoricalKernels): number => (d.kind === 'categorical' ? 1 : d.step === undefined ? 0 : 2);
    this.order = this.dims.map((_, d) => d).sort((a, b) => cost(this.dims[a]!) - cost(this.dims[b]!) || a - b);
    this.termBound = new Float64Array(this.dims.length);
    this.dims.forEach((d, i) => {
      if (d.kind !== 'numeric' || d.step !== undefined) return;
      let max = -Infinity;
      for (const v of d.logNorm) if (v > max) max = v;
      this.termBound[i] = max;
    });
  }

  /** `count` draws; each is one coordinate per dimension. */
  sample(rng: SeededRandom, count: number): number[][] {
    const out: number[][] = [];
    for (let c = 0; c < count; c++) {
      const u = rng.next();
      let j = 0;
      while (j < this.size - 1 && (this.cumW[j] as number) <= u) j++;
      out.push(this.dims.map((dim) => {
        if (dim.kind === 'numeric') return sampleTruncatedNormal(rng, dim.mu[j]!, dim.sigma[j]!, dim.low, dim.high);
        const v = rng.next();
        let i = 0;
        while (i < dim.size - 1 && (dim.cumP[j * dim.size + i] as number) <= v) i++;
        return i;
      }));
    }
    return out;
  }

  /**
   * log density of each point under the mixture. Kernels more than e^40 below
   * the largest add nothing in double precision, so after the first two
   * dimensions a kernel is dropped once even the largest terms it could still
   * gain (`termBound`) leave it 40 below the prior kernel's whole density (a
   * lower bound on the largest). Exact to the same tolerance as summing all.
   */
  logPdf(points: readonly (readonly number[])[]): Float64Array {
    const k = this.size;
    const out = new Float64Array(points.length);
    const acc = new Float64Array(k);
    const all = new Uint32Array(k);
    for (let j = 0; j < k; j++) all[j] = j;
    const alive = new Uint32Array(k);
    const prior = Uint32Array.of(k - 1);
    const priorAcc = new Float64Array(k);
    for (let p = 0; p < points.length; p++) {
      const x = points[p]!;
      acc.set(this.logW);
      let idx = all;
      let m = k;
      for (let i = 0; i < this.order.length; i++) {
        if (i === 2 && k > 64) {
          priorAcc[k - 1] = this.logW[k - 1]!;
          for (const d of this.order) this.addTerm(d, x[d]!, priorAcc, prior, 1);
          let rest = 0;
          for (let r = i; r < this.order.length; r++) rest += this.termBound[this.order[r]!]!;
          const cut = priorAcc[k - 1]! - 40 - rest;
          m = 0;
          for (let j = 0; j < k; j++) if (acc[j]! >= cut) alive[m++] = j;
          idx = alive;
        }
        const d = this.order[i]!;
        this.addTerm(d, x[d]!, acc, idx, m);
      }
      let max = -Infinity;
      for (let r = 0; r < m; r++) if (acc[idx[r]!]! > max) max = acc[idx[r]!]!;
      let sum = 0;
      for (let r = 0; r < m; r++) {
        const d = acc[idx[r]!]! - max;
        if (d > -40) sum += Math.exp(d);
      }
      out[p] = max + Math.log(sum);
    }
    return out;
  }

  /** Adds dimension d's log term at coordinate xd to acc[j] for the kernels idx[0..m). */
  private addTerm(d: number, xd: number, acc: Float64Array, idx: Uint32Array, m: number): void {
    const dim = this.dims[d]!;
    if (dim.kind === 'numeric' && dim.step !== undefined) {
      // Mass of the grid cell around the point, relative to the truncated mass.
      const v = dim.log ? Math.exp(xd) : xd;
      const lo = Math.max(dim.low, dim.log ? Math.log(Math.max(v - dim.step / 2, 1e-300)) : v - dim.step / 2);
      const hi = Math.min(dim.high, dim.log ? Math.log(v + dim.step / 2) : v + dim.step / 2);
      for (let r = 0; r < m; r++) {
        const j = idx[r]!;
        const s = dim.sigma[j]!;
        const mu = dim.mu[j]!;
        acc[j] = acc[j]! + dim.logNorm[j]! + Math.log(s) + LOG_SQRT_2PI + logNormalMass((lo - mu) / s, (hi - mu) / s);
      }
    } else if (dim.kind === 'numeric') {
      const mu = dim.mu;
      const inv = dim.invSigma;
      const ln = dim.logNorm;
      for (let r = 0; r < m; r++) {
        const j = idx[r]!;
        const z = (xd - mu[j]!) * inv[j]!;
        acc[j] = acc[j]! + ln[j]! - 0.5 * z * z;
      }
    } else {
      for (let r = 0; r < m; r++) {
        const j = idx[r]!;
        acc[j] = acc[j]! + dim.logP[j * dim.size + xd]!;
      }
    }
  }
}

function numericKernels(dim: Extract<ParzenDimension, { kind: 'numeric' }>, col: readonly number[], nDims: number, o: ParzenOptions): NumericKernels {
  const n = col.length;
  const range = Math.max(dim.high - dim.low, 1e-12);
  // One backing store for the four per-kernel arrays: fewer off-heap allocations.
  const store = new Float64Array(4 * (n + 1));
  const mu = store.subarray(0, n + 1);
  const sigma = store.subarray(n + 1, 2 * (n + 1));
  const invSigma = store.subarray(2 * (n + 1), 3 * (n + 1));
  const logNorm = store.subarray(3 * (n + 1));
  for (let i = 0; i < n; i++) mu[i] = col[i]!;
  mu[n] = 0.5 * (dim.low + dim.high);
  if (o.bandwidth === 'scott') {
    const s = o.scottFactor * range * Math.pow(Math.max(n, 1), -1 / (nDims + 4));
    sigma.fill(s, 0, n);
  } else if (n > 0) {
    // Larger gap to the sorted neighbours, the bounds counting as neighbours of the extremes;
    // with two or more points the extremes use only their inner gap.
    const order = sortedOrder(col, dim.low, dim.high);
    const at = (r: number): number => (r < 0 ? dim.low : r >= n ? dim.high : mu[order[r]!]!);
    for (let r = 0; r < n; r++) {
      const left = at(r) - at(r - 1);
      const right = at(r + 1) - at(r);
      sigma[order[r]!] = n >= 2 && r === 0 ? right : n >= 2 && r === n - 1 ? left : Math.max(left, right);
    }
  }
  const minSigma = o.magicClip ? range / Math.min(100, 2 + (o.clipCount ?? n)) : range * 1e-6;
  for (let i = 0; i < n; i++) sigma[i] = Math.min(range, Math.max(minSigma, o.bandwidthScale * sigma[i]!));
  sigma[n] = range;
  for (let i = 0; i <= n; i++) {
    const s = sigma[i]!;
    invSigma[i] = 1 / s;
    const a = (dim.low - mu[i]!) / s;
    const b = (dim.high - mu[i]!) / s;
    // Far from both bounds the truncated mass is 1 to double precision.
    logNorm[i] = -Math.log(s) - LOG_SQRT_2PI - (a < -9 && b > 9 ? 0 : logNormalMass(a, b));
  }
  return { kind: 'numeric', low: dim.low, high: dim.high, step: dim.step, log: dim.log ?? false, mu, sigma, invSigma, logNorm };
}

/**
 * Indices of `values` (all within [low, high]) in ascending order of their
 * 30-bit quantised value, ties by index. Small inputs pack value and index
 * into one float64 key for the engine's native typed-array sort; larger ones
 * (the bad-trial estimator, hundreds of kernels) use a stable LSD radix sort
 * in three 10-bit passes, about 3× faster there. Both give the same order.
 */
export function sortedOrder(values: readonly number[], low: number, high: number): Uint32Array {
  const n = values.length;
  const scale = high > low ? (2 ** 30 - 1) / (high - low) : 0;
  if (n < 128) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = Math.floor((values[i]! - low) * scale) * 2 ** 22 + i;
    keys.sort();
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      out[i] = k - Math.floor(k * 2 ** -22) * 2 ** 22;
    }
    return out;
  }
  // key, then the two order buffers the passes swap between.
  const space = new Uint32Array(3 * n + 1025);
  const key = space.subarray(0, n);
  // Clamped so a value that strayed past a bound by rounding stays at that end.
  for (let i = 0; i < n; i++) key[i] = Math.min(2 ** 30 - 1, Math.max(0, Math.floor((values[i]! - low) * scale)));
  let order = space.subarray(n, 2 * n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = space.subarray(2 * n, 3 * n);
  const count = space.subarray(3 * n);
  for (let shift = 0; shift < 30; shift += 10) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((key[order[i]!]! >>> shift) & 1023) + 1]!++;
    for (let b = 1; b < 1025; b++) count[b]! += count[b - 1]!;
    for (let i = 0; i < n; i++) {
      const o = order[i]!;
      next[count[(key[o]! >>> shift) & 1023]!++] = o;
    }
    [order, next] = [next, order];
  }
  return order;
}

function categoricalKernels(dim: Extract<ParzenDimension, { kind: 'categorical' }>, col: readonly number[], o: ParzenOptions): CategoricalKernels {
  const n = col.length;
  const m = dim.size;
  const logP = new Float64Array((n + 1) * m);
  const cumP = new Float64Array((n + 1) * m);
  const smooth = o.categoricalSmoothing / (n + 1);
  for (let j = 0; j <= n; j++) {
    const row = new Float64Array(m).fill(j < n ? smooth : 1);
    if (j < n) row[col[j]!] = row[col[j]!]! + 1;
    let total = 0;
    for (const v of row) total += v;
    let acc = 0;
    for (let i = 0; i < m; i++) {
      logP[j * m + i] = Math.log(row[i]! / total);
      cumP[j * m + i] = acc += row[i]! / total;
    }
  }
  return { kind: 'categorical', size: m, logP, cumP };
}
