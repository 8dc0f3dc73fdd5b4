import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../seeded-random.js';
import { sortedOrder } from './parzen-estimator.js';

/** The order sortedOrder promises: ascending by 30-bit quantised value, ties by index. */
function referenceOrder(values: readonly number[], low: number, high: number): number[] {
  const scale = high > low ? (2 ** 30 - 1) / (high - low) : 0;
  const q = values.map((v) => Math.floor((v - low) * scale));
  return values.map((_, i) => i).sort((a, b) => q[a]! - q[b]! || a - b);
}

describe('sortedOrder', () => {
  it('orders small and large inputs (native sort and radix paths) by value, ties by index', () => {
    const rng = new SeededRandom(5);
    for (const n of [0, 1, 2, 50, 127, 128, 1000, 5000]) {
      // Every third value repeats an earlier one, and the bounds themselves occur.
      const values = Array.from({ length: n }, (_, i) => (i % 3 === 2 ? (Math.floor(i / 2) % 7) - 3 : rng.uniform(-5, 5)));
      if (n > 10) values[4] = -5;
      if (n > 10) values[9] = 5;
      expect([...sortedOrder(values, -5, 5)]).toEqual(referenceOrder(values, -5, 5));
    }
  });

  it('keeps index order when the range is empty', () => {
    expect([...sortedOrder(new Array<number>(300).fill(2), 2, 2)]).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });
});
