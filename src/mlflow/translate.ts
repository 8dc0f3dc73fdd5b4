/**
 * Pure translators from Cairn's tracking domain to MLflow's proto-JSON.
 * Run names and users surface as the `mlflow.runName` / `mlflow.user` tags
 * MLflow clients read; artifact locations are `mlflow-artifacts:` URIs that
 * the proxied artifact routes resolve to the run's Cairn artifacts.
 */
import type { DatasetInput, Experiment, LatestMetric, Run } from '../tracking/domain.js';

export const RUN_NAME_TAG = 'mlflow.runName';
export const USER_TAG = 'mlflow.user';
export const PARENT_RUN_TAG = 'mlflow.parentRunId';

/** A metric value as protobuf's JSON writes a double: non-finite values as strings. */
export const encodeValue = (v: number): number | string =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v;

const kvs = (r: Readonly<Record<string, string>>) => Object.entries(r).map(([key, value]) => ({ key, value }));

export const experimentArtifactLocation = (experimentId: string): string => `mlflow-artifacts:/${experimentId}`;
export const runArtifactUri = (experimentId: string, runId: string): string =>
  `${experimentArtifactLocation(experimentId)}/${runId}/artifacts`;

export function toMlflowExperiment(e: Experiment) {
  const tags = e.description ? { 'mlflow.note.content': e.description, ...e.tags } : e.tags;
  return {
    experiment_id: e.id,
    name: e.name,
    artifact_location: experimentArtifactLocation(e.id),
    lifecycle_stage: e.lifecycle,
    last_update_time: e.updatedAt,
    creation_time: e.createdAt,
    tags: kvs(tags),
  };
}

export function toMlflowMetric(m: LatestMetric) {
  return { key: m.key, value: encodeValue(m.value), timestamp: m.timestamp, step: m.step };
}

export function toMlflowRunInfo(r: Run) {
  return {
    run_id: r.id,
    run_uuid: r.id,
    run_name: r.name,
    experiment_id: r.experimentId,
    user_id: r.userId ?? '',
    status: r.status,
    start_time: r.startTime,
    ...(r.endTime !== null ? { end_time: r.endTime } : {}),
    artifact_uri: runArtifactUri(r.experimentId, r.id),
    lifecycle_stage: r.lifecycle,
  };
}

function toMlflowDatasetInput(d: DatasetInput) {
  return {
    tags: [{ key: 'mlflow.data.context', value: d.context }, ...kvs(d.tags)],
    dataset: {
      name: d.name, digest: d.digest, source_type: d.sourceType, source: d.source,
      ...(d.schema !== null ? { schema: d.schema } : {}),
      ...(d.profile !== null ? { profile: d.profile } : {}),
    },
  };
}

export function toMlflowRun(r: Run) {
  const tags: Record<string, string> = { ...r.tags, [RUN_NAME_TAG]: r.name };
  if (r.userId) tags[USER_TAG] ??= r.userId;
  if (r.parentRunId) tags[PARENT_RUN_TAG] ??= r.parentRunId;
  return {
    info: toMlflowRunInfo(r),
    data: { metrics: r.metrics.map(toMlflowMetric), params: kvs(r.params), tags: kvs(tags) },
    inputs: { dataset_inputs: r.inputs.map(toMlflowDatasetInput) },
  };
}

/** MLflow's `{files, next_page_token}` entry for an artifact at `path` (relative to the listed root). */
export const toMlflowFileInfo = (path: string, isDir: boolean, size: number | null) =>
  ({ path, is_dir: isDir, ...(size !== null && !isDir ? { file_size: size } : {}) });
