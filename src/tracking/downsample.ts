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

/**
 * Returns at most `maxPoints` points (at least 4 when there are that many),
 * ordered by x. `x` picks the axis: `step` or `timestamp`. Points outside
 * [xMin, xMax] are dropped first when a window is given (zooming).
 */
export function downsampleMinMax(
  cols: DecodedColumns,
  maxPoints: number,
  x: 'step' | 'timestamp' = 'step',
  window?: { xMin?: number; xMax?: number },
): Downsampled {
  const xs = x === 'step' ? cols.steps : cols.timestamps;
  const n = xs.length;
  let order: Int32Array | null = null;
  for (let i = 1; i < n; i++) {
    if ((xs[i] as number) < (xs[i - 1] as number)) {
      order = Int32Array.from({ length: n }, (_, k) => k).sort((a, b) => (xs[a] as number) - (xs[b] as number));
      break;
    }
  }
  const at = (k: number): number => (order ? (order[k] as number) : k);
  const lo = window?.xMin ?? -Infinity;
  const hi = window?.xMax ?? Infinity;
  const idx: number[] = [];
  let first = -1;
  let last = -1;
  for (let k = 0; k < n; k++) {
    const v = xs[at(k)] as number;
    if (v < lo || v > hi) continue;
    if (first < 0) first = k;
    last = k;
  }
  const out: Downsampled = { steps: [], timestamps: [], values: [] };
  if (first < 0) return out;
  const count = last - first + 1;
  const push = (k: number) => {
    const i = at(k);
    out.steps.push(cols.steps[i] as number);
    out.timestamps.push(cols.timestamps[i] as number);
    out.values.push(cols.values[i] as number);
  };
  if (count <= maxPoints) {
    for (let k = first; k <= last; k++) push(k);
    return out;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 4));
  const x0 = xs[at(first)] as number;
  const width = ((xs[at(last)] as number) - x0) / buckets || 1;
  let k = first;
  for (let b = 0; b < buckets && k <= last; b++) {
    const end = b === buckets - 1 ? Infinity : x0 + (b + 1) * width;
    const start = k;
    let minK = k;
    let maxK = k;
    while (k <= last && (xs[at(k)] as number) < end) {
      const v = cols.values[at(k)] as number;
      if (v < (cols.values[at(minK)] as number) || Number.isNaN(cols.values[at(minK)] as number)) minK = k;
      if (v > (cols.values[at(maxK)] as number) || Number.isNaN(cols.values[at(maxK)] as number)) maxK = k;
      k++;
    }
    if (k === start) continue;
    for (const pick of [...new Set([start, minK, maxK, k - 1])].sort((a, b) => a - b)) idx.push(pick);
  }
  for (const p of idx) push(p);
  return out;
}
