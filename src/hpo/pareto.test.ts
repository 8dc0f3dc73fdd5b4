import { describe, expect, it } from 'vitest';
import { InMemoryStudy } from './in-memory-study.js';
import { dominates, hypervolume, hypervolumeContributions, nonDominatedRanks, paretoFront } from './pareto.js';

describe('pareto', () => {
  it('ranks points by non-domination', () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(nonDominatedRanks([[1, 3], [2, 2], [3, 1], [2, 3], [3, 3], [4, 4]])).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('computes exact hypervolumes in 2 and 3 dimensions', () => {
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4])).toBe(6);
    expect(hypervolume([[1, 1]], [0, 0])).toBe(0);
    expect(hypervolume([[0, 0, 0]], [1, 2, 3])).toBe(6);
    // Two unit-overlapping boxes: 8 + 8 − 4.
    expect(hypervolume([[0, 0, 1], [0, 1, 0]], [2, 2, 2])).toBe(6);
    expect(hypervolumeContributions([[1, 3], [2, 2], [3, 1]], [4, 4])).toEqual([1, 1, 1]);
  });

  it('returns the Pareto front of a study, honouring directions', () => {
    const study = new InMemoryStudy(['minimize', 'maximize']);
    const results = [[1, 1], [2, 3], [3, 2], [0.5, 0]];
    for (const r of results) study.finish(study.createTrial(), 'COMPLETE', r);
    expect(paretoFront(study).map((t) => t.number)).toEqual([0, 1, 3]);
  });
});
