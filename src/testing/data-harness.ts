/** Builds real data stacks for the conformance suite: SQLite file, PostgreSQL database, or a live HTTP server. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalBlobStore } from '../artifacts/index.js';
import type { AuditEntry, AuditEvent, AuditLog } from '../audit/audit-log.js';
import { HttpDataClient } from '../client/index.js';
import { DataService } from '../data/data-service.js';
import { SqlDataStore } from '../data/sql-data-store.js';
import { createApp } from '../server/app.js';
import type { Db } from '../storage/db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { PostgresDb } from '../storage/postgres-db.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import type { DataHarness } from './data-conformance.js';
import { createTestPostgres } from './postgres.js';
import { tempDir } from './tracking-harness.js';

/** An AuditLog that keeps entries in memory, so tests can see what a service appended. */
export class MemoryAuditLog implements AuditLog {
  readonly entries: AuditEntry[] = [];
  async append(e: AuditEvent): Promise<AuditEntry> {
    const entry = { ...e, seq: this.entries.length + 1, time: Date.now(), prevHash: '', hash: '' };
    this.entries.push(entry);
    return entry;
  }
}

async function serviceOver(db: Db, dir: string): Promise<{ data: DataService; audit: MemoryAuditLog; blobs: LocalBlobStore }> {
  await migrate(db, MIGRATIONS);
  const audit = new MemoryAuditLog();
  const blobs = new LocalBlobStore(join(dir, 'artifacts'));
  return { data: new DataService({ store: new SqlDataStore(db), blobs, audit }), audit, blobs };
}

export async function sqliteDataHarness(): Promise<DataHarness> {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  const { data, audit } = await serviceOver(db, dir);
  return { api: data, audit, cleanup: async () => { await db.close(); await rm(dir, { recursive: true, force: true }); } };
}

export async function postgresDataHarness(): Promise<DataHarness> {
  const pg = await createTestPostgres();
  const dir = await tempDir();
  const db = new PostgresDb(pg.url);
  const { data, audit } = await serviceOver(db, dir);
  return {
    api: data, audit,
    cleanup: async () => { await db.close(); await pg.drop(); await rm(dir, { recursive: true, force: true }); },
  };
}

/** A real Fastify server on a loopback port over SQLite, and the HTTP client pointed at it. */
export async function httpDataHarness(): Promise<DataHarness & { url: string }> {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  const { data, audit, blobs } = await serviceOver(db, dir);
  const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs });
  const app = createApp({ tracking, data, version: 'test' });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    api: new HttpDataClient({ url, retries: 1 }),
    audit,
    url,
    cleanup: async () => { await app.close(); await db.close(); await rm(dir, { recursive: true, force: true }); },
  };
}
