import { describe, expect, it } from 'vitest';
import { ask, InMemoryStudy, tell } from '../in-memory-study.js';
import type { StudyView } from '../study-view.js';
import { RandomSampler } from './random-sampler.js';
import { defaultGamma, defaultGammaMultiObjective, SplitMemo, splitTrials, type TpeSplit } from './tpe-split.js';

const summary = (s: TpeSplit) => ({
  below: s.below.map((t) => t.number), above: s.above.map((t) => t.number), belowWeights: s.belowWeights, aboveWeights: s.aboveWeights,
});

describe('splitTrials with a SplitMemo', () => {
  it('splits as it does afresh while trials run, finish, prune and fail, in views with gaps and across studies', () => {
    const sampler = new RandomSampler({ seed: 2 });
    const memo = new SplitMemo();
    const study = new InMemoryStudy(['minimize'], 's');
    const open: number[] = [];
    for (let n = 0; n < 400; n++) {
      const t = ask(study, sampler);
      const x = t.suggestFloat('x', -5, 5);
      open.push(t.number);
      // Trials finish a few asks late and out of order; some are pruned, some fail, ties in the loss occur.
      if (open.length > 3) {
        const k = open.splice(n % 3, 1)[0]!;
        tell(study, sampler, k, k % 11 === 0 ? 'PRUNED' : k % 13 === 0 ? 'FAIL' : k % 17 === 0 ? 1 : x * x);
      }
      for (const liar of [false, true]) {
        expect(summary(splitTrials(study, t.number, defaultGamma, liar, memo))).toEqual(summary(splitTrials(study, t.number, defaultGamma, liar)));
      }
      if (n % 50 === 49) {
        const gappy: StudyView = { id: 's', name: 's', directions: study.directions, trials: () => study.trials().filter((u) => u.number % 7 !== 3) };
        expect(summary(splitTrials(gappy, -1, defaultGamma, true, memo))).toEqual(summary(splitTrials(gappy, -1, defaultGamma, true)));
      }
    }
    const other = new InMemoryStudy(['minimize', 'maximize'], 'other');
    for (let n = 0; n < 60; n++) {
      const t = ask(other, sampler);
      tell(other, sampler, t.number, [t.suggestFloat('a', 0, 1), t.suggestFloat('b', 0, 1)]);
    }
    expect(summary(splitTrials(other, -1, defaultGammaMultiObjective, false, memo)))
      .toEqual(summary(splitTrials(other, -1, defaultGammaMultiObjective, false)));
    expect(splitTrials(other, -1, defaultGammaMultiObjective, false, memo).below).toHaveLength(6);
  });
});
