/**
 * Logged models as callers see them. Implemented in process by
 * LoggedModelService; the MLflow routes serve it to MLflow 3 clients.
 */
import type { ArtifactEntry, Page } from '../domain.js';
import type { ByteSource, SearchRunsInput } from '../tracking-api.js';
import type { LoggedModel, LoggedModelMetric, LoggedModelStatus, RunModelDirection, RunModelLink } from './logged-model.js';

export interface CreateLoggedModelInput {
  readonly experimentId: string;
  /** Defaults to a generated name such as `brisk-heron-417`. */
  readonly name?: string;
  readonly sourceRunId?: string | null;
  readonly modelType?: string | null;
  readonly params?: Record<string, string>;
  readonly tags?: Record<string, string>;
}

/**
 * A logged-model search has the run search's shape; its filter compares with
 * AND `name`, `model_id`, `model_type`, `status`, `source_run_id`,
 * `creation_timestamp`, `last_updated_timestamp`, `tags.<key>`, `params.<key>`
 * and `metrics.<key>`, and it orders by those attributes (newest first by default).
 */
export type SearchLoggedModelsInput = SearchRunsInput;

export interface LoggedModelApi {
  /** A new model in PENDING status, its artifact location under its experiment's. */
  createLoggedModel(input: CreateLoggedModelInput): Promise<LoggedModel>;
  /** NotFound for a deleted model unless `allowDeleted`. */
  getLoggedModel(id: string, opts?: { readonly allowDeleted?: boolean }): Promise<LoggedModel>;
  searchLoggedModels(input: SearchLoggedModelsInput): Promise<Page<LoggedModel>>;
  /** Sets the status once uploading ends (READY or FAILED); returns the model. */
  finalizeLoggedModel(id: string, status: LoggedModelStatus, message?: string | null): Promise<LoggedModel>;
  /** Marks the model deleted; its row, artifacts and links stay. */
  deleteLoggedModel(id: string): Promise<void>;
  setLoggedModelTags(id: string, tags: Record<string, string>): Promise<void>;
  deleteLoggedModelTag(id: string, key: string): Promise<void>;
  /** Params are immutable: a changed value is an InvalidArgument. */
  logLoggedModelParams(id: string, params: Record<string, string>): Promise<void>;
  logLoggedModelMetrics(id: string, metrics: readonly LoggedModelMetric[]): Promise<void>;
  /** Records models a run used (`input`) or produced (`output`). */
  linkRunModels(runId: string, direction: RunModelDirection, models: readonly { modelId: string; step: number }[]): Promise<void>;
  runModelLinks(runId: string): Promise<RunModelLink[]>;

  logModelArtifact(id: string, path: string, body: ByteSource): Promise<ArtifactEntry>;
  listModelArtifacts(id: string, path?: string): Promise<ArtifactEntry[]>;
  openModelArtifact(id: string, path: string): Promise<AsyncIterable<Uint8Array>>;
  /** Idempotent, as TrackingApi.deleteArtifact. */
  deleteModelArtifact(id: string, path: string): Promise<void>;
}
