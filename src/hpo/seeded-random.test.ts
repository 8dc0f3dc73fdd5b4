import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random.js';
import { cardinality, contains, validateDistribution } from './distributions.js';

describe('SeededRandom', () => {
  it('is reproducible from its seed and uniform enough', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    expect(new SeededRandom(43).next()).not.toBe(new SeededRandom(42).next());
  });
});

describe('distributions', () => {
  it('refuses impossible spaces with the fix', () => {
    expect(() => validateDistribution('lr', { kind: 'float', low: 1, high: 0, log: false, step: null })).toThrow(/greater than high/);
    expect(() => validateDistribution('lr', { kind: 'float', low: 0, high: 1, log: true, step: null })).toThrow(/log scale needs low > 0/);
    expect(() => validateDistribution('opt', { kind: 'categorical', choices: [] })).toThrow(/choices are empty/);
    expect(() => validateDistribution('n', { kind: 'int', low: 0.5, high: 3, log: false, step: 1 })).toThrow(/integers/);
  });

  it('knows which values a distribution can produce', () => {
    const d = { kind: 'int', low: 2, high: 10, log: false, step: 2 } as const;
    expect(contains(d, 4)).toBe(true);
    expect(contains(d, 5)).toBe(false);
    expect(cardinality(d)).toBe(5);
    expect(cardinality({ kind: 'float', low: 0, high: 1, log: false, step: null })).toBe(Infinity);
    expect(contains({ kind: 'categorical', choices: ['a', null] }, null)).toBe(true);
  });
});
