/**
 * The tracking capability as seen by callers. Implemented by TrackingService
 * (in process, over a store) and by the HTTP client (over /api/v1), and
 * checked against both by one conformance suite.
 */
import type {
  ArtifactEntry, Experiment, ExperimentStats, LifecycleFilter, MetricSeries, Page, Run, RunStatus, DatasetInput,
} from './domain.js';

export interface CreateExperimentInput {
  readonly name: string;
  readonly description?: string | null;
  readonly tags?: Record<string, string>;
  readonly artifactLocation?: string;
  readonly requiredTags?: readonly string[];
  readonly runNamePattern?: string | null;
}

export interface UpdateExperimentInput {
  readonly name?: string;
  readonly description?: string | null;
  readonly requiredTags?: readonly string[];
  readonly runNamePattern?: string | null;
}

export interface ListExperimentsInput {
  readonly lifecycle?: LifecycleFilter;
  /** Case-insensitive LIKE pattern on the name, e.g. `%churn%`. */
  readonly nameLike?: string;
  /**
   * MLflow's experiment filter: `name`, `creation_time`, `last_update_time`
   * and `tags.<key>` comparisons joined with AND, e.g. `name LIKE 'churn%' AND tags.team = 'ml'`.
   */
  readonly filter?: string;
  /** `name`, `creation_time`, `last_update_time` or `experiment_id`, each with ASC or DESC. Default: last update, newest first. */
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
}

export interface CreateRunInput {
  /** Experiment id; or give `experimentName` (created when missing). Defaults to the Default experiment '0'. */
  readonly experimentId?: string;
  readonly experimentName?: string;
  readonly name?: string;
  readonly startTime?: number;
  readonly userId?: string | null;
  readonly parentRunId?: string | null;
  readonly notes?: string | null;
  readonly params?: Record<string, string>;
  readonly tags?: Record<string, string>;
}

export interface UpdateRunInput {
  readonly name?: string;
  readonly status?: RunStatus;
  readonly endTime?: number | null;
  readonly notes?: string | null;
}

export interface MetricInput {
  readonly key: string;
  readonly value: number;
  readonly step?: number;
  readonly timestamp?: number;
}

export interface LogBatchInput {
  readonly metrics?: readonly MetricInput[];
  readonly params?: Record<string, string>;
  readonly tags?: Record<string, string>;
}

export interface WriteOptions {
  /** A retried call with the same key is stored once. */
  readonly idempotencyKey?: string;
}

export interface SearchRunsInput {
  readonly experimentIds: readonly string[];
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly lifecycle?: LifecycleFilter;
  readonly maxResults?: number;
  readonly pageToken?: string;
}

export interface HistoryOptions {
  /** Downsample on the server to at most this many points, keeping extremes. */
  readonly maxPoints?: number;
  readonly xAxis?: 'step' | 'timestamp';
  readonly xMin?: number;
  readonly xMax?: number;
}

export type ByteSource = Uint8Array | AsyncIterable<Uint8Array>;

export interface TrackingApi {
  createExperiment(input: CreateExperimentInput): Promise<Experiment>;
  getExperiment(id: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment>;
  listExperiments(input?: ListExperimentsInput): Promise<Page<Experiment>>;
  /** Active-run count and last activity per experiment, in the order of `ids` (zero and null when it has no runs). At most 1,000 ids. */
  experimentStats(ids: readonly string[]): Promise<ExperimentStats[]>;
  updateExperiment(id: string, input: UpdateExperimentInput): Promise<Experiment>;
  deleteExperiment(id: string): Promise<void>;
  restoreExperiment(id: string): Promise<void>;
  setExperimentTag(id: string, key: string, value: string): Promise<void>;
  deleteExperimentTag(id: string, key: string): Promise<void>;

  createRun(input: CreateRunInput): Promise<Run>;
  getRun(id: string): Promise<Run>;
  updateRun(id: string, input: UpdateRunInput): Promise<Run>;
  deleteRun(id: string): Promise<void>;
  restoreRun(id: string): Promise<void>;
  logBatch(runId: string, batch: LogBatchInput, opts?: WriteOptions): Promise<void>;
  /** The columnar fast path: many points per key in one call. */
  logMetricSeries(runId: string, series: readonly MetricSeries[], opts?: WriteOptions): Promise<void>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void>;
  getMetricHistory(runId: string, key: string, opts?: HistoryOptions): Promise<MetricSeries>;
  searchRuns(input: SearchRunsInput): Promise<Page<Run>>;

  logArtifact(runId: string, path: string, body: ByteSource): Promise<ArtifactEntry>;
  listArtifacts(runId: string, path?: string): Promise<ArtifactEntry[]>;
  /**
   * Deletes the artifact at `path`, or every artifact under the folder `path`,
   * from the run. Idempotent: deleting what is not there succeeds, so a retry
   * is safe. The bytes stay in the blob store (content-addressed, possibly
   * shared with other runs).
   */
  deleteArtifact(runId: string, path: string): Promise<void>;
  /** The artifact's bytes, verified against its checksum while streaming. */
  openArtifact(runId: string, path: string): Promise<AsyncIterable<Uint8Array>>;
}
