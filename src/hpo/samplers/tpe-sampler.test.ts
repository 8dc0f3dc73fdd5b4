import { describe, expect, it } from 'vitest';
import { ask, InMemoryStudy, optimizeInMemory, tell } from '../in-memory-study.js';
import { hypervolume } from '../pareto.js';
import type { Sampler } from '../sampler.js';
import { RandomSampler } from './random-sampler.js';
import { checkInside, medianBest, mixedConditional, paramsOf, sphere } from './sampler-checks.js';
import { TpeSampler } from './tpe-sampler.js';

const seeds = [0, 1, 2, 3, 4];

describe('TpeSampler', () => {
  it('is reproducible from its seed', () => {
    const run = (seed: number) => paramsOf(optimizeInMemory(new TpeSampler({ seed }), mixedConditional, 40));
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('keeps every value inside its distribution on a conditional space, in every mode', () => {
    for (const options of [{}, { multivariate: false }, { group: true }, { constantLiar: true }]) {
      const study = optimizeInMemory(new TpeSampler({ seed: 3, ...options }), mixedConditional, 60);
      expect(checkInside(study)).toBeGreaterThan(150);
    }
  });

  it('beats random search by a wide margin on a sphere and on a mixed conditional space', () => {
    const tpe = medianBest((s) => new TpeSampler({ seed: s }), sphere(4), 100, seeds);
    const random = medianBest((s) => new RandomSampler({ seed: s }), sphere(4), 100, seeds);
    expect(tpe).toBeLessThan(random / 5);
    const uni = medianBest((s) => new TpeSampler({ seed: s, multivariate: false }), sphere(4), 100, seeds);
    expect(uni).toBeLessThan(random / 3);
    const mixedTpe = medianBest((s) => new TpeSampler({ seed: s }), mixedConditional, 80, seeds);
    const mixedRandom = medianBest((s) => new RandomSampler({ seed: s }), mixedConditional, 80, seeds);
    expect(mixedTpe).toBeLessThan(mixedRandom / 4);
  });

  it('spreads parallel workers out with the constant liar', () => {
    const spread = (constantLiar: boolean): number => {
      const sampler = new TpeSampler({ seed: 11, constantLiar });
      const study = optimizeInMemory(sampler, sphere(2), 0);
      const objective = sphere(2);
      for (let i = 0; i < 30; i++) {
        const t = ask(study, sampler);
        tell(study, sampler, t.number, objective(t) as number);
      }
      // Eight workers ask before any of them tells.
      const pending = Array.from({ length: 8 }, () => {
        const t = ask(study, sampler);
        return [t.suggestFloat('x0', -5, 5), t.suggestFloat('x1', -5, 5)] as const;
      });
      let d = 0;
      for (const a of pending) for (const b of pending) d += Math.hypot(a[0] - b[0], a[1] - b[1]);
      return d;
    };
    expect(spread(true)).toBeGreaterThan(1.5 * spread(false));
  });

  it('learns from pruned trials without failing', () => {
    const sampler = new TpeSampler({ seed: 5 });
    const study = new InMemoryStudy();
    for (let i = 0; i < 30; i++) {
      const t = ask(study, sampler);
      const x = t.suggestFloat('x', -5, 5);
      t.report(1, x * x);
      if (i % 3 === 0) tell(study, sampler, t.number, 'PRUNED');
      else tell(study, sampler, t.number, x * x);
    }
    expect(study.trials(['PRUNED']).length).toBe(10);
    expect(checkInside(study)).toBe(30);
  });

  it('finds a better Pareto front than random search on two objectives (MOTPE)', () => {
    const objective = (t: Parameters<typeof mixedConditional>[0]): number[] => {
      const x = t.suggestFloat('x', 0, 1);
      const y = t.suggestFloat('y', 0, 1);
      const g = 1 + 9 * y;
      return [x, g * (1 - Math.sqrt(x / g))]; // ZDT1 in 2-d
    };
    const hv = (make: (s: number) => Sampler, seed: number): number => {
      const study = optimizeInMemory(make(seed), objective, 80, ['minimize', 'minimize']);
      return hypervolume(study.trials(['COMPLETE']).map((t) => [...t.values!]), [1.1, 11]);
    };
    const tpe = seeds.map((s) => hv((x) => new TpeSampler({ seed: x }), s)).sort((a, b) => a - b)[2]!;
    const random = seeds.map((s) => hv((x) => new RandomSampler({ seed: x }), s)).sort((a, b) => a - b)[2]!;
    expect(tpe).toBeGreaterThan(random + 0.1);
  });

  it('handles three objectives with maximised ones', () => {
    const study = optimizeInMemory(new TpeSampler({ seed: 2 }), (t) => {
      const x = t.suggestFloat('x', 0, 1);
      const k = t.suggestInt('k', 0, 4);
      return [x, 1 - x + k, -(x * (1 - x)) - k];
    }, 50, ['minimize', 'minimize', 'maximize']);
    expect(checkInside(study)).toBe(100);
    // The maximised third objective pulls k to 0: good trials keep it there.
    expect(study.trials().slice(30).filter((t) => t.params.k === 0).length).toBeGreaterThan(8);
  });

  it('handles single-valued params', () => {
    const study = optimizeInMemory(new TpeSampler({ seed: 1 }), (t) => {
      const a = t.suggestFloat('a', 2, 2);
      const b = t.suggestCategorical('b', ['only']);
      const n = t.suggestInt('n', 3, 3);
      return a + n + (b === 'only' ? t.suggestFloat('x', 0, 1) : 0);
    }, 25);
    expect(checkInside(study)).toBe(100);
  });
});
