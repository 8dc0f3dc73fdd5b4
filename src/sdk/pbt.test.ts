import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hpoSqliteHarness, type HpoHarness } from '../testing/hpo-harness.js';
import { populationBasedTraining, PBT_CHECKPOINT, PBT_TAGS } from './pbt.js';

describe('populationBasedTraining over SQLite', () => {
  let h: HpoHarness;
  beforeAll(async () => { h = await hpoSqliteHarness(); });
  afterAll(async () => h?.cleanup());

  it('trains members in segments, hands checkpoints over through artifacts and improves', async () => {
    await h.api.createStudy({ name: 'pbt', sampler: { name: 'random', options: { seed: 1 } } });
    // A member's "weights" w descend (w - 3)^2 with step size lr; the checkpoint is w.
    const gens = await populationBasedTraining({ hpo: h.api, tracking: h.tracking, study: 'pbt', population: 4, generations: 5, seed: 3 },
      async ({ trial, checkpoint }) => {
        const lr = await trial.suggestFloat('lr', 1e-3, 0.5, { log: true });
        let w = checkpoint ? Number(new TextDecoder().decode(checkpoint)) : 10;
        for (let i = 0; i < 5; i++) w -= lr * 2 * (w - 3);
        return { value: (w - 3) ** 2, checkpoint: new TextEncoder().encode(String(w)) };
      });
    expect(gens).toHaveLength(5);
    expect(gens.every((g) => g.length === 4 && g.every((t) => t.state === 'COMPLETE'))).toBe(true);
    const best = (g: number) => Math.min(...(gens[g] ?? []).map((t) => (t.values as number[])[0] as number));
    expect(best(4)).toBeLessThan(best(0));
    const last = gens[4] ?? [];
    const runs = await Promise.all(last.map((t) => h.tracking.getRun(t.runId as string)));
    expect(runs.every((r) => r.tags[PBT_TAGS.generation] === '4' && r.tags[PBT_TAGS.parent])).toBe(true);
    // Some member of some generation took another member's checkpoint (exploit).
    const all = await Promise.all(gens.slice(1).flat().map((t) => h.tracking.getRun(t.runId as string)));
    const byRun = new Map(gens.flat().map((t) => [t.runId, t]));
    expect(all.some((r) => {
      const parent = byRun.get(r.tags[PBT_TAGS.parent] as string);
      return parent !== undefined && parent.worker !== `pbt:${r.tags[PBT_TAGS.member]}`;
    })).toBe(true);
    expect((await h.tracking.listArtifacts(last[0]?.runId as string, 'pbt')).map((a) => a.path)).toContain(PBT_CHECKPOINT);
  });
});
