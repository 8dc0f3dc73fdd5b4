/** Builds real tracking stacks for tests: SQLite file, PostgreSQL database, or a live HTTP server. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore, MultipartUploads } from '../artifacts/index.js';
import { LoggedModelService, SqlLoggedModelStore, type LoggedModelApi } from '../tracking/logged-models/index.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { PostgresDb } from '../storage/postgres-db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import { createApp } from '../server/app.js';
import { HttpLoggedModelClient, HttpTrackingClient } from '../client/index.js';
import { createTestPostgres } from './postgres.js';
import type { TrackingHarness } from './tracking-conformance.js';
import type { Db } from '../storage/db.js';

export async function tempDir(prefix = 'cairn-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** The services a server wires over one database and blob folder. */
export interface ServiceStack {
  readonly api: TrackingService;
  readonly loggedModels: LoggedModelService;
  readonly multipart: MultipartUploads;
}

async function stackOver(db: Db, dir: string): Promise<ServiceStack> {
  await migrate(db, MIGRATIONS);
  const blobs = new LocalBlobStore(join(dir, 'artifacts'));
  const api = new TrackingService({ store: new SqlTrackingStore(db), blobs });
  return {
    api,
    loggedModels: new LoggedModelService({ store: new SqlLoggedModelStore(db), blobs, tracking: api }),
    multipart: new MultipartUploads(db, blobs),
  };
}

export async function sqliteHarness(): Promise<TrackingHarness & ServiceStack & { db: SqliteDb }> {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  const stack = await stackOver(db, dir);
  return { ...stack, db, cleanup: async () => { await db.close(); await rm(dir, { recursive: true, force: true }); } };
}

export async function postgresHarness(): Promise<TrackingHarness & ServiceStack> {
  const pg = await createTestPostgres();
  const dir = await tempDir();
  const db = new PostgresDb(pg.url);
  const stack = await stackOver(db, dir);
  return {
    ...stack,
    cleanup: async () => { await db.close(); await pg.drop(); await rm(dir, { recursive: true, force: true }); },
  };
}

/** A real Fastify server on a loopback port over SQLite, and the HTTP clients pointed at it. */
export async function httpHarness(): Promise<TrackingHarness & { url: string; loggedModels: LoggedModelApi }> {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  const stack = await stackOver(db, dir);
  const app = createApp({ tracking: stack.api, loggedModels: stack.loggedModels, multipart: stack.multipart, version: 'test' });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    api: new HttpTrackingClient({ url, retries: 1 }),
    loggedModels: new HttpLoggedModelClient({ url, retries: 1 }),
    url,
    cleanup: async () => { await app.close(); await db.close(); await rm(dir, { recursive: true, force: true }); },
  };
}
