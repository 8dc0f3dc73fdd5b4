/**
 * The Parzen estimator behind TPE: a weighted mixture with one kernel per
 * observation plus a prior kernel. Each kernel is a product over dimensions
 * of a truncated normal (numeric params, in their internal scale) or a
 * smoothed one-hot distribution (categorical params). One dimension gives
 * univariate TPE; several give the joint (multivariate) estimator. Pure.
 */
import { logNormalMass, sampleTruncatedNormal } from '../normal.js';
import type { SeededRandom } from '../seeded-random.js';
import { buildKernels, LOG_SQRT_2PI, type Kernels, type KernelCache, type ParzenDimension, type ParzenOptions } from './parzen-kernels.js';

export type { BandwidthRule, ParzenDimension, ParzenOptions } from './parzen-kernels.js';

/** A mixture of product kernels, one per observation plus the prior; `sample` and `logPdf` work in internal coordinates. */
export class ParzenEstimator {
  private readonly w: Float64Array;
  private readonly total: number;
  private readonly logW: Float64Array;
  private cumW: Float64Array | null = null;
  private readonly dims: Kernels[];
  /** Dimensions in the order `logPdf` adds them: continuous first, grid cells (the costliest) last. */
  private readonly order: number[];
  /** Per dimension, no kernel's log term exceeds this (cell masses and choice probabilities are ≤ 1: 0). */
  private readonly termBound: Float64Array;
  readonly size: number;

  /**
   * `observations[i][d]` is observation i's coordinate in dimension d (the
   * internal-scale value, or the choice index); `weights[i]` in (0, 1].
   * With `reuse`, the kernels come from a cache that last saw observations
   * named by other keys (`KernelCache`): the same kernels, updated in place.
   */
  constructor(
    dims: readonly ParzenDimension[],
    observations: readonly (readonly number[])[],
    weights: readonly number[],
    options: ParzenOptions,
    reuse?: { readonly cache: KernelCache; readonly keys: readonly number[] },
  ) {
    const n = observations.length;
    const k = n + 1;
    this.size = k;
    const w = new Float64Array(k);
    for (let i = 0; i < n; i++) w[i] = weights[i]!;
    w[n] = options.priorWeight;
    let total = 0;
    for (let i = 0; i < k; i++) total += w[i]!;
    this.total = total;
    this.w = w;
    // Plain indexed loops: TypedArray.prototype.map and for-of are several times slower in V8.
    this.logW = new Float64Array(k);
    for (let i = 0; i < k; i++) this.logW[i] = Math.log(w[i]! / total);
    this.dims = reuse ? reuse.cache.kernels(dims, observations, reuse.keys, options) : buildKernels(dims, observations, options);
    const cost = (d: Kernels): number => (d.kind === 'categorical' ? 1 : d.step === undefined ? 0 : 2);
    this.order = this.dims.map((_, d) => d).sort((a, b) => cost(this.dims[a]!) - cost(this.dims[b]!) || a - b);
    this.termBound = new Float64Array(this.dims.length);
    this.dims.forEach((d, i) => {
      if (d.kind !== 'numeric' || d.step !== undefined) return;
      const ln = d.logNorm;
      let max = -Infinity;
      for (let j = 0; j < ln.length; j++) if (ln[j]! > max) max = ln[j]!;
      this.termBound[i] = max;
    });
  }

  /** Cumulative normalised weights, made on the first draw (the bad-trial estimator is never drawn from). */
  private cumulative(): Float64Array {
    if (!this.cumW) {
      const cumW = new Float64Array(this.size);
      let acc = 0;
      for (let i = 0; i < this.size; i++) cumW[i] = acc += this.w[i]! / this.total;
      this.cumW = cumW;
    }
    return this.cumW;
  }

  /** `count` draws; each is one coordinate per dimension. */
  sample(rng: SeededRandom, count: number): number[][] {
    const out: number[][] = [];
    const cumW = this.cumulative();
    for (let c = 0; c < count; c++) {
      const u = rng.next();
      let j = 0;
      while (j < this.size - 1 && (cumW[j] as number) <= u) j++;
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
   * the largest add nothing in double precision (the final sum skips them),
   * so after the first two dimensions a kernel is dropped when even the
   * largest terms it could still gain (`termBound`) leave it 40 below a lower
   * bound on the largest kernel: the whole density of the prior kernel or of
   * the kernel leading after two dimensions, whichever is larger. (Cutting
   * again later drops few more kernels than it costs.) The result is the
   * same, bit for bit, as summing every kernel.
   */
  logPdf(points: readonly (readonly number[])[]): Float64Array {
    const k = this.size;
    const nd = this.order.length;
    const out = new Float64Array(points.length);
    const acc = new Float64Array(k);
    const alive = new Uint32Array(k);
    let all: Uint32Array | null = null;
    // The most the dimensions after the first two (in `order`) can add.
    let rest = 0;
    for (let i = nd - 1; i >= 2; i--) rest += this.termBound[this.order[i]!]!;
    for (let p = 0; p < points.length; p++) {
      const x = points[p]!;
      acc.set(this.logW);
      // The usual case, two continuous dimensions first: both in one pass, which also finds the leading kernel.
      const fused = k > 64 && nd > 2 ? this.firstTwo(x, acc) : -1;
      if (fused < 0 && !all) {
        all = new Uint32Array(k);
        for (let j = 0; j < k; j++) all[j] = j;
      }
      let idx = all ?? alive;
      let m = k;
      for (let i = fused >= 0 ? 2 : 0; i < nd; i++) {
        if (i === 2 && k > 64) {
          let lead = fused;
          if (lead < 0) {
            lead = 0;
            for (let j = 1; j < k; j++) if (acc[j]! > acc[lead]!) lead = j;
          }
          const floor = Math.max(this.finishedDensity(k - 1, x, acc, alive), this.finishedDensity(lead, x, acc, alive));
          const cut = floor - 40 - rest;
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

  /**
   * When the first two dimensions (in `order`) are continuous: adds both
   * terms to acc (holding the log weights) exactly as `addTerm` would, and
   * returns the first kernel with the largest sum; otherwise −1, untouched.
   */
  private firstTwo(x: readonly number[], acc: Float64Array): number {
    const d0 = this.dims[this.order[0]!]!;
    const d1 = this.dims[this.order[1]!]!;
    if (d0.kind !== 'numeric' || d0.step !== undefined || d1.kind !== 'numeric' || d1.step !== undefined) return -1;
    const x0 = x[this.order[0]!]!;
    const x1 = x[this.order[1]!]!;
    const { mu: mu0, invSigma: inv0, logNorm: ln0 } = d0;
    const { mu: mu1, invSigma: inv1, logNorm: ln1 } = d1;
    let lead = 0;
    let best = -Infinity;
    for (let j = 0; j < this.size; j++) {
      const z0 = (x0 - mu0[j]!) * inv0[j]!;
      let a = acc[j]! + ln0[j]! - 0.5 * z0 * z0;
      const z1 = (x1 - mu1[j]!) * inv1[j]!;
      a = a + ln1[j]! - 0.5 * z1 * z1;
      acc[j] = a;
      if (a > best) {
        best = a;
        lead = j;
      }
    }
    return lead;
  }

  /**
   * Kernel j's whole log density at x, given acc[j] after the first two
   * dimensions: the remaining terms added as the main pass adds them (so the
   * same number), with acc[j] left as it was. `buf` is scratch (its first slot).
   */
  private finishedDensity(j: number, x: readonly number[], acc: Float64Array, buf: Uint32Array): number {
    const saved = acc[j]!;
    buf[0] = j;
    for (let i = 2; i < this.order.length; i++) {
      const d = this.order[i]!;
      this.addTerm(d, x[d]!, acc, buf, 1);
    }
    const whole = acc[j]!;
    acc[j] = saved;
    return whole;
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
