import { describe, expect, it } from 'vitest';
import { optimizeInMemory } from '../in-memory-study.js';
import { RandomSampler } from './random-sampler.js';
import { checkInside, mixedConditional, paramsOf } from './sampler-checks.js';

describe('RandomSampler', () => {
  it('is reproducible, covers log scales evenly and stays inside the distributions', () => {
    expect(paramsOf(optimizeInMemory(new RandomSampler({ seed: 1 }), mixedConditional, 20))).toEqual(paramsOf(optimizeInMemory(new RandomSampler({ seed: 1 }), mixedConditional, 20)));
    const study = optimizeInMemory(new RandomSampler({ seed: 2 }), mixedConditional, 400);
    expect(checkInside(study)).toBeGreaterThan(1000);
    const lrs = study.trials().map((t) => Math.log10(t.params.lr as number));
    const below = lrs.filter((v) => v < -2.5).length / lrs.length;
    expect(below).toBeGreaterThan(0.4);
    expect(below).toBeLessThan(0.6);
  });
});
