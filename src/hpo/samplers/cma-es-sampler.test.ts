import { describe, expect, it } from 'vitest';
import { ask, InMemoryStudy, optimizeInMemory, tell } from '../in-memory-study.js';
import { CmaEsSampler } from './cma-es-sampler.js';
import { RandomSampler } from './random-sampler.js';
import { checkInside, medianBest, mixedConditional, paramsOf, sphere } from './sampler-checks.js';

describe('CmaEsSampler', () => {
  it('is reproducible, stays inside the distributions and beats random search by orders of magnitude', () => {
    const run = (seed: number) => paramsOf(optimizeInMemory(new CmaEsSampler({ seed }), sphere(4), 40));
    expect(run(3)).toEqual(run(3));
    expect(checkInside(optimizeInMemory(new CmaEsSampler({ seed: 1 }), mixedConditional, 60))).toBeGreaterThan(120);
    const cma = medianBest((s) => new CmaEsSampler({ seed: s }), sphere(5), 200, [0, 1, 2]);
    const random = medianBest((s) => new RandomSampler({ seed: s }), sphere(5), 200, [0, 1, 2]);
    expect(cma).toBeLessThan(random / 100);
  });

  it('fills a generation past failed and running trials', () => {
    const sampler = new CmaEsSampler({ seed: 2 });
    const study = new InMemoryStudy();
    for (let i = 0; i < 60; i++) {
      const t = ask(study, sampler);
      const x = t.suggestFloat('x', -3, 3);
      const y = t.suggestInt('y', -3, 3);
      if (i % 5 === 4) tell(study, sampler, t.number, 'FAIL');
      else if (i % 7 !== 6) tell(study, sampler, t.number, x * x + y * y);
    }
    expect(checkInside(study)).toBe(120);
    expect(Math.min(...study.trials(['COMPLETE']).map((t) => t.values![0]!))).toBeLessThan(0.05);
  });
});
