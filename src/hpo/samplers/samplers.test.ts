import { describe, expect, it } from 'vitest';
import { contains, type Distribution } from '../distributions.js';
import type { FrozenTrial, StudyView } from '../study-view.js';
import { RandomSampler } from './random-sampler.js';
import { GridSampler } from './grid-sampler.js';
import { SobolSampler } from './sobol-sampler.js';
import { SobolSequence } from './sobol-sequence.js';

export const trialN = (number: number, over: Partial<FrozenTrial> = {}): FrozenTrial => ({
  number, id: `t${number}`, state: 'RUNNING', params: {}, distributions: {}, values: null,
  intermediate: [], fixedParams: {}, startedAt: null, completedAt: null, ...over,
});
const view = (trials: FrozenTrial[]): StudyView => ({
  id: 's', name: 's', directions: ['minimize'], trials: (st) => trials.filter((t) => !st || st.includes(t.state)),
});

const SPACE: Record<string, Distribution> = {
  lr: { kind: 'float', low: 1e-5, high: 1e-1, log: true, step: null },
  layers: { kind: 'int', low: 1, high: 8, log: false, step: 1 },
  width: { kind: 'int', low: 16, high: 1024, log: true, step: 1 },
  drop: { kind: 'float', low: 0, high: 0.5, log: false, step: 0.1 },
  opt: { kind: 'categorical', choices: ['sgd', 'adam', null] },
};

describe('RandomSampler', () => {
  it('stays inside every distribution and repeats from its seed', () => {
    const a = new RandomSampler({ seed: 7 });
    const b = new RandomSampler({ seed: 7 });
    const v = view([]);
    for (let i = 0; i < 500; i++) {
      for (const [n, d] of Object.entries(SPACE)) {
        const x = a.sampleIndependent(v, trialN(i), n, d);
        expect(contains(d, x)).toBe(true);
        expect(b.sampleIndependent(v, trialN(i), n, d)).toBe(x);
      }
    }
  });
  it('is log-uniform on a log scale', () => {
    const s = new RandomSampler({ seed: 1 });
    const d = SPACE.lr as Distribution;
    const xs = Array.from({ length: 4000 }, (_, i) => s.sampleIndependent(view([]), trialN(i), 'lr', d) as number);
    const below = xs.filter((x) => x < 1e-3).length / xs.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
  });
});

describe('GridSampler', () => {
  it('visits every point once over size trials', () => {
    const g = new GridSampler({ a: [1, 2, 3], b: ['x', 'y'] });
    expect(g.size).toBe(6);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const t = trialN(i);
      seen.add(JSON.stringify([g.sampleIndependent(view([]), t, 'a', { kind: 'int', low: 1, high: 3, log: false, step: 1 }),
        g.sampleIndependent(view([]), t, 'b', { kind: 'categorical', choices: ['x', 'y'] })]));
    }
    expect(seen.size).toBe(6);
    expect(g.isExhausted(view(Array.from({ length: 6 }, (_, i) => trialN(i))))).toBe(true);
  });
  it('refuses a param outside the grid', () => {
    expect(() => new GridSampler({ a: [1] }).sampleIndependent(view([]), trialN(0), 'z', SPACE.layers as Distribution)).toThrow(/not in the grid/);
    expect(() => new GridSampler({ a: [] })).toThrow(/empty/);
  });
});

describe('Sobol', () => {
  it('matches the known unscrambled sequence in 2 dims', () => {
    const s = new SobolSequence(2);
    expect([1, 2, 3, 4, 5].map((i) => s.point(i))).toEqual([[0.5, 0.5], [0.75, 0.25], [0.25, 0.75], [0.375, 0.375], [0.875, 0.875]]);
  });
  it('stratifies each of 21 dims: 2^k points fill 2^k cells once, also scrambled', () => {
    for (const seed of [undefined, 3]) {
      const s = new SobolSequence(21, seed);
      const pts = Array.from({ length: 64 }, (_, i) => s.point(i));
      for (let d = 0; d < 21; d++) expect(new Set(pts.map((p) => Math.floor((p[d] as number) * 64))).size).toBe(64);
      // 2-D projections of the first dims are (0, m, 2)-nets: 16 points, one per 4x4 cell.
      const cells = new Set(pts.slice(0, 16).map((p) => `${Math.floor((p[0] as number) * 4)},${Math.floor((p[1] as number) * 4)}`));
      expect(cells.size).toBe(16);
    }
    expect(() => new SobolSequence(22)).toThrow(/1 to 21/);
  });
  it('SobolSampler samples the first trial\'s space jointly and reproducibly', () => {
    const first = trialN(0, { state: 'COMPLETE', values: [1], distributions: SPACE, params: { lr: 0.01, layers: 2, width: 64, drop: 0.1, opt: 'sgd' } });
    const run = () => {
      const s = new SobolSampler({ seed: 5 });
      const v = view([first]);
      const space = s.inferRelativeSpace(v);
      expect(Object.keys(space).sort()).toEqual(Object.keys(SPACE).sort());
      return Array.from({ length: 20 }, (_, i) => s.sampleRelative(v, trialN(i + 1), space));
    };
    const a = run();
    expect(run()).toEqual(a);
    for (const p of a) for (const [n, x] of Object.entries(p)) expect(contains(SPACE[n] as Distribution, x)).toBe(true);
  });
});
