import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../testing/expect-error.js';
import { postgresHarness, sqliteHarness, type ServiceStack } from '../testing/tracking-harness.js';
import { SqlTrackingStore } from './sql-tracking-store.js';

for (const [name, harness] of [['SQLite', sqliteHarness], ['PostgreSQL', postgresHarness]] as const) {
  describe(`TrackingService.finishRun (${name})`, () => {
    let h: ServiceStack & { cleanup(): Promise<void> };
    beforeAll(async () => { h = await harness(); });
    afterAll(async () => { await h.cleanup(); });

    it('writes the last batch and ends the run in one call', async () => {
      const exp = await h.api.createExperiment({ name: `finish-${name}` });
      const run = await h.api.createRun({ experimentId: exp.id, startTime: 1 });
      await h.api.finishRun(run.id, { params: { lr: '0.1' }, metrics: [{ key: 'loss', value: 0.25, step: 3 }], tags: { phase: 'done' } }, 'KILLED', 1234);
      const got = await h.api.getRun(run.id);
      expect(got).toMatchObject({ status: 'KILLED', params: { lr: '0.1' }, tags: { phase: 'done' }, endTime: 1234 });
      const other = await h.api.createRun({ experimentId: exp.id });
      await h.api.finishRun(other.id, {}, 'FINISHED');
      expect((await h.api.getRun(other.id)).endTime).toBeGreaterThan(0);
      expect(got.metrics.find((m) => m.key === 'loss')).toMatchObject({ value: 0.25, step: 3 });
    });

    it('refuses a status that is not terminal, a conflicting param and a missing run, and writes nothing then', async () => {
      const exp = await h.api.createExperiment({ name: `finish-bad-${name}` });
      const run = await h.api.createRun({ experimentId: exp.id, params: { lr: '0.1' } });
      await expectError(h.api.finishRun(run.id, { tags: { a: 'b' } }, 'RUNNING'), 'INVALID_ARGUMENT', /FINISHED, FAILED or KILLED/);
      await expectError(h.api.finishRun(run.id, { params: { lr: '0.2' }, tags: { a: 'b' } }, 'FINISHED'), 'INVALID_ARGUMENT', /lr/);
      await expectError(h.api.finishRun('no-such-run', {}, 'FINISHED'), 'NOT_FOUND', /does not exist/);
      await expectError(h.api.finishRun(run.id, {}, 'FINISHED', Number.NaN), 'INVALID_ARGUMENT', /endTime/);
      const got = await h.api.getRun(run.id);
      expect(got.status).toBe('RUNNING');
      expect(got.endTime).toBeNull();
      expect(got.tags.a).toBeUndefined();
    });
  });
}

describe('SqlTrackingStore.writeBatch ending a run', () => {
  it('refuses a run that is gone, and writes nothing of the batch', async () => {
    const h = await sqliteHarness();
    try {
      const store = new SqlTrackingStore(h.db);
      await expectError(store.writeBatch('gone', { tags: {}, end: { status: 'FINISHED', endTime: 1 } }, null, 1), 'NOT_FOUND', /gone/);
      const exp = await h.api.createExperiment({ name: 'finish-gone' });
      const run = await h.api.createRun({ experimentId: exp.id });
      await h.db.run('UPDATE runs SET id = ? WHERE id = ?', ['moved', run.id]);
      await expectError(store.writeBatch(run.id, { end: { status: 'FINISHED', endTime: 1 } }, 'key-1', 1), 'NOT_FOUND', /does not exist/);
      expect(await h.db.get('SELECT key FROM ingest_keys WHERE key = ?', ['key-1'])).toBeUndefined();
    } finally {
      await h.cleanup();
    }
  });
});
