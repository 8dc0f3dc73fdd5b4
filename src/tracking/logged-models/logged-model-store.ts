/**
 * Persistence for logged models. Implemented once over the dialect layer
 * (SqlLoggedModelStore) for SQLite and PostgreSQL.
 *
 * Promises, as the tracking store: safe across processes sharing a database;
 * every method atomic; returned objects are snapshots. The store checks only
 * what the database guarantees (param immutability); rules spanning entities
 * (the experiment and source run exist, lifecycle) live in the service.
 */
import type { ArtifactEntry, Lifecycle, LifecycleFilter, Tags } from '../domain.js';
import type { EntityClause, EntityOrder } from '../search/index.js';
import type { StoredArtifact } from '../tracking-store.js';
import type { LoggedModel, LoggedModelMetric, LoggedModelStatus, RunModelLink } from './logged-model.js';

export interface NewLoggedModel {
  readonly id: string;
  readonly experimentId: string;
  readonly name: string;
  readonly sourceRunId: string | null;
  readonly modelType: string | null;
  readonly artifactLocation: string;
  readonly params: Tags;
  readonly tags: Tags;
  readonly now: number;
}

export interface LoggedModelQuery {
  readonly experimentIds: readonly string[];
  readonly filter: readonly EntityClause[];
  readonly orderBy: readonly EntityOrder[];
  readonly lifecycle: LifecycleFilter;
  readonly limit: number;
  readonly offset: number;
}

export interface LoggedModelStore {
  insert(m: NewLoggedModel): Promise<void>;
  get(id: string): Promise<LoggedModel | undefined>;
  search(q: LoggedModelQuery): Promise<LoggedModel[]>;
  setStatus(id: string, status: LoggedModelStatus, message: string | null, now: number): Promise<void>;
  setLifecycle(id: string, lifecycle: Lifecycle, now: number): Promise<void>;
  setTags(id: string, tags: Tags, now: number): Promise<void>;
  deleteTag(id: string, key: string, now: number): Promise<void>;
  /** A param already set with a different value is an InvalidArgument naming both values. */
  logParams(id: string, params: Tags, now: number): Promise<void>;
  logMetrics(id: string, metrics: readonly LoggedModelMetric[]): Promise<void>;
  /** Records that a run used or produced a model; a repeat updates the step. */
  link(l: RunModelLink): Promise<void>;
  linksOfRun(runId: string): Promise<RunModelLink[]>;

  putArtifact(id: string, a: StoredArtifact, now: number): Promise<void>;
  getArtifact(id: string, path: string): Promise<StoredArtifact | undefined>;
  listArtifacts(id: string, dir: string): Promise<ArtifactEntry[]>;
  deleteArtifacts(id: string, path: string): Promise<number>;
}
