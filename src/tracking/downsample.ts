/**
 * Server-side downsampling of long metric histories for charts. Min/max
 * buckets: the x range is cut into equal buckets and each keeps its first,
 * lowest, highest and last point, so spikes and dips survive at any zoom.
 */

/** First index with xs[i] >= x (xs ascending); `strict` finds the first > x. */
function bound(xs: Float64Array, x: number, strict: boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = xs[mid] as number;
    if (v < x || (strict && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Picks at most `maxPoints` positions of a history and returns them in x
 * order, as positions in the input (stored) order. `xs` is the x column
 * (steps or timestamps), `vs` the values. Points outside [xMin, xMax] are
 * dropped first (zooming). NaN values are never a bucket's min or max.
 */
export function downsampleMinMax(
  xsIn: Float64Array,
  vsIn: Float64Array,
  maxPoints: number,
  window: { xMin?: number; xMax?: number } = {},
): number[] {
  let xs = xsIn;
  let vs = vsIn;
  let order: Int32Array | null = null;
  for (let i = 1; i < xs.length; i++) {
    if ((xs[i] as number) < (xs[i - 1] as number)) {
      const src = xs;
      order = Int32Array.from({ length: src.length }, (_, k) => k).sort((a, b) => (src[a] as number) - (src[b] as number));
      const o = order;
      xs = Float64Array.from(o, (k) => xsIn[k] as number);
      vs = Float64Array.from(o, (k) => vsIn[k] as number);
      break;
    }
  }
  const pos = (k: number): number => (order ? (order[k] as number) : k);
  const first = window.xMin === undefined ? 0 : bound(xs, window.xMin, false);
  const end = window.xMax === undefined ? xs.length : bound(xs, window.xMax, true);
  const out: number[] = [];
  if (end <= first) return out;
  if (end - first <= maxPoints) {
    for (let k = first; k < end; k++) out.push(pos(k));
    return out;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const x0 = xs[first] as number;
  const width = ((xs[end - 1] as number) - x0) / buckets || 1;
  let k = first;
  for (let b = 0; b < buckets && k < end; b++) {
    const limit = b === buckets - 1 ? Infinity : x0 + (b + 1) * width;
    const start = k;
    let minK = start;
    let maxK = start;
    let minV = Infinity;
    let maxV = -Infinity;
    while (k < end && (xs[k] as number) < limit) {
      const v = vs[k] as number;
      if (v < minV) { minV = v; minK = k; }
      if (v > maxV) { maxV = v; maxK = k; }
      k++;
    }
    if (k === start) continue;
    const last = k - 1;
    const lo = minK < maxK ? minK : maxK;
    const hi = minK < maxK ? maxK : minK;
    out.push(pos(start));
    if (lo !== start) out.push(pos(lo));
    if (hi !== lo && hi !== start) out.push(pos(hi));
    if (last !== hi && last !== lo && last !== start) out.push(pos(last));
  }
  return out;
}
