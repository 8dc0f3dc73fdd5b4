/** Upgrading a database made by the released schema (0001) to 0005, on SQLite and PostgreSQL. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestPostgres } from '../../testing/postgres.js';
import { tempDir } from '../../testing/tracking-harness.js';
import type { Db } from '../db.js';
import { migrate, migrationStatus } from '../migration.js';
import { PostgresDb } from '../postgres-db.js';
import { SqliteDb } from '../sqlite-db.js';
import { m0001Tracking } from './0001-tracking.js';
import { m0005Data } from './0005-data.js';
import { MIGRATIONS } from './index.js';

async function upgradeFromReleased(db: Db): Promise<void> {
  await migrate(db, [m0001Tracking]);
  await db.run("INSERT INTO experiments (id, name, artifact_location, created_at, updated_at) VALUES ('e1', 'kept', 'x', 1, 1)");
  expect((await migrationStatus(db, MIGRATIONS)).pending.map((m) => m.version)).toContain(5);
  expect((await migrate(db, MIGRATIONS)).map((m) => m.version)).toContain(m0005Data.version);
  expect(await db.get("SELECT name FROM experiments WHERE id = 'e1'")).toEqual({ name: 'kept' });
  await db.run("INSERT INTO data_sets (name, latest_version, created_by, created_at, updated_at) VALUES ('churn', 0, 'local', 1, 1)");
  // Tracking's run-input table `datasets` from 0001 is untouched beside the data slice's tables.
  expect(await db.get('SELECT COUNT(*) AS n FROM datasets')).toEqual({ n: 0 });
  expect((await migrationStatus(db, MIGRATIONS)).pending).toEqual([]);
}

describe('migration 0005 (data)', () => {
  it('upgrades a released SQLite database', async () => {
    const dir = await tempDir();
    const db = new SqliteDb(join(dir, 'old.db'));
    try {
      await upgradeFromReleased(db);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a released PostgreSQL database', async () => {
    const pg = await createTestPostgres();
    const db = new PostgresDb(pg.url);
    try {
      await upgradeFromReleased(db);
    } finally {
      await db.close();
      await pg.drop();
    }
  });
});
