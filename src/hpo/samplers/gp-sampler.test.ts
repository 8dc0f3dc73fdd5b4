import { describe, expect, it } from 'vitest';
import { optimizeInMemory } from '../in-memory-study.js';
import { SeededRandom } from '../seeded-random.js';
import { fitGaussianProcess, GaussianProcess, negativeLogPosterior } from './gaussian-process.js';
import { GpSampler, warpHeavyTail } from './gp-sampler.js';
import { RandomSampler } from './random-sampler.js';
import { checkInside, medianBest, mixedConditional, paramsOf, sphere } from './sampler-checks.js';

describe('GaussianProcess', () => {
  it('has an analytic gradient that matches finite differences', () => {
    const rng = new SeededRandom(1);
    const x = Array.from({ length: 12 }, () => [rng.next(), rng.next(), rng.int(3)]);
    const y = x.map((p) => Math.sin(5 * p[0]!) + p[1]! + (p[2] === 1 ? 0.5 : 0));
    const p = [Math.log(0.3), Math.log(0.7), Math.log(0.5), 0.2, Math.log(1e-2)];
    const [, g] = negativeLogPosterior(x, y, [false, false, true], p);
    for (let i = 0; i < p.length; i++) {
      const h = 1e-5;
      const up = negativeLogPosterior(x, y, [false, false, true], p.map((v, j) => (j === i ? v + h : v)))[0];
      const down = negativeLogPosterior(x, y, [false, false, true], p.map((v, j) => (j === i ? v - h : v)))[0];
      expect(g[i]).toBeCloseTo((up - down) / (2 * h), 4);
    }
  });

  it('interpolates its data after fitting and is unsure far from it', () => {
    const x = [0, 0.2, 0.4, 0.6, 0.8, 1].map((v) => [v]);
    const y = x.map(([v]) => Math.sin(6 * v!));
    const hyper = fitGaussianProcess(x, y, [false], { rng: new SeededRandom(2) });
    const gp = new GaussianProcess(x, y, [false], hyper);
    const [m, v] = gp.predict([0.4]);
    expect(m).toBeCloseTo(y[2]!, 2);
    expect(v).toBeLessThan(gp.predict([0.5])[1]);
  });
});

describe('GpSampler', () => {
  it('is reproducible, stays inside the distributions and beats random search clearly', () => {
    const run = (seed: number) => paramsOf(optimizeInMemory(new GpSampler({ seed }), sphere(3), 25));
    expect(run(1)).toEqual(run(1));
    expect(checkInside(optimizeInMemory(new GpSampler({ seed: 2 }), mixedConditional, 30))).toBeGreaterThan(60);
    const gp = medianBest((s) => new GpSampler({ seed: s }), sphere(3), 35, [0, 1, 2]);
    const random = medianBest((s) => new RandomSampler({ seed: s }), sphere(3), 35, [0, 1, 2]);
    expect(gp).toBeLessThan(random / 10);
  });

  it('log-warps only right-skewed losses, keeping their order', () => {
    const flat = [1, 2, 3, 4, 5];
    expect(warpHeavyTail(flat)).toEqual(flat);
    const skewed = [1, 2, 1.5, 3, 1e6, 2.5, 1.2];
    const warped = warpHeavyTail(skewed);
    expect(warped).not.toEqual(skewed);
    const order = (xs: number[]) => xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
    expect(order(warped)).toEqual(order(skewed));
    expect(Math.max(...warped) - Math.min(...warped)).toBeLessThan(20);
  });

  it('ignores infinite losses', () => {
    const study = optimizeInMemory(new GpSampler({ seed: 3 }), (t) => {
      const x = t.suggestFloat('x', -2, 2);
      return x > 1.5 ? Infinity : (x - 0.3) ** 2;
    }, 20);
    expect(checkInside(study)).toBe(20);
    expect(Math.min(...study.trials().map((t) => t.values![0]!))).toBeLessThan(0.01);
  });

  it('refuses several objectives with a pointer to TPE', () => {
    expect(() => optimizeInMemory(new GpSampler(), (t) => [t.suggestFloat('x', 0, 1), 1], 12, ['minimize', 'minimize'])).toThrow(/Use TpeSampler/);
  });
});
