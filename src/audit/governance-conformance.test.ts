import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { describeGovernanceConformance } from '../testing/governance-conformance.js';
import { tempDir } from '../testing/tracking-harness.js';
import { createTestPostgres } from '../testing/postgres.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { PostgresDb } from '../storage/postgres-db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';

describeGovernanceConformance('SQLite', async () => {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  await migrate(db, MIGRATIONS);
  // Two SQLite connections in one process cannot wait for each other (the busy
  // wait blocks the event loop); across processes BEGIN IMMEDIATE serialises appends.
  return { db, other: db, cleanup: async () => { await db.close(); await rm(dir, { recursive: true, force: true }); } };
});

describeGovernanceConformance('PostgreSQL', async () => {
  const pg = await createTestPostgres();
  const db = new PostgresDb(pg.url);
  await migrate(db, MIGRATIONS);
  const other = new PostgresDb(pg.url);
  return { db, other, cleanup: async () => { await db.close(); await other.close(); await pg.drop(); } };
});
