/**
 * Retention and gc over the real stack (every service as the server wires
 * it), on SQLite and on PostgreSQL: which runs go, what is audited, and which
 * blobs gc deletes and keeps.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../artifacts/index.js';
import { AuditedTrackingApi } from '../audit/audited-tracking-api.js';
import { encodeManifest, makeManifest } from '../data/domain.js';
import { createGovernance, type Governance } from '../server/governance.js';
import { createServices, type Services } from '../server/services.js';
import type { Db } from '../storage/db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { PostgresDb } from '../storage/postgres-db.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { createTestPostgres } from '../testing/postgres.js';
import { tempDir } from '../testing/tracking-harness.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import type { RetentionApi } from './retention-api.js';

const actor = { id: 'u1', name: 'rita' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

interface Stack { db: Db; blobs: LocalBlobStore; governance: Governance; services: Services; tracking: TrackingApi; api: RetentionApi; cleanup(): Promise<void> }

async function stack(kind: 'sqlite' | 'postgres'): Promise<Stack> {
  const dir = await tempDir('cairn-retention-');
  const pg = kind === 'postgres' ? await createTestPostgres() : null;
  const db: Db = pg ? new PostgresDb(pg.url) : new SqliteDb(join(dir, 'cairn.db'));
  await migrate(db, MIGRATIONS);
  const blobs = new LocalBlobStore(join(dir, 'artifacts'));
  const governance = createGovernance(db, { authEnabled: false });
  const services = createServices(db, blobs, governance);
  const tracking = new AuditedTrackingApi(services.tracking, governance.audit, actor);
  return {
    db, blobs, governance, services, tracking, api: services.retention.as(tracking, actor),
    cleanup: async () => { await db.close(); await pg?.drop(); await rm(dir, { recursive: true, force: true }); },
  };
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`retention and gc on ${kind}`, () => {
    let s: Stack;
    beforeEach(async () => { s = await stack(kind); });
    afterEach(async () => s.cleanup());

    const runWith = async (exp: string, name: string, loss: number | null, opts: { finish?: boolean } = {}) => {
      const r = await s.tracking.createRun({ experimentId: exp, name });
      if (loss !== null) await s.tracking.logBatch(r.id, { metrics: [{ key: 'val_loss', value: loss }] });
      if (opts.finish !== false) await s.tracking.updateRun(r.id, { status: 'FINISHED' });
      return r.id;
    };
    const actions = async () => (await s.governance.audit.list({ limit: 1000 })).map((e) => `${e.action}:${e.targetId}`);

    it('keeps the best N, the registered and the running runs; a dry run deletes nothing; the apply is audited and restorable', async () => {
      const exp = (await s.tracking.createExperiment({ name: 'churn' })).id;
      const best = await runWith(exp, 'best', 0.1);
      const second = await runWith(exp, 'second', 0.2);
      const worse = await runWith(exp, 'worse', 0.5);
      const worst = await runWith(exp, 'worst', 0.9);
      const none = await runWith(exp, 'no-metric', null);
      const registered = await runWith(exp, 'registered', 2.0);
      const running = await runWith(exp, 'running', 5.0, { finish: false });
      await s.services.registry.as(actor).createModel({ name: 'churn' });
      await s.services.registry.as(actor).createVersion('churn', { runId: registered, format: 'onnx' });

      const dry = await s.api.applyRetention({ experimentId: exp, keep: 2, metric: 'val_loss', dryRun: true });
      expect(dry.deleted).toBe(0);
      expect(dry.decisions.filter((d) => d.keep).map((d) => d.runId).sort()).toEqual([best, second, registered, running].sort());
      expect(dry.decisions.filter((d) => !d.keep).map((d) => `${d.runId}:${d.reason}`).sort())
        .toEqual([`${worse}:outranked`, `${worst}:outranked`, `${none}:no-metric`].sort());
      expect((await s.tracking.getRun(worse)).lifecycle).toBe('active');
      expect(await actions()).not.toContain(`retention.apply:${exp}`);

      const applied = await s.api.applyRetention({ experimentId: exp, keep: 2, metric: 'val_loss' });
      expect(applied.deleted).toBe(3);
      for (const id of [worse, worst, none]) expect((await s.tracking.getRun(id)).lifecycle).toBe('deleted');
      for (const id of [best, second, registered, running]) expect((await s.tracking.getRun(id)).lifecycle).toBe('active');
      expect(await actions()).toEqual(expect.arrayContaining([`run.delete:${worse}`, `run.delete:${worst}`, `run.delete:${none}`, `retention.apply:${exp}`]));
      await s.tracking.restoreRun(worse);
      expect((await s.tracking.getRun(worse)).lifecycle).toBe('active');
    });

    it('refuses a bad policy with one line naming the fix', async () => {
      const exp = (await s.tracking.createExperiment({ name: 'e' })).id;
      await expect(s.api.applyRetention({ experimentId: exp, keep: 0, metric: 'm' })).rejects.toThrow(/keep must be a whole number of runs, at least 1/);
      await expect(s.api.applyRetention({ experimentId: 'nope', keep: 1, metric: 'm' })).rejects.toThrow(/experiment/);
    });

    it('gc purges deleted runs and deletes only blobs nothing refers to, after the grace period', async () => {
      const exp = (await s.tracking.createExperiment({ name: 'gc' })).id;
      const live = await runWith(exp, 'live', 0.1);
      const dead = await runWith(exp, 'dead', 0.9);
      const deadRegistered = await runWith(exp, 'dead-registered', 0.8);
      await s.tracking.logArtifact(live, 'shared.txt', Buffer.from('shared'));
      await s.tracking.logArtifact(dead, 'shared.txt', Buffer.from('shared'));
      await s.tracking.logArtifact(dead, 'only-dead.txt', Buffer.from('only dead'));
      await s.tracking.logArtifact(deadRegistered, 'model.onnx', Buffer.from('registered model'));
      await s.services.registry.as(actor).createModel({ name: 'm' });
      await s.services.registry.as(actor).createVersion('m', { runId: deadRegistered, format: 'onnx' });
      await s.tracking.deleteRun(dead);
      await s.tracking.deleteRun(deadRegistered);
      // A logged model's artifact, a dataset version (manifest and its file) and a staged multipart part.
      const model = await s.services.loggedModels.createLoggedModel({ experimentId: exp });
      await s.services.loggedModels.logModelArtifact(model.id, 'MLmodel', Buffer.from('logged model'));
      await s.services.data.putBlob(sha('dataset file'), Buffer.from('dataset file'));
      const manifest = encodeManifest(makeManifest([{ path: 'train.csv', size: 12, digest: sha('dataset file'), mode: 0o644 }]));
      await s.services.data.putBlob(sha(manifest), Buffer.from(manifest));
      await s.services.data.addVersion('ds', { manifestDigest: sha(manifest) });
      const upload = await s.services.multipart.create('somewhere', 2);
      await s.services.multipart.putPart(upload, 1, Readable.from([Buffer.from('staged part')]));
      const orphan = await s.blobs.put(Readable.from([Buffer.from('orphan')]));

      const dry = await s.api.collectGarbage({ dryRun: true, graceSeconds: 0 });
      expect(dry.purgedRuns).toEqual([{ runId: dead, artifacts: 2 }]);
      expect(dry.blobs).toBe(2); // only-dead.txt and the orphan
      expect(await s.blobs.has(orphan.digest)).toBe(true);
      expect(await s.tracking.listArtifacts(dead)).toHaveLength(2);

      // Within the grace period nothing unreferenced is deleted.
      const young = await s.api.collectGarbage({ graceSeconds: 3600 });
      expect(young).toMatchObject({ blobs: 0, young: 2, purgedRuns: [{ runId: dead, artifacts: 2 }] });
      expect(await s.blobs.has(sha('only dead'))).toBe(true);

      await new Promise((r) => setTimeout(r, 5));
      const swept = await s.api.collectGarbage({ graceSeconds: 0 });
      expect(swept).toMatchObject({ blobs: 2, young: 0, purgedRuns: [] });
      expect(await s.blobs.has(sha('only dead'))).toBe(false);
      expect(await s.blobs.has(orphan.digest)).toBe(false);
      for (const kept of ['shared', 'registered model', 'logged model', 'dataset file', manifest, 'staged part']) {
        expect(await s.blobs.has(sha(kept)), kept).toBe(true);
      }
      expect(await s.tracking.listArtifacts(dead)).toEqual([]);
      expect(await s.tracking.listArtifacts(deadRegistered)).toHaveLength(1);
      expect(await actions()).toEqual(expect.arrayContaining([`run.artifacts.purge:${dead}`, `gc.collect:${s.blobs.url}`]));
    });

    it('gc aborts multipart uploads abandoned for the set time, so their parts go; open ones and shared bytes stay', async () => {
      const exp = (await s.tracking.createExperiment({ name: 'uploads' })).id;
      const live = await runWith(exp, 'live', 0.1);
      await s.tracking.logArtifact(live, 'shared.bin', Buffer.from('shared bytes'));
      const old = await s.services.multipart.create('runs/old/big.bin', 3);
      await s.services.multipart.putPart(old, 1, Readable.from([Buffer.from('old part')]));
      await s.services.multipart.putPart(old, 2, Readable.from([Buffer.from('shared bytes')]));
      const open = await s.services.multipart.create('runs/new/big.bin', 2);
      await s.services.multipart.putPart(open, 1, Readable.from([Buffer.from('fresh part')]));
      // Started eight days ago (the default limit is seven).
      await s.db.run('UPDATE multipart_uploads SET created_at = created_at - ? WHERE id = ?', [8 * 24 * 3600 * 1000, old]);
      await new Promise((r) => setTimeout(r, 5));

      const dry = await s.api.collectGarbage({ dryRun: true, graceSeconds: 0 });
      expect(dry.abortedUploads).toEqual([{ id: old, target: 'runs/old/big.bin', parts: 2 }]);
      expect(await s.blobs.has(sha('old part'))).toBe(true);
      await s.services.multipart.putPart(old, 3, Readable.from([Buffer.from('still open after a dry run')]));

      const swept = await s.api.collectGarbage({ graceSeconds: 0 });
      expect(swept.abortedUploads).toEqual([{ id: old, target: 'runs/old/big.bin', parts: 3 }]);
      expect(await s.blobs.has(sha('old part'))).toBe(false);
      expect(await s.blobs.has(sha('still open after a dry run'))).toBe(false);
      expect(await s.blobs.has(sha('shared bytes'))).toBe(true);
      expect(await s.blobs.has(sha('fresh part'))).toBe(true);
      await expect(s.services.multipart.putPart(old, 1, Readable.from([Buffer.from('x')]))).rejects.toThrow(/does not exist .*start a new one/);
      await s.services.multipart.putPart(open, 2, Readable.from([Buffer.from('second')]));
      expect(await actions()).toEqual(expect.arrayContaining([`multipart.abort:${old}`]));
      expect((await s.api.collectGarbage({ graceSeconds: 0 })).abortedUploads).toEqual([]);
      await expect(s.api.collectGarbage({ abandonedUploadSeconds: -1 })).rejects.toThrow(/abandonedUploadSeconds/);
    });
  });
}
