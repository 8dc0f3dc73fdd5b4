import { describe, expect, it } from 'vitest';
import { InvalidArgument } from '../core/errors.js';
import { planRetention, type RetentionCandidate } from './retention-rule.js';

const run = (runId: string, value: number | null, extra: Partial<RetentionCandidate> = {}): RetentionCandidate =>
  ({ runId, name: `run-${runId}`, value, running: false, registered: false, ...extra });
const kept = (d: ReturnType<typeof planRetention>) => d.filter((x) => x.keep).map((x) => `${x.runId}:${x.reason}`);
const gone = (d: ReturnType<typeof planRetention>) => d.filter((x) => !x.keep).map((x) => `${x.runId}:${x.reason}`);

describe('planRetention', () => {
  const runs = [run('a', 0.5), run('b', 0.1), run('c', 0.3), run('d', 0.9), run('e', null)];

  it('keeps the best N by the metric, lower is better with min', () => {
    const d = planRetention(runs, { keep: 2, metric: 'val_loss', mode: 'min' });
    expect(kept(d)).toEqual(['b:best', 'c:best']);
    expect(gone(d)).toEqual(['a:outranked', 'd:outranked', 'e:no-metric']);
  });

  it('ranks higher first with max', () => {
    expect(kept(planRetention(runs, { keep: 1, metric: 'acc', mode: 'max' }))).toEqual(['d:best']);
  });

  it('never lets go of a run behind a registered version or a running one, and they do not count towards N', () => {
    const d = planRetention([...runs, run('r', 5, { registered: true }), run('x', null, { running: true })], { keep: 1, metric: 'm', mode: 'min' });
    expect(kept(d)).toEqual(['r:registered', 'x:running', 'b:best']);
    expect(gone(d)).toHaveLength(4);
  });

  it('breaks ties by run id, so the same runs give the same plan', () => {
    expect(kept(planRetention([run('z', 1), run('y', 1), run('x', 1)], { keep: 2, metric: 'm', mode: 'min' }))).toEqual(['x:best', 'y:best']);
  });

  it('keeps everything when there are no more than N', () => {
    expect(gone(planRetention(runs.slice(0, 3), { keep: 5, metric: 'm', mode: 'max' }))).toEqual([]);
  });

  it('refuses a policy that cannot rank, naming the fix', () => {
    expect(() => planRetention(runs, { keep: 0, metric: 'm', mode: 'min' })).toThrow(/keep must be a whole number of runs, at least 1/);
    expect(() => planRetention(runs, { keep: 1, metric: ' ', mode: 'min' })).toThrow(InvalidArgument);
    expect(() => planRetention(runs, { keep: 1, metric: 'm', mode: 'lowest' as 'min' })).toThrow(/mode must be min .* or max/);
  });
});
