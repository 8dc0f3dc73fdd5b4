/**
 * Server-side downsampling of long metric histories for charts. Min/max
 * buckets: the x range is cut into equal buckets and each keeps its first,
 * lowest, highest and last point, so spikes and dips survive at any zoom.
 */
import type { DecodedColumns } from './metric-codec.js';

export interface Downsampled {
  readonly steps: number[];
  readonly timestamps: number[];
  readonly values: number[];
}

/** Columns reordered by x when the stored order is not already ascending. */
function sortedByX(cols: DecodedColumns, xs: Float64Array): { cols: DecodedColumns; xs: Float64Array } {
  let sorted = true;
  for (let i = 1; i < xs.length; i++) {
    if ((xs[i] as number) < (xs[i - 1] as number)) { sorted = false; break; }
  }
  if (sorted) return { cols, xs };
  const order = Int32Array.from({ length: xs.length }, (_, k) => k).sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const pick = (src: Float64Array) => Float64Array.from(order, (i) => src[i] as number);
  const out = { steps: pick(cols.steps), timestamps: pick(cols.timestamps), values: pick(cols.values) };
  return { cols: out, xs: xs === cols.steps ? out.steps : out.timestamps };
}

/** First index with xs[i] >= x (xs ascending). */
function lowerBound(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Returns at most `maxPoints` points, ordered by x. `x` picks the axis:
 * `step` or `timestamp`. Points outside [xMin, xMax] are dropped first when
 * a window is given (zooming). NaN values are kept where they fall but never
 * chosen as a bucket's minimum or maximum.
 */
export function downsampleMinMax(
  input: DecodedColumns,
  maxPoints: number,
  x: 'step' | 'timestamp' = 'step',
  window?: { xMin?: number; xMax?: number },
): Downsampled {
  const { cols, xs } = sortedByX(input, x === 'step' ? input.steps : input.timestamps);
  const first = window?.xMin === undefined ? 0 : lowerBound(xs, window.xMin);
  const end = window?.xMax === undefined ? xs.length : lowerBound(xs, window.xMax) + countEqual(xs, window.xMax);
  const out: Downsampled = { steps: [], timestamps: [], values: [] };
  const push = (i: number) => {
    out.steps.push(cols.steps[i] as number);
    out.timestamps.push(cols.timestamps[i] as number);
    out.values.push(cols.values[i] as number);
  };
  if (end <= first) return out;
  if (end - first <= maxPoints) {
    for (let i = first; i < end; i++) push(i);
    return out;
  }
  const vs = cols.values;
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const x0 = xs[first] as number;
  const width = ((xs[end - 1] as number) - x0) / buckets || 1;
  let k = first;
  for (let b = 0; b < buckets && k < end; b++) {
    const limit = b === buckets - 1 ? Infinity : x0 + (b + 1) * width;
    const start = k;
    let minK = -1;
    let maxK = -1;
    let minV = Infinity;
    let maxV = -Infinity;
    while (k < end && (xs[k] as number) < limit) {
      const v = vs[k] as number;
      if (v < minV || minK < 0 && v === minV) { minV = v; minK = k; }
      if (v > maxV || maxK < 0 && v === maxV) { maxV = v; maxK = k; }
      k++;
    }
    if (k === start) continue;
    const last = k - 1;
    // Up to four distinct indices, emitted in x order.
    const a = minK < 0 ? start : minK;
    const c = maxK < 0 ? start : maxK;
    const lo = a < c ? a : c;
    const hi = a < c ? c : a;
    push(start);
    if (lo !== start) push(lo);
    if (hi !== lo && hi !== start) push(hi);
    if (last !== hi && last !== lo && last !== start) push(last);
  }
  return out;
}

function countEqual(xs: Float64Array, x: number): number {
  let n = 0;
  for (let i = lowerBound(xs, x); i < xs.length && xs[i] === x; i++) n++;
  return n;
}
