/** A real app with governance over a temporary SQLite database: for in-process (inject) tests of auth and audit. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LocalBlobStore } from '../artifacts/index.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import { createApp } from '../server/app.js';
import { createGovernance, type Governance } from '../server/governance.js';
import type { DispatcherOptions } from '../webhooks/webhook-dispatcher.js';
import { tempDir } from './tracking-harness.js';

export interface GovernedApp {
  readonly app: FastifyInstance;
  readonly db: SqliteDb;
  readonly tracking: TrackingService;
  readonly governance: Governance;
  cleanup(): Promise<void>;
}

export async function governedApp(opts: { authEnabled: boolean; webhooks?: DispatcherOptions }): Promise<GovernedApp> {
  const dir = await tempDir('cairn-gov-');
  const db = new SqliteDb(join(dir, 'cairn.db'));
  await migrate(db, MIGRATIONS);
  const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs: new LocalBlobStore(join(dir, 'artifacts')) });
  const governance = createGovernance(db, opts);
  const app = createApp({ tracking, governance, version: 'test' });
  await app.ready();
  return {
    app, db, tracking, governance,
    cleanup: async () => { await governance.dispatcher.stop(); await app.close(); await db.close(); await rm(dir, { recursive: true, force: true }); },
  };
}
