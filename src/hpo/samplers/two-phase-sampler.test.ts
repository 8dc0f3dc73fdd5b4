import { describe, expect, it } from 'vitest';
import { optimizeInMemory } from '../in-memory-study.js';
import { RandomSampler } from './random-sampler.js';
import { checkInside, medianBest, mixedConditional, paramsOf, sphere } from './sampler-checks.js';
import { narrow, TwoPhaseSampler } from './two-phase-sampler.js';

describe('TwoPhaseSampler', () => {
  it('narrows each kind of param to its grid', () => {
    expect(narrow({ kind: 'float', low: 0, high: 10, log: false, step: null }, [2, 3], 0.5)).toEqual({ kind: 'float', low: 1.5, high: 3.5, log: false, step: null });
    expect(narrow({ kind: 'int', low: 0, high: 100, log: false, step: 5 }, [20, 40], 0.25)).toEqual({ kind: 'int', low: 15, high: 45, log: false, step: 5 });
    expect(narrow({ kind: 'categorical', choices: ['a', 'b', 'c'] }, ['a', 'c'], 0)).toEqual({ kind: 'categorical', choices: ['a', 'c'] });
    expect(narrow({ kind: 'categorical', choices: ['a', 'b'] }, ['a', 'b'], 0)).toBeNull();
  });

  it('samples at random first, then inside the box of the best coarse trials, jointly', () => {
    const sampler = new TwoPhaseSampler({ seed: 1, nCoarseTrials: 20 });
    const study = optimizeInMemory(sampler, sphere(2), 60);
    // The joint path names the params by their original distributions, so the driver uses it.
    expect(Object.keys(sampler.inferRelativeSpace(study))).toEqual(['x0', 'x1']);
    expect(sampler.inferRelativeSpace(study).x0).toEqual(study.trial(0).distributions.x0);
    const coarse = study.trials().slice(0, 20);
    const top = [...coarse].sort((a, b) => a.values![0]! - b.values![0]!).slice(0, 4);
    const lo = Math.min(...top.map((t) => t.params.x0 as number)) - 5;
    const hi = Math.max(...top.map((t) => t.params.x0 as number)) + 5;
    for (const t of study.trials().slice(20)) {
      expect(t.params.x0 as number).toBeGreaterThanOrEqual(Math.max(-5, lo));
      expect(t.params.x0 as number).toBeLessThanOrEqual(Math.min(5, hi));
    }
  });

  it('is reproducible, stays inside the distributions and beats random search', () => {
    const run = (seed: number) => paramsOf(optimizeInMemory(new TwoPhaseSampler({ seed }), mixedConditional, 50));
    expect(run(4)).toEqual(run(4));
    expect(checkInside(optimizeInMemory(new TwoPhaseSampler({ seed: 5 }), mixedConditional, 80))).toBeGreaterThan(160);
    const two = medianBest((s) => new TwoPhaseSampler({ seed: s }), sphere(4), 100, [0, 1, 2, 3, 4]);
    const random = medianBest((s) => new RandomSampler({ seed: s }), sphere(4), 100, [0, 1, 2, 3, 4]);
    expect(two).toBeLessThan(random / 3);
  });
});
