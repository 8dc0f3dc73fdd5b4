import { describe, expect, it } from 'vitest';
import { parseSearchSpace, sampleSpace } from './search-space.js';
import { paretoFront, bestTrial, optimizationHistory, parallelCoordinates } from './analysis.js';
import type { FrozenTrial } from './study-view.js';

describe('search space', () => {
  const space = parseSearchSpace({
    lr: { type: 'float', low: 1e-5, high: 0.1, log: true },
    optimizer: { type: 'categorical', choices: ['sgd', 'adam'] },
    momentum: { type: 'float', low: 0, high: 0.99, when: { optimizer: 'sgd' } },
    layers: { type: 'int', low: 1, high: 4 },
  });
  it('samples conditional params only when active', () => {
    const got = (opt: string) => sampleSpace(space, (n, d) => (n === 'optimizer' ? opt : d.kind === 'categorical' ? null : d.low));
    expect(Object.keys(got('sgd'))).toEqual(['lr', 'optimizer', 'momentum', 'layers']);
    expect(Object.keys(got('adam'))).toEqual(['lr', 'optimizer', 'layers']);
  });
  it('rejects impossible spaces with the param named', () => {
    expect(() => parseSearchSpace({ x: { type: 'float', low: 2, high: 1 } })).toThrow(/'x'.*greater than high/);
    expect(() => parseSearchSpace({ x: { type: 'float', low: 0, high: 1, log: true } })).toThrow(/log scale needs low > 0/);
    expect(() => parseSearchSpace({ x: { type: 'categorical', choices: [] } })).toThrow(/empty/);
    expect(() => parseSearchSpace({ x: { type: 'int', low: 0, high: 1, when: { y: 1 } } })).toThrow(/not an earlier param/);
    expect(() => parseSearchSpace({ x: { type: 'normal' } })).toThrow(/float, int or categorical/);
  });
});

const done = (number: number, values: number[]): FrozenTrial => ({
  number, id: `t${number}`, state: 'COMPLETE', params: { a: number }, distributions: {}, values, intermediate: [], fixedParams: {}, startedAt: 0, completedAt: 1,
});

describe('analysis', () => {
  const ts = [done(0, [3, 3]), done(1, [1, 4]), done(2, [2, 2]), done(3, [4, 1]), done(4, [3, 2.5])];
  it('finds the Pareto front for mixed directions', () => {
    expect(paretoFront(ts, ['minimize', 'minimize']).map((t) => t.number)).toEqual([1, 2, 3]);
    expect(paretoFront(ts, ['maximize', 'maximize']).map((t) => t.number)).toEqual([0, 1, 3]);
  });
  it('best trial, history and parallel coordinates', () => {
    expect(bestTrial(ts, 'minimize')?.number).toBe(1);
    expect(optimizationHistory(ts, 'minimize').map((p) => p.best)).toEqual([3, 1, 1, 1, 1]);
    const pc = parallelCoordinates(ts, ['a', 'b']);
    expect(pc.params).toEqual(['a']);
    expect(pc.rows[1]).toEqual({ number: 1, params: [1], values: [1, 4] });
  });
});
