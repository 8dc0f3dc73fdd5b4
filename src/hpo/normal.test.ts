import { describe, expect, it } from 'vitest';
import { logExpectedImprovement, logNormalCdf, logNormalMass, normalCdf, normalQuantile, sampleTruncatedNormal } from './normal.js';
import { SeededRandom } from './seeded-random.js';

describe('normal', () => {
  it('computes the CDF, its log in the far tail and its inverse', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(logNormalCdf(-40)).toBeCloseTo(-804.608, 2);
    for (const p of [1e-10, 0.01, 0.3, 0.5, 0.9, 1 - 1e-9]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 7);
    expect(Math.exp(logNormalMass(-1, 1))).toBeCloseTo(0.682689, 6);
    expect(Number.isFinite(logNormalMass(30, 31))).toBe(true);
  });

  it('samples truncated normals inside their bounds, far tails included', () => {
    const rng = new SeededRandom(1);
    for (const [mu, lo, hi] of [[0, -1, 1], [0, 5, 6], [10, -1, 0], [0.5, 0, 1]] as const) {
      for (let i = 0; i < 200; i++) {
        const x = sampleTruncatedNormal(rng, mu, 1, lo, hi);
        expect(x).toBeGreaterThanOrEqual(lo);
        expect(x).toBeLessThanOrEqual(hi);
      }
    }
  });

  it('gives a finite log EI that grows with the predicted improvement, even without hope', () => {
    const values = [-50, -10, -3, 0, 1, 3].map((d) => logExpectedImprovement(d, 1, 0));
    values.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThan(values[i - 1]!);
    // EI(μ = best, σ = 1) = φ(0)
    expect(Math.exp(logExpectedImprovement(0, 1, 0))).toBeCloseTo(0.398942, 5);
    // Both branches of h(z) around z = −6 (reference values from Python's math.erfc).
    expect(logExpectedImprovement(5.999, 1, 0)).toBeCloseTo(-22.57257, 4);
    expect(logExpectedImprovement(6.001, 1, 0)).toBeCloseTo(-22.58519, 2);
  });
});
