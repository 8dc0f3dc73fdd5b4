import type { FastifyInstance } from 'fastify';
import type { CairnConfig } from '../config/config.js';
import { redactUrl } from '../config/config.js';
import { InvalidState } from '../core/errors.js';
import { openDb } from '../storage/open-db.js';
import { migrateIfEmpty, migrationStatus, optimize } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { MultipartUploads, openBlobStore } from '../artifacts/index.js';
import { LoggedModelService, SqlLoggedModelStore } from '../tracking/logged-models/index.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import { SqlRegistryStore } from '../registry/sql-registry-store.js';
import { RegistryService } from '../registry/registry-service.js';
import { LOCAL_ACTOR } from '../core/actor.js';
import { createApp } from './app.js';
import { createGovernance, type Governance } from './governance.js';
import { DataService } from '../data/data-service.js';
import { SqlDataStore } from '../data/sql-data-store.js';
import { RunDataValidation } from '../data/run-data-validation.js';
import { ValidatedVersionCheck } from '../data/validated-version-check.js';
import { duckDbTabularDiffHook } from '../data/tabular/blob-tabular-diff.js';
import { SqlStudyStore } from '../hpo/sql-study-store.js';
import { StudyService } from '../hpo/study-service.js';
import { PermutationImportanceEvaluator } from '../hpo/importance/permutation-importance-evaluator.js';
import { VERSION } from '../core/version.js';
import type { Db } from '../storage/db.js';

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
const governance = createGovernance(db, { authEnabled: cfg.auth });
  if (cfg.auth && cfg.adminToken) await governance.auth.bootstrapAdmin(cfg.adminToken, { id: 'system', name: 'system' });
  const data = new DataService({ store: new SqlDataStore(db), blobs, audit: governance.audit, tabularDiff: duckDbTabularDiffHook });
  const registry = new RegistryService({
    store: new SqlRegistryStore(db), runs: tracking, audit: governance.audit, roles: governance.roles,
    notifier: governance.notifier, dataValidation: new RunDataValidation(tracking, data), evaluationCheck: new ValidatedVersionCheck(data),
  }, LOCAL_ACTOR);
  const loggedModels = new LoggedModelService({ store: new SqlLoggedModelStore(db), blobs, tracking });
  const multipart = new MultipartUploads(db, blobs);
  const importances = new PermutationImportanceEvaluator({ seed: 0 });
  const hpo = new StudyService({ store: new SqlStudyStore(db), tracking, importance: (view) => importances.evaluate(view) });
  const app = createApp({ tracking, registry, hpo, loggedModels, multipart, data, governance, version: VERSION, logger: opts.logger ?? false });
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
