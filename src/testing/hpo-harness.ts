/** Real HPO stacks for tests: the service over SQLite or PostgreSQL, or the HTTP client against a live server. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalBlobStore } from '../artifacts/index.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { PostgresDb } from '../storage/postgres-db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import { SqlStudyStore } from '../hpo/sql-study-store.js';
import { StudyService } from '../hpo/study-service.js';
import { PermutationImportanceEvaluator } from '../hpo/importance/permutation-importance-evaluator.js';
import type { StudyApi } from '../hpo/study-api.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import type { Db } from '../storage/db.js';
import { createTestPostgres } from './postgres.js';
import { createApp } from '../server/app.js';
import { HttpStudyClient, HttpTrackingClient } from '../client/index.js';
import { tempDir } from './tracking-harness.js';

export interface HpoHarness {
  readonly api: StudyApi;
  readonly tracking: TrackingApi;
  /** Another independent client on the same database (a second process's view). */
  second(): StudyApi;
  cleanup(): Promise<void>;
}

async function stack(db: Db, dir: string): Promise<{ tracking: TrackingService; hpo: () => StudyService }> {
  await migrate(db, MIGRATIONS);
  const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs: new LocalBlobStore(join(dir, 'artifacts')) });
  // As the server wires it, so study reports carry importances.
  const importances = new PermutationImportanceEvaluator({ seed: 0 });
  return { tracking, hpo: () => new StudyService({ store: new SqlStudyStore(db), tracking, importance: (view) => importances.evaluate(view) }) };
}

export async function hpoSqliteHarness(): Promise<HpoHarness & { db: SqliteDb; dir: string }> {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  const s = await stack(db, dir);
  return { api: s.hpo(), tracking: s.tracking, second: s.hpo, db, dir, cleanup: async () => { await db.close(); await rm(dir, { recursive: true, force: true }); } };
}

export async function hpoPostgresHarness(): Promise<HpoHarness & { url: string }> {
  const pg = await createTestPostgres();
  const dir = await tempDir();
  const db = new PostgresDb(pg.url);
  const s = await stack(db, dir);
  return {
    api: s.hpo(), tracking: s.tracking, second: s.hpo, url: pg.url,
    cleanup: async () => { await db.close(); await pg.drop(); await rm(dir, { recursive: true, force: true }); },
  };
}

/** A real server on a loopback port over SQLite, and the HTTP client pointed at it. */
export async function hpoHttpHarness(): Promise<HpoHarness & { url: string }> {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  const s = await stack(db, dir);
  const app = createApp({ tracking: s.tracking, hpo: s.hpo(), version: 'test' });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = () => new HttpStudyClient({ url, retries: 1 });
  return {
    api: client(), tracking: new HttpTrackingClient({ url, retries: 1 }), second: client, url,
    cleanup: async () => { await app.close(); await db.close(); await rm(dir, { recursive: true, force: true }); },
  };
}
