import { describe, expect, it } from 'vitest';
import { contains, type Distribution } from './distributions.js';
import { ask, InMemoryStudy, optimizeInMemory, tell } from './in-memory-study.js';
import { RandomSampler } from './samplers/random-sampler.js';
import { fromUnit, groupDecomposedSearchSpace, IntersectionSearchSpace, intersectionSearchSpace, toUnit } from './sampler-space.js';

describe('search space', () => {
  it('finds the intersection and the groups of a conditional space', () => {
    const study = optimizeInMemory(new RandomSampler({ seed: 1 }), (t) => {
      const m = t.suggestCategorical('model', ['svm', 'tree']);
      t.suggestFloat('lr', 1e-3, 1, { log: true });
      if (m === 'svm') t.suggestFloat('c', 0.1, 10);
      else { t.suggestInt('depth', 1, 10); t.suggestInt('leaves', 2, 64); }
      return 0;
    }, 30);
    expect(Object.keys(intersectionSearchSpace(study))).toEqual(['lr', 'model']);
    expect(groupDecomposedSearchSpace(study).map((g) => Object.keys(g))).toEqual([['c'], ['depth', 'leaves'], ['lr', 'model']]);
  });

  it('maps values to the unit interval and back onto the grid', () => {
    const ds: Distribution[] = [
      { kind: 'float', low: 1e-4, high: 1, log: true, step: null },
      { kind: 'int', low: 1, high: 64, log: true, step: 1 },
      { kind: 'float', low: 0, high: 1, log: false, step: 0.3 },
      { kind: 'int', low: 2, high: 10, log: false, step: 2 },
    ];
    for (const d of ds) {
      if (d.kind === 'categorical') continue;
      for (const u of [0, 0.01, 0.37, 0.5, 0.99, 1]) expect(contains(d, fromUnit(d, u))).toBe(true);
      expect(fromUnit(d, toUnit(d, d.low))).toBeCloseTo(d.low, 12);
    }
    expect(fromUnit(ds[0]! as Exclude<Distribution, { kind: 'categorical' }>, 0.5)).toBeCloseTo(1e-2, 10);
    expect(fromUnit(ds[2]! as Exclude<Distribution, { kind: 'categorical' }>, 1)).toBe(0.9);
  });

  it('keeps the intersection up to date across calls, trials finishing out of order included', () => {
    const sampler = new RandomSampler({ seed: 4 });
    const study = new InMemoryStudy();
    const kept = new IntersectionSearchSpace();
    const open = [];
    for (let n = 0; n < 40; n++) {
      const t = ask(study, sampler);
      t.suggestFloat('lr', 1e-3, 1, { log: true });
      if (n % 5 !== 3) t.suggestInt('depth', 1, 10);
      if (n >= 20) t.suggestCategorical('opt', ['a', 'b']);
      open.push(t.number);
      // Every other trial is told one step late, so a lower number finishes after a higher one.
      if (n % 2 === 1) for (const k of open.splice(0).reverse()) tell(study, sampler, k, n);
      expect(kept.of(study)).toEqual(intersectionSearchSpace(study));
    }
    expect(Object.keys(kept.of(study))).toEqual(['lr']);
    expect(new IntersectionSearchSpace().of(new InMemoryStudy())).toEqual({});
  });

  it('kept across calls, agrees with a fresh fold through failed trials, views with gaps in the numbers and another study', () => {
    const sampler = new RandomSampler({ seed: 4 });
    const study = new InMemoryStudy(['minimize'], 'a');
    const kept = new IntersectionSearchSpace();
    for (let n = 0; n < 30; n++) {
      const t = ask(study, sampler);
      t.suggestFloat('lr', 1e-3, 1, { log: true });
      if (n !== 17) t.suggestInt('depth', 1, 10);
      // Failed trials lack params and never count; trial 17, which lacks depth, fails and so leaves depth in.
      tell(study, sampler, t.number, n % 4 === 1 || n === 17 ? 'FAIL' : n);
      expect(kept.of(study)).toEqual(intersectionSearchSpace(study));
    }
    expect(Object.keys(kept.of(study))).toEqual(['depth', 'lr']);
    // A view missing some numbers: the index no longer gives the number.
    const gappy = { id: 'a', name: 'a', directions: study.directions, trials: () => study.trials().filter((t) => t.number % 3 !== 0) };
    expect(kept.of(gappy)).toEqual(intersectionSearchSpace(gappy));
    const other = new InMemoryStudy(['minimize'], 'b');
    const t = ask(other, sampler);
    t.suggestFloat('x', 0, 1);
    tell(other, sampler, t.number, 1);
    expect(kept.of(other)).toEqual({ x: { kind: 'float', low: 0, high: 1, log: false, step: null } });
  });
});
