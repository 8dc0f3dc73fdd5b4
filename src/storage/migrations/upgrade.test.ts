/** Upgrading a database made by each released schema to the latest, keeping its data. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '../../artifacts/index.js';
import { LoggedModelService, SqlLoggedModelStore } from '../../tracking/logged-models/index.js';
import { SqlTrackingStore } from '../../tracking/sql-tracking-store.js';
import { TrackingService } from '../../tracking/tracking-service.js';
import { migrate, migrationStatus } from '../migration.js';
import { SqliteDb } from '../sqlite-db.js';
import { m0001Tracking } from './0001-tracking.js';
import { MIGRATIONS } from './index.js';

describe('upgrading released schemas', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes a schema-1 database with runs to the latest, and its runs can own logged models', async () => {
    const db = new SqliteDb(join(dir, 'v1.db'));
    try {
      await migrate(db, [m0001Tracking]);
      const blobs = new LocalBlobStore(join(dir, 'blobs'));
      const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs });
      const run = await tracking.createRun({ experimentName: 'old', params: { lr: '0.1' } });
      await tracking.logArtifact(run.id, 'a.txt', Buffer.from('a'));
      const applied = await migrate(db, MIGRATIONS);
      expect(applied.map((m) => m.version)).toEqual(MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version));
      expect((await tracking.getRun(run.id)).params).toEqual({ lr: '0.1' });
      const models = new LoggedModelService({ store: new SqlLoggedModelStore(db), blobs, tracking });
      const m = await models.createLoggedModel({ experimentId: run.experimentId, sourceRunId: run.id, name: 'upgraded' });
      expect((await models.searchLoggedModels({ experimentIds: [run.experimentId] })).items.map((x) => x.id)).toEqual([m.id]);
      expect((await tracking.listArtifacts(run.id)).map((a) => a.path)).toEqual(['a.txt']);
    } finally {
      await db.close();
    }
  });
});

describe('migration numbers assigned per feature', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-gap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const step = (version: number) => ({ version, name: `t${version}`, sql: `CREATE TABLE t${version} (x INTEGER)` });

  it('applies a migration numbered below one the database already has, and refuses a database with an unknown one', async () => {
    const db = new SqliteDb(join(dir, 'gap.db'));
    try {
      expect((await migrate(db, [step(1), step(4)])).map((m) => m.version)).toEqual([1, 4]);
      expect((await migrationStatus(db, [step(1), step(2), step(4)])).pending.map((m) => m.version)).toEqual([2]);
      expect((await migrate(db, [step(1), step(2), step(4)])).map((m) => m.version)).toEqual([2]);
      expect(await db.get('SELECT COUNT(*) AS n FROM t2')).toEqual({ n: 0 });
      await expect(migrate(db, [step(1), step(2)])).rejects.toThrow(/schema is at version 4, newer than this Cairn.*upgrade Cairn/);
    } finally {
      await db.close();
    }
  });
});
