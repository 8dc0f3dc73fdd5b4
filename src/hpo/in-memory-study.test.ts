import { describe, expect, it } from 'vitest';
import { ask, InMemoryStudy, optimizeInMemory, tell } from './in-memory-study.js';
import { RandomSampler } from './samplers/random-sampler.js';

const x = { kind: 'float', low: -5, high: 5, log: false, step: null } as const;

describe('InMemoryStudy', () => {
  it('hands out snapshots that later writes never change', () => {
    const study = new InMemoryStudy();
    const sampler = new RandomSampler({ seed: 1 });
    const trial = ask(study, sampler);
    const before = study.trials()[0]!;
    trial.suggest('x', x);
    tell(study, sampler, trial.number, 1.5);
    expect(before.state).toBe('RUNNING');
    expect(before.params).toEqual({});
    expect(Object.isFrozen(before)).toBe(true);
    const after = study.trials(['COMPLETE'])[0]!;
    expect(after.values).toEqual([1.5]);
    expect(after.params.x).toBeTypeOf('number');
  });

  it('rejects NaN results with a clear error and marks the trial FAIL', () => {
    const sampler = new RandomSampler({ seed: 1 });
    expect(() => optimizeInMemory(sampler, { space: { x }, evaluate: () => NaN }, 3)).toThrow(/objective 0 is NaN; return a number/);
    const study = new InMemoryStudy();
    const t = ask(study, sampler);
    expect(() => tell(study, sampler, t.number, [1, 2])).toThrow(/expected 1 objective value/);
    expect(() => t.report(1, NaN)).toThrow(/reported NaN/);
    const u = ask(study, sampler);
    expect(() => tell(study, sampler, u.number, NaN)).toThrow(/NaN/);
    expect(study.trial(u.number).state).toBe('FAIL');
  });

  it('uses fixed params, refuses a param re-suggested with another distribution, and keeps define-by-run branches', () => {
    const study = new InMemoryStudy();
    const sampler = new RandomSampler({ seed: 2 });
    const t = ask(study, sampler, { x: 1.25 });
    expect(t.suggest('x', x)).toBe(1.25);
    expect(t.suggest('x', x)).toBe(1.25);
    expect(() => t.suggestFloat('x', 0, 1)).toThrow(/another distribution/);
    const s = optimizeInMemory(sampler, (trial) => {
      const kind = trial.suggestCategorical('kind', ['a', 'b']);
      return kind === 'a' ? trial.suggestInt('n', 1, 3) : trial.suggestFloat('lr', 1e-4, 1, { log: true });
    }, 20);
    for (const trial of s.trials()) {
      expect(Object.keys(trial.params).sort()).toEqual(trial.params.kind === 'a' ? ['kind', 'n'] : ['kind', 'lr']);
    }
  });

  it('marks a trial FAIL when the objective throws', () => {
    const sampler = new RandomSampler({ seed: 3 });
    expect(() => optimizeInMemory(sampler, () => { throw new Error('boom'); }, 2)).toThrow('boom');
  });
});
