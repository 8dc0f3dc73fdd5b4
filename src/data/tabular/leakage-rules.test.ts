import { describe, expect, it } from 'vitest';
import { isLeaky, leakSeverity, rankFeatures } from './leakage-rules.js';
import type { FeatureLeak } from './tabular-engine.js';

describe('leakage rules', () => {
  it('flags perfect and near-perfect scores that beat the baseline with enough coverage', () => {
    expect(leakSeverity('value-groups', 1, 1, 0.5)).toBe('perfect');
    expect(leakSeverity('value-groups', 0.995, 0.8, 0.5)).toBe('near-perfect');
    expect(leakSeverity('value-groups', 0.98, 1, 0.5)).toBeNull();
    expect(leakSeverity('value-groups', 1, 0.2, 0.5)).toBeNull(); // an id: values seldom recur
    expect(leakSeverity('value-groups', 0.995, 1, 0.995)).toBeNull(); // no better than the majority class
    expect(leakSeverity('correlation', 0.991, 1, null)).toBe('near-perfect');
    expect(leakSeverity('correlation', Number.NaN, 1, null)).toBeNull();
  });

  it('ranks flagged features first and says when anything leaks', () => {
    const f = (feature: string, score: number, severity: FeatureLeak['severity']): FeatureLeak =>
      ({ feature, measure: 'value-groups', score, coverage: 1, severity, examples: [] });
    const ranked = rankFeatures([f('a', 0.7, null), f('b', 0.995, 'near-perfect'), f('c', 1, 'perfect'), f('d', 0.9, null)]);
    expect(ranked.map((x) => x.feature)).toEqual(['c', 'b', 'd', 'a']);
    expect(isLeaky([], ranked)).toBe(true);
    expect(isLeaky([{ kind: 'exact-duplicates', rows: 0, distinct: 0, examples: [] }], [f('a', 0.5, null)])).toBe(false);
    expect(isLeaky([{ kind: 'train-duplicates', rows: 2, distinct: 1, examples: [] }], [])).toBe(true);
  });
});
