import { describe, expect, it } from 'vitest';
import { contains, type Distribution } from '../distributions.js';
import { SeededRandom } from '../seeded-random.js';
import { checkPbtOptions, pbtStep, perturb } from './pbt-policy.js';

const D: Record<string, Distribution> = {
  lr: { kind: 'float', low: 1e-4, high: 0.1, log: true, step: null },
  bs: { kind: 'int', low: 16, high: 256, log: false, step: 16 },
  opt: { kind: 'categorical', choices: ['sgd', 'adam'] },
};

describe('PBT policy', () => {
  it('perturbs within each distribution', () => {
    const rng = new SeededRandom(1);
    const o = checkPbtOptions({ resampleProbability: 0.5 });
    for (let i = 0; i < 200; i++) {
      const p = perturb({ lr: 0.1, bs: 256, opt: 'sgd' }, D, o, rng);
      for (const [k, v] of Object.entries(p)) expect(contains(D[k] as Distribution, v)).toBe(true);
    }
  });
  it('the bottom quarter exploits the top quarter; the rest keep their params', () => {
    const members = Array.from({ length: 8 }, (_, m) => ({ member: m, value: m, params: { lr: 0.01 * (m + 1), bs: 32, opt: 'sgd' }, distributions: D }));
    const d = pbtStep(members, 'minimize', {}, new SeededRandom(2));
    expect(d.filter((x) => x.exploited).map((x) => x.member)).toEqual([6, 7]);
    for (const x of d.filter((y) => y.exploited)) expect([0, 1]).toContain(x.source);
    expect(d[3]).toEqual({ member: 3, source: 3, exploited: false, params: members[3]?.params });
    expect(pbtStep(members, 'maximize', {}, new SeededRandom(2)).filter((x) => x.exploited).map((x) => x.member)).toEqual([0, 1]);
    expect(() => pbtStep(members, 'minimize', { quantile: 0.9 }, new SeededRandom(2))).toThrow(/quantile/);
  });
});
