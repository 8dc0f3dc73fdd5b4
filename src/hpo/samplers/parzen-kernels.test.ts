import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../seeded-random.js';
import { buildKernels, KernelCache, type Kernels, type ParzenDimension, type ParzenOptions } from './parzen-kernels.js';

const DIMS: ParzenDimension[] = [
  { kind: 'numeric', low: -5, high: 5 },
  { kind: 'numeric', low: 0.5, high: 64.5, step: 1 },
  { kind: 'categorical', size: 3 },
  { kind: 'numeric', low: Math.log(1e-5), high: Math.log(1e-1) },
];
const OPTIONS: ParzenOptions = { priorWeight: 1, bandwidth: 'neighbor', scottFactor: 0.2, magicClip: true, bandwidthScale: 1, categoricalSmoothing: 1 };

/** Every array of every dimension, as plain numbers, for exact comparison. */
const flat = (ks: readonly Kernels[]): number[][] => ks.flatMap((k) =>
  (k.kind === 'numeric' ? [[...k.mu], [...k.sigma], [...k.invSigma], [...k.logNorm]] : [[...k.logP], [...k.cumP]]));

describe('KernelCache', () => {
  it('gives the kernels a fresh build gives, bit for bit, as observations come and go', () => {
    const rng = new SeededRandom(7);
    const draw = (): number[] => [rng.uniform(-5, 5), rng.int(64) + 1, rng.int(3), rng.uniform(Math.log(1e-5), Math.log(1e-1))];
    // Trial number → coordinates; a trial keeps its coordinates for good.
    const coords = new Map<number, number[]>();
    let present: number[] = [];
    let next = 0;
    const cache = new KernelCache();
    for (let step = 0; step < 400; step++) {
      // Mostly one new trial; sometimes one leaves (a good trial displaced, a running one finishing) or a burst arrives.
      const burst = step % 97 === 0 ? 40 : 1;
      for (let b = 0; b < burst; b++) {
        coords.set(next, draw());
        present.push(next++);
      }
      if (step % 3 === 0 && present.length > 10) present.splice(rng.int(present.length), 1);
      if (step % 11 === 0) {
        // A trial that left comes back (a liar's running trial, told and now bad).
        const gone = [...coords.keys()].filter((k) => !present.includes(k));
        if (gone.length > 0) present = [...present, gone[rng.int(gone.length)]!].sort((a, b) => a - b);
      }
      // The study's values sit exactly on each other now and then: ties in the sort.
      if (step % 13 === 0) coords.set(next - 1, [...coords.get(present[0]!)!]);
      const obs = present.map((k) => coords.get(k)!);
      expect(flat(cache.kernels(DIMS, obs, present, OPTIONS))).toEqual(flat(buildKernels(DIMS, obs, OPTIONS)));
    }
    expect(present.length).toBeGreaterThan(300);
  });

  it('rebuilds when a kept key comes back with other coordinates, or the options change', () => {
    const rng = new SeededRandom(3);
    const obs = Array.from({ length: 200 }, () => [rng.uniform(-5, 5), rng.int(64) + 1, rng.int(3), rng.uniform(-11, -2)]);
    const keys = obs.map((_, i) => i);
    const cache = new KernelCache();
    cache.kernels(DIMS, obs, keys, OPTIONS);
    const moved = obs.map((x, i) => (i === 50 ? [x[0]! + 1, x[1]!, x[2]!, x[3]!] : x));
    expect(flat(cache.kernels(DIMS, moved, keys, OPTIONS))).toEqual(flat(buildKernels(DIMS, moved, OPTIONS)));
    const wider = { ...OPTIONS, bandwidthScale: 2 };
    expect(flat(cache.kernels(DIMS, moved, keys, wider))).toEqual(flat(buildKernels(DIMS, moved, wider)));
    const scott = { ...OPTIONS, bandwidth: 'scott' as const };
    expect(flat(cache.kernels(DIMS, moved, keys, scott))).toEqual(flat(buildKernels(DIMS, moved, scott)));
  });
});
