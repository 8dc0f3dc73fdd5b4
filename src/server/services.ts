/**
 * Every slice's service over one database and one blob store, wired as the
 * server runs them. `startServer` and the test harnesses build the app from
 * this one function, so what the tests cover is what the server serves.
 */
import { MultipartUploads, type BlobStore } from '../artifacts/index.js';
import { LOCAL_ACTOR } from '../core/actor.js';
import { DataService } from '../data/data-service.js';
import { RunDataValidation } from '../data/run-data-validation.js';
import { ValidatedVersionCheck } from '../data/validated-version-check.js';
import { SqlDataStore } from '../data/sql-data-store.js';
import { duckDbTabularDiffHook } from '../data/tabular/blob-tabular-diff.js';
import { PermutationImportanceEvaluator } from '../hpo/importance/permutation-importance-evaluator.js';
import { SqlStudyStore } from '../hpo/sql-study-store.js';
import { StudyService } from '../hpo/study-service.js';
import { RetentionService } from '../retention/retention-service.js';
import { SqlRetentionStore } from '../retention/sql-retention-store.js';
import { RegistryService } from '../registry/registry-service.js';
import { SqlRegistryStore } from '../registry/sql-registry-store.js';
import type { Db } from '../storage/db.js';
import { LoggedModelService, SqlLoggedModelStore } from '../tracking/logged-models/index.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import type { Governance } from './governance.js';

export interface Services {
  readonly tracking: TrackingService;
  readonly registry: RegistryService;
  readonly data: DataService;
  readonly loggedModels: LoggedModelService;
  readonly multipart: MultipartUploads;
  readonly hpo: StudyService;
  readonly retention: RetentionService;
}

/** Builds the services; no I/O happens here (the database is migrated already). */
export function createServices(db: Db, blobs: BlobStore, governance: Governance): Services {
  const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs });
  const data = new DataService({ store: new SqlDataStore(db), blobs, audit: governance.audit, tabularDiff: duckDbTabularDiffHook });
  const registry = new RegistryService({
    store: new SqlRegistryStore(db), runs: tracking, audit: governance.audit, roles: governance.roles,
    notifier: governance.notifier, dataValidation: new RunDataValidation(tracking, data), evaluationCheck: new ValidatedVersionCheck(data),
  }, LOCAL_ACTOR);
  const loggedModels = new LoggedModelService({ store: new SqlLoggedModelStore(db), blobs, tracking });
  const importances = new PermutationImportanceEvaluator({ seed: 0 });
  const hpo = new StudyService({ store: new SqlStudyStore(db), tracking, importance: (view) => importances.evaluate(view) });
  const retention = new RetentionService({ store: new SqlRetentionStore(db), blobs, audit: governance.audit });
  return { tracking, registry, data, loggedModels, multipart: new MultipartUploads(db, blobs), hpo, retention };
}
