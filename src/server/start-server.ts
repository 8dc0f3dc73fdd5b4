import type { FastifyInstance } from 'fastify';
import type { CairnConfig } from '../config/config.js';
import { redactUrl } from '../config/config.js';
import { InvalidState } from '../core/errors.js';
import { openDb } from '../storage/open-db.js';
import { isEmptyDatabase, migrate, migrationStatus, optimize } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { openBlobStore } from '../artifacts/index.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import { createApp } from './app.js';
import { SqlStudyStore } from '../hpo/sql-study-store.js';
import { StudyService } from '../hpo/study-service.js';
import { VERSION } from '../core/version.js';
import type { Db } from '../storage/db.js';

const OPTIMIZE_EVERY_MS = 60 * 60 * 1000;

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly db: Db;
  close(): Promise<void>;
}

/**
 * Opens the stores named by the config, migrates an empty database, and
 * listens. A database behind the current schema is refused with the fix.
 */
export async function startServer(cfg: CairnConfig, opts: { logger?: boolean } = {}): Promise<RunningServer> {
  const db = await openDb(cfg.db);
  try {
    if (await isEmptyDatabase(db)) await migrate(db, MIGRATIONS);
    const status = await migrationStatus(db, MIGRATIONS);
    if (status.pending.length > 0) {
      throw new InvalidState(
        `database ${redactUrl(cfg.db)} is at schema ${status.current} but this Cairn needs ${status.latest}; run 'cairn db upgrade --db ${redactUrl(cfg.db)}'`);
    }
  } catch (e) {
    await db.close();
    throw e;
  }
  const blobs = await openBlobStore(cfg.artifacts, { s3Endpoint: cfg.s3Endpoint, s3Region: cfg.s3Region });
  const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs });
  const hpo = new StudyService({ store: new SqlStudyStore(db), tracking });
  const app = createApp({ tracking, hpo, version: VERSION, logger: opts.logger ?? false });
  await app.listen({ host: cfg.host, port: cfg.port });
  // Keep planner statistics fresh as data grows; cheap when nothing changed.
  const optimizer = setInterval(() => { optimize(db).catch((e: unknown) => app.log.warn({ err: e }, 'optimize failed')); }, OPTIMIZE_EVERY_MS);
  optimizer.unref();
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  return {
    app,
    db,
    url: `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`,
    async close() {
      clearInterval(optimizer);
      await app.close();
      await db.close();
    },
  };
}
