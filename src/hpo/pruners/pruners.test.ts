import { describe, expect, it } from 'vitest';
import type { FrozenTrial, StudyView, Direction } from '../study-view.js';
import { MedianPruner, PercentilePruner, percentileOf } from './percentile-pruner.js';
import { SuccessiveHalvingPruner } from './successive-halving-pruner.js';
import { HyperbandPruner } from './hyperband-pruner.js';

const curve = (n: number, f: (s: number) => number): [number, number][] => Array.from({ length: n }, (_, s) => [s, f(s)]);
const t = (number: number, state: FrozenTrial['state'], intermediate: [number, number][]): FrozenTrial => ({
  number, id: `t${number}`, state, params: {}, distributions: {}, values: state === 'COMPLETE' ? [intermediate.at(-1)?.[1] ?? 0] : null,
  intermediate, fixedParams: {}, startedAt: null, completedAt: null,
});
const view = (trials: FrozenTrial[], dir: Direction = 'minimize'): StudyView => ({
  id: 's', name: 's', directions: [dir], trials: (st) => trials.filter((x) => !st || st.includes(x.state)),
});

describe('MedianPruner / PercentilePruner', () => {
  const done = [1, 2, 3, 4, 5].map((k, i) => t(i, 'COMPLETE', curve(10, (s) => k + 1 / (s + 1))));
  it('prunes a trial worse than the median at its step, keeps a better one', () => {
    const p = new MedianPruner({ nStartupTrials: 5 });
    expect(p.prune(view(done), t(9, 'RUNNING', curve(3, () => 10)))).toBe(true);
    expect(p.prune(view(done), t(9, 'RUNNING', curve(3, () => 0.5)))).toBe(false);
  });
  it('waits for startup trials and warm-up steps', () => {
    expect(new MedianPruner({ nStartupTrials: 6 }).prune(view(done), t(9, 'RUNNING', curve(3, () => 10)))).toBe(false);
    expect(new MedianPruner({ nWarmupSteps: 5 }).prune(view(done), t(9, 'RUNNING', curve(3, () => 10)))).toBe(false);
  });
  it('respects maximize', () => {
    const p = new PercentilePruner(50);
    expect(p.prune(view(done, 'maximize'), t(9, 'RUNNING', curve(3, () => 10)))).toBe(false);
    expect(p.prune(view(done, 'maximize'), t(9, 'RUNNING', curve(3, () => 0)))).toBe(true);
  });
  it('interpolates percentiles like numpy', () => {
    expect(percentileOf([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentileOf([1, 2, 3, 4, 5], 25)).toBe(2);
    expect(() => new PercentilePruner(101)).toThrow(/\[0, 100\]/);
  });
});

describe('SuccessiveHalvingPruner (ASHA)', () => {
  it('decides only when a rung is crossed and keeps the best 1/rf', () => {
    const p = new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
    expect(p.rungStep(0)).toBe(1);
    expect(p.rungStep(2)).toBe(4);
    const others = [t(0, 'COMPLETE', curve(8, () => 1)), t(1, 'RUNNING', curve(2, () => 2)), t(2, 'PRUNED', curve(2, () => 3))];
    // At step 1 (rung 0) with 4 competitors, the best 2 continue.
    expect(p.prune(view(others), t(5, 'RUNNING', curve(2, () => 1.5)))).toBe(false);
    expect(p.prune(view(others), t(5, 'RUNNING', curve(2, () => 2.5)))).toBe(true);
    // Step 3 crosses no rung (rungs at 1, 2, 4): no decision.
    expect(p.prune(view(others), t(5, 'RUNNING', curve(4, () => 9)))).toBe(false);
  });
  it('lets the first trial at a rung through', () => {
    expect(new SuccessiveHalvingPruner().prune(view([]), t(0, 'RUNNING', curve(2, () => 100)))).toBe(false);
  });
});

describe('HyperbandPruner', () => {
  it('builds log_rf(max/min)+1 brackets and spreads trials over them deterministically', () => {
    const p = new HyperbandPruner({ minResource: 1, maxResource: 27, reductionFactor: 3 });
    expect(p.bracketCount).toBe(4);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 1000; i++) counts[p.bracketOf(i)]! += 1;
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(p.bracketOf(17)).toBe(new HyperbandPruner({ maxResource: 27 }).bracketOf(17));
    expect(() => new HyperbandPruner({ minResource: 5, maxResource: 2 })).toThrow(/maxResource/);
  });

  it('prunes by successive halving within the trial\'s own bracket only', () => {
    // maxResource 9, rf 3: bracket 0 has rungs at steps 1, 3, 9; bracket 2 only at 9.
    const p = new HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    expect(p.bracketCount).toBe(3);
    const numbers = (b: number, k: number): number[] => {
      const out: number[] = [];
      for (let i = 0; out.length < k; i++) if (p.bracketOf(i) === b) out.push(i);
      return out;
    };
    const [c0, ...mates] = numbers(0, 6) as [number, ...number[]];
    // Bracket 0 mates at step 1: 1, 2, 3, 4, 5; another bracket's trials are all far better.
    const own = mates.map((n, i) => t(n, 'COMPLETE', curve(3, () => i + 1)));
    const strangers = numbers(1, 6).concat(numbers(2, 6)).map((n) => t(n, 'COMPLETE', curve(10, () => -100)));
    const study = view([...own, ...strangers]);
    // 6 at rung 0 keep the best 2: 1.5 is second, 2.5 third.
    expect(p.prune(study, t(c0, 'RUNNING', curve(2, () => 1.5)))).toBe(false);
    expect(p.prune(study, t(c0, 'RUNNING', curve(2, () => 2.5)))).toBe(true);
    // Bracket 2's first rung is at step 9: a poor value at step 1 is no decision yet, at step 9 it is.
    const [c2] = numbers(2, 7).slice(6) as [number];
    const late = view([...own, ...numbers(2, 6).map((n, i) => t(n, 'COMPLETE', curve(10, () => i)))]);
    expect(p.prune(late, t(c2, 'RUNNING', curve(2, () => 50)))).toBe(false);
    expect(p.prune(late, t(c2, 'RUNNING', curve(10, () => 50)))).toBe(true);
    expect(p.prune(late, t(c2, 'RUNNING', curve(10, () => 0.5)))).toBe(false);
  });
});
