/** The audited tracking API over a real SQLite service and audit log: what each mutation records. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteHarness } from '../testing/tracking-harness.js';
import { AuditedTrackingApi } from './audited-tracking-api.js';
import { SqlAuditLog } from './sql-audit-log.js';
import type { TrackingApi } from '../tracking/tracking-api.js';

let api: TrackingApi;
let log: SqlAuditLog;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const h = await sqliteHarness();
  log = new SqlAuditLog(h.db);
  api = new AuditedTrackingApi(h.api, log, { id: 'u1', name: 'ada' });
  cleanup = h.cleanup;
});
afterAll(async () => cleanup());

const last = async (n = 1) => (await log.list()).slice(-n);

describe('AuditedTrackingApi', () => {
  it('records an experiment created implicitly by a run, and the run', async () => {
    const run = await api.createRun({ experimentName: 'implicit', name: 'r', params: { lr: '0.1' } });
    const [exp, created] = await last(2);
    expect(exp).toMatchObject({ actor: 'ada', action: 'experiment.create', targetId: run.experimentId, after: { name: 'implicit' } });
    expect(created).toMatchObject({ action: 'run.create', targetId: run.id, after: { experimentId: run.experimentId, name: 'r', status: 'RUNNING', params: { lr: '0.1' } } });
    await api.createRun({ experimentName: 'implicit' });
    expect((await last())[0]!.action).toBe('run.create');
  });

  it('records before and after for status changes, tags, renames, deletions and restores', async () => {
    const e = await api.createExperiment({ name: 'audited' });
    const run = await api.createRun({ experimentId: e.id });
    await api.setTag(run.id, 'k', 'v1');
    await api.setTag(run.id, 'k', 'v2');
    await api.deleteTag(run.id, 'k');
    await api.updateRun(run.id, { status: 'FINISHED' });
    await api.updateExperiment(e.id, { name: 'audited-2' });
    await api.deleteRun(run.id);
    await api.restoreRun(run.id);
    await api.logMetricSeries(run.id, [{ key: 'loss', steps: [0, 1, 2], timestamps: [1, 2, 3], values: [3, 2, 1] }], { idempotencyKey: 'k1' });
    const entries = await last(8);
    expect(entries.map((x) => [x.action, x.before, x.after])).toEqual([
      ['run.tag.set', { k: null }, { k: 'v1' }],
      ['run.tag.set', { k: 'v1' }, { k: 'v2' }],
      ['run.tag.delete', { k: 'v2' }, { k: null }],
      ['run.update', expect.objectContaining({ status: 'RUNNING', endTime: null }), expect.objectContaining({ status: 'FINISHED', endTime: expect.any(Number) })],
      ['experiment.update', expect.objectContaining({ name: 'audited' }), expect.objectContaining({ name: 'audited-2' })],
      ['run.delete', { lifecycle: 'active' }, { lifecycle: 'deleted' }],
      ['run.restore', { lifecycle: 'deleted' }, { lifecycle: 'active' }],
      ['run.log_series', undefined, { metrics: { count: 3, keys: ['loss'] }, idempotencyKey: 'k1' }],
    ]);
    expect((await log.verify()).ok).toBe(true);
  });

  it('records nothing when the mutation fails', async () => {
    const before = (await log.list()).length;
    await expect(api.deleteRun('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.createExperiment({ name: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await log.list()).length).toBe(before);
  });
});
