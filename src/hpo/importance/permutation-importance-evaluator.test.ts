import { describe, expect, it } from 'vitest';
import { InMemoryStudy, optimizeInMemory } from '../in-memory-study.js';
import { RandomSampler } from '../samplers/random-sampler.js';
import { PermutationImportanceEvaluator } from './permutation-importance-evaluator.js';

describe('PermutationImportanceEvaluator', () => {
  it('ranks a dominant param first, far ahead of the noise params', () => {
    const study = optimizeInMemory(new RandomSampler({ seed: 4 }), (t) => {
      const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
      const units = t.suggestInt('units', 8, 64);
      const act = t.suggestCategorical('act', ['relu', 'tanh', 'gelu']);
      return 10 * (Math.log10(lr) + 2) ** 2 + 0.01 * units + (act === 'tanh' ? 0.1 : 0);
    }, 150);
    const imp = new PermutationImportanceEvaluator({ seed: 1 }).evaluate(study);
    expect(Object.keys(imp)[0]).toBe('lr');
    expect(imp.lr).toBeGreaterThan(0.8);
    expect(Object.values(imp).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
  });

  it('finds a categorical param that matters, and refuses what it cannot explain', () => {
    const study = optimizeInMemory(new RandomSampler({ seed: 5 }), (t) => {
      const kind = t.suggestCategorical('kind', ['a', 'b', 'c']);
      const x = t.suggestFloat('x', 0, 1);
      return (kind === 'b' ? 0 : 5) + 0.1 * x;
    }, 80, ['maximize']);
    expect(Object.keys(new PermutationImportanceEvaluator().evaluate(study))[0]).toBe('kind');
    expect(() => new PermutationImportanceEvaluator({ params: ['nope'] }).evaluate(study)).toThrow(/not in every complete trial/);
    expect(() => new PermutationImportanceEvaluator({ objective: 1 }).evaluate(study)).toThrow(/objective 1 does not exist/);
    expect(() => new PermutationImportanceEvaluator().evaluate(new InMemoryStudy())).toThrow(/at least 4 complete trials/);
  });
});
