import { describe, expect, it } from 'vitest';
import { optimizationHistory } from './history.js';
import { InMemoryStudy } from './in-memory-study.js';

describe('optimizationHistory', () => {
  it('tracks the best so far in the objective direction, skipping unfinished trials', () => {
    const study = new InMemoryStudy(['maximize']);
    for (const v of [1, 3, null, 2, 5]) {
      const n = study.createTrial();
      if (v === null) study.finish(n, 'FAIL');
      else study.finish(n, 'COMPLETE', [v]);
    }
    expect(optimizationHistory(study).map((p) => [p.number, p.best])).toEqual([[0, 1], [1, 3], [3, 3], [4, 5]]);
    expect(() => optimizationHistory(study, 2)).toThrow(/objective 2 does not exist/);
  });
});
