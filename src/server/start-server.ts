import type { FastifyInstance } from 'fastify';
import type { CairnConfig } from '../config/config.js';
import { redactUrl } from '../config/config.js';
import { openDb } from '../storage/open-db.js';
import { migrateIfEmpty, optimize, requireCurrentSchema } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { openBlobStore } from '../artifacts/index.js';
import { createApp } from './app.js';
import { createServices } from './services.js';
import { createGovernance, type Governance } from './governance.js';
import { VERSION } from '../core/version.js';
import type { Db } from '../storage/db.js';
import { fileURLToPath } from 'node:url';

/** The Vite build of the web UI: dist/web, whether this module runs built (dist/src/server) or from source (src/server). */
const WEB_ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/src/') ? '../../web/' : '../../dist/web/', import.meta.url));

const OPTIMIZE_EVERY_MS = 60 * 60 * 1000;

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly db: Db;
  readonly governance: Governance;
  /** Things the operator should know, e.g. auth on with no user yet. */
  readonly notices: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens the stores named by the config, migrates an empty database, and
 * listens. A database behind the current schema is refused with the fix.
 */
export async function startServer(cfg: CairnConfig, opts: { logger?: boolean } = {}): Promise<RunningServer> {
  const db = await openDb(cfg.db);
  try {
    await migrateIfEmpty(db, MIGRATIONS);
    await requireCurrentSchema(db, MIGRATIONS, redactUrl(cfg.db));
  } catch (e) {
    await db.close();
    throw e;
  }
  const blobs = await openBlobStore(cfg.artifacts, { s3Endpoint: cfg.s3Endpoint, s3Region: cfg.s3Region });
  const governance = createGovernance(db, { authEnabled: cfg.auth });
  if (cfg.auth && cfg.adminToken) await governance.auth.bootstrapAdmin(cfg.adminToken, { id: 'system', name: 'system' });
  const services = createServices(db, blobs, governance);
  const app = createApp({ ...services, governance, webRoot: WEB_ROOT, version: VERSION, logger: opts.logger ?? false });
  const notices: string[] = [];
  if (cfg.auth && await governance.auth.hasNoUsers()) {
    notices.push(`auth is on but no user exists yet: create the first admin with 'cairn users create <name> --role admin --db ${redactUrl(cfg.db)}' or set CAIRN_ADMIN_TOKEN`);
  }
  await app.listen({ host: cfg.host, port: cfg.port });
  governance.dispatcher.start();
  // Keep planner statistics fresh as data grows; cheap when nothing changed.
  const optimizer = setInterval(() => { optimize(db).catch((e: unknown) => app.log.warn({ err: e }, 'optimize failed')); }, OPTIMIZE_EVERY_MS);
  optimizer.unref();
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  return {
    app,
    db,
    governance,
    notices,
    url: `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`,
    async close() {
      clearInterval(optimizer);
      await governance.dispatcher.stop();
      await app.close();
      await db.close();
    },
  };
}
