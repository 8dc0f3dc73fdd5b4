/**
 * The tracking store contract: persistence for experiments, runs and their
 * data. Implemented once over the dialect layer (SqlTrackingStore) for SQLite
 * and PostgreSQL.
 *
 * Promises:
 * - Safe under concurrent callers and several processes sharing a database.
 * - Every method is atomic: a rejected call has written nothing.
 * - Returned objects are snapshots; later writes never change them.
 * - The store checks only what the database guarantees (uniqueness, param
 *   immutability, idempotency keys); cross-entity rules live in the service.
 */
import type {
  ArtifactEntry, DatasetInput, Experiment, ExperimentStats, Lifecycle, LifecycleFilter, MetricSeries, Run, RunStatus, Tags,
} from './domain.js';
import type { EntityClause, EntityOrder, RunSearchQuery } from './search/index.js';

export interface NewExperiment {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly artifactLocation: string;
  readonly tags: Tags;
  readonly requiredTags: readonly string[];
  readonly runNamePattern: string | null;
  readonly now: number;
}

export interface ExperimentPatch {
  readonly name?: string;
  readonly description?: string | null;
  readonly requiredTags?: readonly string[];
  readonly runNamePattern?: string | null;
}

export interface NewRun {
  readonly id: string;
  readonly experimentId: string;
  readonly name: string;
  readonly status: RunStatus;
  readonly userId: string | null;
  readonly startTime: number;
  readonly parentRunId: string | null;
  readonly notes: string | null;
  readonly artifactUri: string;
  readonly params: Tags;
  readonly tags: Tags;
}

export interface RunPatch {
  readonly name?: string;
  readonly status?: RunStatus;
  readonly endTime?: number | null;
  readonly notes?: string | null;
}

/** One atomic write of run data. */
export interface RunBatch {
  readonly params?: Tags;
  readonly tags?: Tags;
  readonly series?: readonly MetricSeries[];
  /** Ends the run in the same transaction, after the batch. */
  readonly end?: { readonly status: RunStatus; readonly endTime: number };
}

/** A run search: the compiled search language's query. */
export type RunQuery = RunSearchQuery;

export interface ExperimentQuery {
  readonly lifecycle: LifecycleFilter;
  readonly nameLike: string | null;
  /** Conditions over EXPERIMENT_VOCABULARY (name, times, tags), all of which must hold. */
  readonly filter: readonly EntityClause[];
  /** Sort keys; ties and an empty list fall back to the newest update first, then id. */
  readonly orderBy: readonly EntityOrder[];
  readonly limit: number;
  readonly offset: number;
}

export interface StoredArtifact {
  readonly path: string;
  readonly digest: string;
  readonly size: number;
}

/** A run without its params, tags, metrics and inputs: what a write needs to check (one query). */
export type RunHeader = Omit<Run, 'params' | 'tags' | 'metrics' | 'inputs'>;

export interface TrackingStore {
  /** AlreadyExists when the name is taken. */
  insertExperiment(e: NewExperiment): Promise<void>;
  getExperiment(id: string): Promise<Experiment | undefined>;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  listExperiments(q: ExperimentQuery): Promise<Experiment[]>;
  /** Active-run counts and last activity of the given experiments; experiments without runs are absent. */
  experimentStats(ids: readonly string[]): Promise<ExperimentStats[]>;
  /** AlreadyExists when renaming onto a taken name. */
  updateExperiment(id: string, patch: ExperimentPatch, now: number): Promise<void>;
  setExperimentLifecycle(id: string, lifecycle: Lifecycle, now: number): Promise<void>;
  setExperimentTag(id: string, key: string, value: string): Promise<void>;
  deleteExperimentTag(id: string, key: string): Promise<void>;

  insertRun(r: NewRun): Promise<void>;
  getRun(id: string): Promise<Run | undefined>;
  /** The run's own row, without params, tags, metrics or inputs. */
  getRunHeader(id: string): Promise<RunHeader | undefined>;
  /** Runs in the order of `ids`; missing ids are skipped. */
  getRuns(ids: readonly string[]): Promise<Run[]>;
  /** Applies the patch and returns the run as it stands after it; undefined when the run does not exist. */
  updateRun(id: string, patch: RunPatch): Promise<Run | undefined>;
  setRunLifecycle(id: string, lifecycle: Lifecycle, now: number): Promise<void>;
  /**
   * Writes params, tags and metric points atomically. A param already logged
   * with a different value is an InvalidArgument naming both values. With an
   * idempotency key, a second call with the same key writes nothing.
   * Returns false when the key had been seen.
   */
  writeBatch(runId: string, batch: RunBatch, idempotencyKey: string | null, now: number): Promise<boolean>;
  deleteTag(runId: string, key: string): Promise<void>;
  logInputs(runId: string, experimentId: string, inputs: readonly DatasetInput[]): Promise<void>;
  /** The stored chunks of one metric, in insertion order. */
  readMetricChunks(runId: string, key: string): Promise<{ n: number; data: Uint8Array }[]>;
  searchRunIds(q: RunQuery): Promise<string[]>;

  putArtifact(runId: string, a: StoredArtifact, now: number): Promise<void>;
  getArtifact(runId: string, path: string): Promise<StoredArtifact | undefined>;
  /** Direct children of `dir` ('' for the root). */
  listArtifacts(runId: string, dir: string): Promise<ArtifactEntry[]>;
  /**
   * Removes the run's entries at `path` and under `path/` ('' for all of them);
   * returns how many. Blobs stay: other runs may hold the same bytes.
   */
  deleteArtifacts(runId: string, path: string): Promise<number>;
}
