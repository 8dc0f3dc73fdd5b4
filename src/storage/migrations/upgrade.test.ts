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
import { SqlAuditLog } from '../../audit/sql-audit-log.js';
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

describe('upgrading to the audit head row (schema 7)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-upgrade-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the head from the last entry of a schema-6 chain, so appends continue it and it still verifies', async () => {
    const db = new SqliteDb(join(dir, 'v6.db'));
    try {
      // A schema-6 database holding a chain (whose format schema 7 keeps): append, then take away what migration 7 added.
      const old = new SqlAuditLog(db);
      await migrate(db, MIGRATIONS.filter((m) => m.version <= 7));
      const written = [];
      for (let i = 0; i < 3; i++) written.push(await old.append({ actor: 'ada', action: 'run.update', targetType: 'run', targetId: `r${i}` }));
      await db.run('DROP TABLE audit_head');
      await db.run('DELETE FROM schema_migrations WHERE version = 7');
      expect((await migrate(db, MIGRATIONS)).map((m) => m.version)).toEqual(MIGRATIONS.filter((m) => m.version >= 7).map((m) => m.version));
      expect(await db.get('SELECT seq, prev_hash, hash FROM audit_head')).toEqual({ seq: 3, prev_hash: written[1]!.hash, hash: written[2]!.hash });
      const next = await new SqlAuditLog(db).append({ actor: 'bob', action: 'run.delete', targetType: 'run', targetId: 'r9' });
      expect(next).toMatchObject({ seq: 4, prevHash: written[2]!.hash });
      expect(await new SqlAuditLog(db).verify()).toMatchObject({ ok: true, count: 4, headSeq: 4 });
    } finally {
      await db.close();
    }
  });

  it('starts an empty log at the genesis values', async () => {
    const db = new SqliteDb(join(dir, 'empty.db'));
    try {
      await migrate(db, MIGRATIONS);
      expect(await db.get('SELECT seq, prev_hash, hash FROM audit_head')).toEqual({ seq: 0, prev_hash: '0'.repeat(64), hash: '0'.repeat(64) });
      expect(await new SqlAuditLog(db).append({ actor: 'ada', action: 'x', targetType: 't', targetId: '1' })).toMatchObject({ seq: 1, prevHash: '0'.repeat(64) });
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
