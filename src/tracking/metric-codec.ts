/**
 * Packs a run's metric points into columnar chunks: one row per batch per key
 * instead of one row per point. A chunk is three little-endian float64
 * columns, steps then timestamps then values, so NaN and ±Infinity round-trip
 * bit for bit and decoding is a memory copy.
 */
import type { MetricSeries } from './domain.js';

/** Largest number of points in one stored chunk. */
export const CHUNK_POINTS = 65_536;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('Cairn stores metric chunks as little-endian float64 and needs a little-endian platform');
}

export interface EncodedChunk {
  readonly n: number;
  readonly minStep: number;
  readonly maxStep: number;
  readonly data: Uint8Array;
}

/** Splits a series into chunks of at most CHUNK_POINTS points. */
export function encodeSeries(series: MetricSeries): EncodedChunk[] {
  const total = series.values.length;
  const out: EncodedChunk[] = [];
  for (let start = 0; start < total; start += CHUNK_POINTS) {
    const n = Math.min(CHUNK_POINTS, total - start);
    const cols = new Float64Array(n * 3);
    let minStep = Infinity;
    let maxStep = -Infinity;
    for (let i = 0; i < n; i++) {
      const s = series.steps[start + i] as number;
      cols[i] = s;
      cols[n + i] = series.timestamps[start + i] as number;
      cols[2 * n + i] = series.values[start + i] as number;
      if (s < minStep) minStep = s;
      if (s > maxStep) maxStep = s;
    }
    out.push({ n, minStep, maxStep, data: new Uint8Array(cols.buffer) });
  }
  return out;
}

/** Columns of decoded points, in stored order. */
export interface DecodedColumns {
  readonly steps: Float64Array;
  readonly timestamps: Float64Array;
  readonly values: Float64Array;
}

/** Concatenates stored chunks (in insertion order) into three columns. */
export function decodeChunks(chunks: readonly { n: number; data: Uint8Array }[]): DecodedColumns {
  let total = 0;
  for (const c of chunks) total += c.n;
  const steps = new Float64Array(total);
  const timestamps = new Float64Array(total);
  const values = new Float64Array(total);
  let at = 0;
  for (const c of chunks) {
    // Copy into an aligned buffer: driver buffers may start at any byte offset.
    const bytes = c.data.byteOffset % 8 === 0 ? c.data : c.data.slice();
    const cols = new Float64Array(bytes.buffer, bytes.byteOffset, c.n * 3);
    steps.set(cols.subarray(0, c.n), at);
    timestamps.set(cols.subarray(c.n, 2 * c.n), at);
    values.set(cols.subarray(2 * c.n, 3 * c.n), at);
    at += c.n;
  }
  return { steps, timestamps, values };
}

export const COLUMN = { steps: 0, timestamps: 1, values: 2 } as const;

/** One column (steps, timestamps or values) of the stored chunks, concatenated. */
export function decodeColumn(chunks: readonly { n: number; data: Uint8Array }[], column: 0 | 1 | 2): Float64Array {
  let total = 0;
  for (const c of chunks) total += c.n;
  const out = new Float64Array(total);
  let at = 0;
  for (const c of chunks) {
    const bytes = c.data.byteOffset % 8 === 0 ? c.data : c.data.slice();
    out.set(new Float64Array(bytes.buffer, bytes.byteOffset + column * c.n * 8, c.n), at);
    at += c.n;
  }
  return out;
}

/** The points at the given positions (in stored order) of the stored chunks. */
export function gatherPoints(
  chunks: readonly { n: number; data: Uint8Array }[],
  positions: readonly number[],
): { steps: number[]; timestamps: number[]; values: number[] } {
  const starts: number[] = [];
  let total = 0;
  for (const c of chunks) { starts.push(total); total += c.n; }
  const out = { steps: [] as number[], timestamps: [] as number[], values: [] as number[] };
  for (const p of positions) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= p) lo = mid;
      else hi = mid - 1;
    }
    const c = chunks[lo] as { n: number; data: Uint8Array };
    const bytes = c.data.byteOffset % 8 === 0 ? c.data : c.data.slice();
    const view = new Float64Array(bytes.buffer, bytes.byteOffset, c.n * 3);
    const i = p - (starts[lo] as number);
    out.steps.push(view[i] as number);
    out.timestamps.push(view[c.n + i] as number);
    out.values.push(view[2 * c.n + i] as number);
  }
  return out;
}
