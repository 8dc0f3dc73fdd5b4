/** Upgrading a database made by the released schema 0001 (tracking) to 0002 (registry), on both databases. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db.js';
import { migrate, migrationStatus } from '../migration.js';
import { PostgresDb } from '../postgres-db.js';
import { SqliteDb } from '../sqlite-db.js';
import { createTestPostgres } from '../../testing/postgres.js';
import { tempDir } from '../../testing/tracking-harness.js';
import { m0001Tracking } from './0001-tracking.js';
import { MIGRATIONS } from './index.js';

async function upgradeFrom0001(db: Db): Promise<void> {
  expect((await migrate(db, [m0001Tracking])).map((m) => m.version)).toEqual([1]);
  await db.run(`INSERT INTO experiments (id, name, artifact_location, created_at, updated_at) VALUES ('7', 'kept', 'x', 1, 1)`);
  const later = MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version);
  expect((await migrationStatus(db, MIGRATIONS)).pending.map((m) => m.version)).toEqual(later);
  expect((await migrate(db, MIGRATIONS)).map((m) => m.version)).toEqual(later);
  expect(await db.get(`SELECT name FROM experiments WHERE id = '7'`)).toEqual({ name: 'kept' });
  await db.run(`INSERT INTO registered_models (id, name, created_at, updated_at) VALUES ('m', 'churn', 1, 1)`);
  const version = (v: number, stage: string) => db.run(
    `INSERT INTO model_versions (model_id, version, stage, source, artifact_format, author, created_at, updated_at)
     VALUES ('m', ?, ?, 's', 'onnx', 'a', 1, 1)`, [v, stage]);
  await version(1, 'production');
  await version(2, 'staging');
  // The partial unique index: a second production version of one model is refused by the database itself.
  await expect(version(3, 'production')).rejects.toThrow();
}

describe('migration 0002-registry', () => {
  it('upgrades a SQLite database made by 0001', async () => {
    const dir = await tempDir();
    const db = new SqliteDb(join(dir, 'cairn.db'));
    try {
      await upgradeFrom0001(db);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a PostgreSQL database made by 0001', async () => {
    const pg = await createTestPostgres();
    const db = new PostgresDb(pg.url);
    try {
      await upgradeFrom0001(db);
    } finally {
      await db.close();
      await pg.drop();
    }
  });
});
