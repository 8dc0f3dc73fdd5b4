import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../seeded-random.js';
import { logNormalMass } from '../normal.js';
import { ParzenEstimator, type ParzenDimension, type ParzenOptions } from './parzen-estimator.js';
import { sortedOrder } from './parzen-kernels.js';

/** The order sortedOrder promises: ascending by 30-bit quantised value, ties by index. */
function referenceOrder(values: readonly number[], low: number, high: number): number[] {
  const scale = high > low ? (2 ** 30 - 1) / (high - low) : 0;
  const q = values.map((v) => Math.floor((v - low) * scale));
  return values.map((_, i) => i).sort((a, b) => q[a]! - q[b]! || a - b);
}

describe('sortedOrder', () => {
  it('orders small and large inputs (native sort and radix paths) by value, ties by index', () => {
    const rng = new SeededRandom(5);
    for (const n of [0, 1, 2, 50, 127, 128, 1000, 5000]) {
      // Every third value repeats an earlier one, and the bounds themselves occur.
      const values = Array.from({ length: n }, (_, i) => (i % 3 === 2 ? (Math.floor(i / 2) % 7) - 3 : rng.uniform(-5, 5)));
      if (n > 10) values[4] = -5;
      if (n > 10) values[9] = 5;
      expect([...sortedOrder(values, -5, 5)]).toEqual(referenceOrder(values, -5, 5));
    }
  });

  it('keeps index order when the range is empty', () => {
    expect([...sortedOrder(new Array<number>(300).fill(2), 2, 2)]).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });
});

interface Kernels {
  readonly kind: 'numeric' | 'categorical';
  readonly low: number; readonly high: number; readonly step?: number; readonly log: boolean; readonly size: number;
  readonly mu: Float64Array; readonly sigma: Float64Array; readonly logNorm: Float64Array; readonly logP: Float64Array;
}

/** The mixture's log density summed over every kernel (the estimator's own kernels, read through a cast). */
function bruteLogPdf(est: ParzenEstimator, x: readonly number[]): number {
  const { dims, logW } = est as unknown as { dims: Kernels[]; logW: Float64Array };
  const terms = Array.from(logW, (w, j) => w + dims.reduce((acc, dim, d) => {
    const xd = x[d]!;
    if (dim.kind === 'categorical') return acc + dim.logP[j * dim.size + xd]!;
    const mu = dim.mu[j]!;
    const s = dim.sigma[j]!;
    if (dim.step === undefined) return acc + dim.logNorm[j]! - 0.5 * ((xd - mu) / s) ** 2;
    const v = dim.log ? Math.exp(xd) : xd;
    const lo = Math.max(dim.low, dim.log ? Math.log(Math.max(v - dim.step / 2, 1e-300)) : v - dim.step / 2);
    const hi = Math.min(dim.high, dim.log ? Math.log(v + dim.step / 2) : v + dim.step / 2);
    return acc + dim.logNorm[j]! + Math.log(s) + 0.5 * Math.log(2 * Math.PI) + logNormalMass((lo - mu) / s, (hi - mu) / s);
  }, 0));
  const max = Math.max(...terms);
  return max + Math.log(terms.reduce((a, t) => a + Math.exp(t - max), 0));
}

describe('ParzenEstimator.logPdf', () => {
  it('equals the sum over every kernel when it skips the kernels that cannot matter', () => {
    const rng = new SeededRandom(11);
    const dims: ParzenDimension[] = [
      { kind: 'numeric', low: 1, high: 64, step: 1 },
      { kind: 'numeric', low: -5, high: 5 },
      { kind: 'categorical', size: 3 },
      { kind: 'numeric', low: Math.log(0.5), high: Math.log(1024.5), step: 1, log: true },
      { kind: 'numeric', low: 0, high: 1 },
      { kind: 'numeric', low: -2, high: 2 },
    ];
    const draw = (): number[] => [rng.int(64) + 1, rng.uniform(-5, 5), rng.int(3), Math.log(rng.int(1024) + 1), rng.next(), rng.uniform(-2, 2)];
    const base: ParzenOptions = { priorWeight: 1, bandwidth: 'neighbor', scottFactor: 0.2, magicClip: true, bandwidthScale: 1, categoricalSmoothing: 1 };
    // Narrow kernels (most are skipped) and middling ones (many lie near the cut).
    for (const [n, options] of [[10, base], [70, base], [400, base], [300, { ...base, bandwidth: 'scott', scottFactor: 0.03 }],
      [300, { ...base, bandwidth: 'scott', scottFactor: 0.06 }]] as const) {
      const obs = Array.from({ length: n }, draw);
      const est = new ParzenEstimator(dims, obs, obs.map((_, i) => 0.2 + (0.8 * i) / n), options);
      // Points near observations (where a few kernels dominate) and anywhere.
      const points = [...obs.slice(0, 5), ...Array.from({ length: 20 }, draw)];
      const got = est.logPdf(points);
      points.forEach((x, i) => expect(got[i]).toBeCloseTo(bruteLogPdf(est, x), 9));
    }
  });

  it('equals the sum over every kernel when only one dimension is continuous (no fused first pass)', () => {
    const rng = new SeededRandom(12);
    const dims: ParzenDimension[] = [{ kind: 'categorical', size: 4 }, { kind: 'numeric', low: 0.5, high: 20.5, step: 1 }, { kind: 'numeric', low: -1, high: 1 }];
    const draw = (): number[] => [rng.int(4), rng.int(20) + 1, rng.uniform(-1, 1)];
    const obs = Array.from({ length: 300 }, draw);
    const est = new ParzenEstimator(dims, obs, obs.map(() => 1),
      { priorWeight: 1, bandwidth: 'neighbor', scottFactor: 0.2, magicClip: true, bandwidthScale: 1, categoricalSmoothing: 1 });
    const points = [...obs.slice(0, 5), ...Array.from({ length: 20 }, draw)];
    const got = est.logPdf(points);
    points.forEach((x, i) => expect(got[i]).toBeCloseTo(bruteLogPdf(est, x), 9));
  });
});
