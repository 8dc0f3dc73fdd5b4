/**
 * The kernels of a Parzen estimator, per dimension: truncated normals for
 * numeric params (a mean and width per observation plus the prior kernel)
 * and smoothed one-hot rows for categorical ones. `KernelCache` keeps the
 * numeric kernels of an estimator whose observations change a few at a time
 * between calls (TPE's bad-trial estimator gains one trial per ask), and
 * updates only the kernels whose neighbours changed. Its kernels are equal,
 * bit for bit, to building them afresh. Pure.
 */
import { logNormalMass } from '../normal.js';

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

type NumericDimension = Extract<ParzenDimension, { kind: 'numeric' }>;

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

export const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** n + 1 kernels: one per observation, then the prior's. */
export interface NumericKernels {
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

export interface CategoricalKernels {
  readonly kind: 'categorical';
  readonly size: number;
  /** K × size log-probabilities, row-major. */
  readonly logP: Float64Array;
  readonly cumP: Float64Array;
}

export type Kernels = NumericKernels | CategoricalKernels;

/** Kernels for every dimension, built afresh. */
export function buildKernels(dims: readonly ParzenDimension[], observations: readonly (readonly number[])[], o: ParzenOptions): Kernels[] {
  return dims.map((dim, d) => {
    const col = observations.map((x) => x[d]!);
    return dim.kind === 'numeric' ? new NumericColumn(dim, col.length).rebuild(col, dims.length, o) : categoricalKernels(dim, col, o);
  });
}

/** Smallest n at which the cache updates kernels in place (below it, rebuilding is as cheap, and `sortedOrder` sorts differently). */
const INCREMENTAL_MIN = 128;
/** More changes than this in one call: rebuild. */
const INCREMENTAL_MAX_CHANGES = 32;

/**
 * Kernels of one estimator across calls. `keys[i]` names observation i
 * (a trial number); keys ascend, and a key keeps its coordinates for as
 * long as it is observed (trials' params never change once set). Each call
 * walks the old and new keys, removes and inserts the observations that
 * differ, and refreshes the widths of their sorted neighbours. Anything it
 * cannot update in place (other dimensions or options, a changed clip, a
 * small n, many changes, a kept key whose coordinates differ) rebuilds.
 */
export class KernelCache {
  private signature = '';
  private keys: readonly number[] = [];
  private rows: readonly (readonly number[])[] = [];
  private columns: (NumericColumn | null)[] = [];

  kernels(dims: readonly ParzenDimension[], observations: readonly (readonly number[])[], keys: readonly number[], o: ParzenOptions): Kernels[] {
    const n = observations.length;
    const signature = JSON.stringify([dims, o.bandwidth, o.magicClip, o.bandwidthScale, o.scottFactor, clipDenominator(o, n)]);
    const fresh = signature !== this.signature || o.bandwidth !== 'neighbor' || n < INCREMENTAL_MIN || this.keys.length < INCREMENTAL_MIN
      || !this.update(dims, observations, keys, o);
    if (fresh) {
      this.columns = dims.map((dim) => (dim.kind === 'numeric' ? new NumericColumn(dim, Math.ceil(n * 1.25) + 16) : null));
      this.signature = signature;
    }
    this.keys = keys.slice();
    this.rows = observations.slice();
    return dims.map((dim, d) => {
      const column = this.columns[d];
      if (dim.kind === 'categorical' || !column) return categoricalKernels(dim as Extract<ParzenDimension, { kind: 'categorical' }>, observations.map((x) => x[d]!), o);
      return fresh ? column.rebuild(observations.map((x) => x[d]!), dims.length, o) : column.view();
    });
  }

  /** Applies the key changes to every numeric column; false (nothing trusted) when a rebuild is needed. */
  private update(dims: readonly ParzenDimension[], observations: readonly (readonly number[])[], keys: readonly number[], o: ParzenOptions): boolean {
    const old = this.keys;
    const ops: [remove: boolean, at: number, row: number][] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < keys.length) {
      if (i < old.length && j < keys.length && old[i] === keys[j]) {
        // A kept observation must have kept its coordinates (the same row, or equal values).
        const was = this.rows[i]!;
        const now = observations[j]!;
        if (was !== now && (was.length !== now.length || was.some((v, d) => v !== now[d]))) return false;
        i++;
        j++;
      } else if (i < old.length && (j >= keys.length || old[i]! < keys[j]!)) {
        ops.push([true, j, i++]);
      } else {
        ops.push([false, j, j++]);
      }
      if (ops.length > INCREMENTAL_MAX_CHANGES) return false;
    }
    for (let d = 0; d < dims.length; d++) this.columns[d]?.apply(ops, observations, d, o);
    return true;
  }
}

/** The magic clip's n, capped as the clip caps it (the clip moves only while this moves). */
const clipDenominator = (o: ParzenOptions, n: number): number => (o.magicClip ? Math.min(100, 2 + (o.clipCount ?? n)) : 0);

/** One numeric dimension's kernels, with room to grow, and the observations' sorted order. */
class NumericColumn {
  private mu: Float64Array;
  private sigma: Float64Array;
  private invSigma: Float64Array;
  private logNorm: Float64Array;
  /** Per observation: its 30-bit quantised value (the sort key, ties by index). */
  private qkey: Uint32Array;
  /** Observation indices in ascending (qkey, index) order. */
  private order: Uint32Array;
  private n = 0;
  private readonly range: number;
  private readonly scale: number;

  constructor(private readonly dim: NumericDimension, capacity: number) {
    this.range = Math.max(dim.high - dim.low, 1e-12);
    this.scale = dim.high > dim.low ? (2 ** 30 - 1) / (dim.high - dim.low) : 0;
    this.mu = new Float64Array(capacity + 1);
    this.sigma = new Float64Array(capacity + 1);
    this.invSigma = new Float64Array(capacity + 1);
    this.logNorm = new Float64Array(capacity + 1);
    this.qkey = new Uint32Array(capacity);
    this.order = new Uint32Array(capacity);
  }

  /** All kernels from the observations' coordinates `col`. */
  rebuild(col: readonly number[], nDims: number, o: ParzenOptions): NumericKernels {
    const n = col.length;
    this.reserve(n);
    this.n = n;
    for (let i = 0; i < n; i++) this.mu[i] = col[i]!;
    if (o.bandwidth === 'scott') {
      const s = o.scottFactor * this.range * Math.pow(Math.max(n, 1), -1 / (nDims + 4));
      for (let i = 0; i < n; i++) this.finish(i, s, this.minSigma(o, n), o);
      return this.view();
    }
    const order = sortedOrder(col, this.dim.low, this.dim.high);
    this.order.set(order);
    for (let i = 0; i < n; i++) this.qkey[i] = this.keyOf(col[i]!);
    const minSigma = this.minSigma(o, n);
    for (let r = 0; r < n; r++) this.finish(order[r]!, this.gap(r), minSigma, o);
    return this.view();
  }

  /**
   * Removes and inserts observations (`ops`, in the order the key walk met
   * them, positions in the final numbering). After each change the widths of
   * the observations beside it are recomputed, with the clip of the final
   * count (which equals the old one: the cache's signature holds it).
   */
  apply(ops: readonly (readonly [boolean, number, number])[], observations: readonly (readonly number[])[], d: number, o: ParzenOptions): void {
    const minSigma = this.minSigma(o, observations.length);
    for (const [remove, at, row] of ops) {
      const [from, to] = remove ? this.remove(at) : this.insert(at, observations[row]![d]!);
      for (let r = Math.max(0, from); r < Math.min(this.n, to); r++) this.finish(this.order[r]!, this.gap(r), minSigma, o);
    }
  }

  /** Inserts observation `at`; returns the sorted positions [from, to) whose widths changed. */
  private insert(at: number, v: number): [number, number] {
    this.reserve(this.n + 1);
    const n = this.n;
    this.mu.copyWithin(at + 1, at, n);
    this.sigma.copyWithin(at + 1, at, n);
    this.invSigma.copyWithin(at + 1, at, n);
    this.logNorm.copyWithin(at + 1, at, n);
    this.qkey.copyWithin(at + 1, at, n);
    this.mu[at] = v;
    const key = this.keyOf(v);
    this.qkey[at] = key;
    const order = this.order;
    for (let r = 0; r < n; r++) if (order[r]! >= at) order[r]!++;
    // First sorted position whose (key, index) exceeds the new one's.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.qkey[order[mid]!]!;
      if (k < key || (k === key && order[mid]! < at)) lo = mid + 1;
      else hi = mid;
    }
    order.copyWithin(lo + 1, lo, n);
    order[lo] = at;
    this.n = n + 1;
    return [lo - 1, lo + 2];
  }

  /** Removes observation `at`; returns the sorted positions [from, to) whose widths changed. */
  private remove(at: number): [number, number] {
    const n = this.n;
    const order = this.order;
    let pos = 0;
    while (order[pos] !== at) pos++;
    order.copyWithin(pos, pos + 1, n);
    for (let r = 0; r < n - 1; r++) if (order[r]! > at) order[r]!--;
    this.mu.copyWithin(at, at + 1, n);
    this.sigma.copyWithin(at, at + 1, n);
    this.invSigma.copyWithin(at, at + 1, n);
    this.logNorm.copyWithin(at, at + 1, n);
    this.qkey.copyWithin(at, at + 1, n);
    this.n = n - 1;
    return [pos - 1, pos + 1];
  }

  /**
   * The neighbour rule's width at sorted position r: the larger gap to the
   * sorted neighbours, the bounds counting as neighbours of the extremes;
   * with two or more points the extremes use only their inner gap.
   */
  private gap(r: number): number {
    const { n, order, mu, dim } = this;
    const at = (q: number): number => (q < 0 ? dim.low : q >= n ? dim.high : mu[order[q]!]!);
    const left = at(r) - at(r - 1);
    const right = at(r + 1) - at(r);
    return n >= 2 && r === 0 ? right : n >= 2 && r === n - 1 ? left : Math.max(left, right);
  }

  /** Observation i's width from its raw width, clipped, and the derived terms. */
  private finish(i: number, raw: number, minSigma: number, o: ParzenOptions): void {
    this.setKernel(i, Math.min(this.range, Math.max(minSigma, o.bandwidthScale * raw)));
  }

  /** The narrowest width the clip allows with n observations. */
  private minSigma(o: ParzenOptions, n: number): number {
    return o.magicClip ? this.range / clipDenominator(o, n) : this.range * 1e-6;
  }

  private setKernel(i: number, s: number): void {
    this.sigma[i] = s;
    this.invSigma[i] = 1 / s;
    const a = (this.dim.low - this.mu[i]!) / s;
    const b = (this.dim.high - this.mu[i]!) / s;
    // Far from both bounds the truncated mass is 1 to double precision.
    this.logNorm[i] = -Math.log(s) - LOG_SQRT_2PI - (a < -9 && b > 9 ? 0 : logNormalMass(a, b));
  }

  /** The n observations' kernels and the prior's (centred, as wide as the range) after them. */
  view(): NumericKernels {
    const n = this.n;
    this.mu[n] = 0.5 * (this.dim.low + this.dim.high);
    this.setKernel(n, this.range);
    const dim = this.dim;
    return {
      kind: 'numeric', low: dim.low, high: dim.high, step: dim.step, log: dim.log ?? false,
      mu: this.mu.subarray(0, n + 1), sigma: this.sigma.subarray(0, n + 1), invSigma: this.invSigma.subarray(0, n + 1), logNorm: this.logNorm.subarray(0, n + 1),
    };
  }

  private keyOf(v: number): number {
    return Math.min(2 ** 30 - 1, Math.max(0, Math.floor((v - this.dim.low) * this.scale)));
  }

  private reserve(n: number): void {
    if (n + 1 <= this.mu.length) return;
    const grow = <T extends Float64Array | Uint32Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (size: number) => T)(size);
      b.set(a);
      return b;
    };
    const cap = Math.ceil(n * 1.5) + 16;
    this.mu = grow(this.mu, cap + 1);
    this.sigma = grow(this.sigma, cap + 1);
    this.invSigma = grow(this.invSigma, cap + 1);
    this.logNorm = grow(this.logNorm, cap + 1);
    this.qkey = grow(this.qkey, cap);
    this.order = grow(this.order, cap);
  }
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
