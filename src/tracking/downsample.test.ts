import { describe, expect, it } from 'vitest';
import { downsampleMinMax } from './downsample.js';
import { encodeSeries, gatherPoints, decodeColumn, COLUMN } from './metric-codec.js';

/** Encodes like the store does, downsamples, and gathers the chosen points. */
function run(steps: number[], values: number[], maxPoints: number, axis: 'step' | 'timestamp' = 'step', window = {}) {
  const chunks = encodeSeries({ key: 'k', steps, timestamps: steps.map((s) => s * 10), values });
  const xs = decodeColumn(chunks, axis === 'step' ? COLUMN.steps : COLUMN.timestamps);
  return gatherPoints(chunks, downsampleMinMax(xs, decodeColumn(chunks, COLUMN.values), maxPoints, window));
}

describe('downsampleMinMax', () => {
  it('returns short series unchanged', () => {
    const d = run([0, 1, 2], [3, 1, 2], 100);
    expect(d.values).toEqual([3, 1, 2]);
    expect(d.timestamps).toEqual([0, 10, 20]);
  });

  it('keeps the global extremes, the ends, and stays within maxPoints, in x order, across chunks', () => {
    const n = 200_000;
    const steps = Array.from({ length: n }, (_, i) => i);
    const values = steps.map((i) => Math.cos(i / 500));
    values[154_321] = 1e6;
    values[4_321] = -1e6;
    values[10] = NaN;
    const d = run(steps, values, 1000);
    expect(d.values.length).toBeLessThanOrEqual(1000);
    expect(d.values.length).toBeGreaterThanOrEqual(500); // at least first and last of each of the 250 buckets
    expect(Math.max(...d.values.filter((v) => !Number.isNaN(v)))).toBe(1e6);
    expect(Math.min(...d.values.filter((v) => !Number.isNaN(v)))).toBe(-1e6);
    expect(d.steps[0]).toBe(0);
    expect(d.steps.at(-1)).toBe(n - 1);
    for (let i = 1; i < d.steps.length; i++) expect(d.steps[i]!).toBeGreaterThan(d.steps[i - 1]!);
    for (let i = 0; i < d.steps.length; i++) expect(d.timestamps[i]).toBe(d.steps[i]! * 10);
  });

  it('sorts out-of-order histories by x and honours a zoom window', () => {
    const steps = [5, 1, 3, 2, 4, 0];
    const d = run(steps, steps.map((s) => s * 2), 100, 'step', { xMin: 1, xMax: 4 });
    expect(d.steps).toEqual([1, 2, 3, 4]);
    expect(d.values).toEqual([2, 4, 6, 8]);
  });

  it('uses timestamps as x when asked', () => {
    expect(run([0, 1, 2], [1, 2, 3], 100, 'timestamp', { xMin: 5, xMax: 20 }).steps).toEqual([1, 2]);
  });
});
