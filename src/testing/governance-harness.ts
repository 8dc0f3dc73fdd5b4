/**
 * The whole app, every slice wired as `startServer` wires it (`createServices`),
 * with governance over a temporary SQLite database: for in-process (inject)
 * tests of auth and audit. The web UI is left out (no `webRoot`).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LocalBlobStore } from '../artifacts/index.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { createApp } from '../server/app.js';
import { createGovernance, type Governance } from '../server/governance.js';
import { createServices, type Services } from '../server/services.js';
import type { DispatcherOptions } from '../webhooks/webhook-dispatcher.js';
import { tempDir } from './tracking-harness.js';

export interface GovernedApp {
  readonly app: FastifyInstance;
  readonly db: SqliteDb;
  readonly tracking: Services['tracking'];
  readonly services: Services;
  readonly governance: Governance;
  cleanup(): Promise<void>;
}

export async function governedApp(opts: { authEnabled: boolean; webhooks?: DispatcherOptions }): Promise<GovernedApp> {
  const dir = await tempDir('cairn-gov-');
  const db = new SqliteDb(join(dir, 'cairn.db'));
  await migrate(db, MIGRATIONS);
  const governance = createGovernance(db, opts);
  const services = createServices(db, new LocalBlobStore(join(dir, 'artifacts')), governance);
  const app = createApp({ ...services, governance, version: 'test' });
  await app.ready();
  return {
    app, db, tracking: services.tracking, services, governance,
    cleanup: async () => { await governance.dispatcher.stop(); await app.close(); await db.close(); await rm(dir, { recursive: true, force: true }); },
  };
}
