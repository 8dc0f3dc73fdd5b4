/**
 * Pure translators between Cairn's logged models and MLflow 3's proto-JSON
 * (`LoggedModel`, its status enum, run inputs and outputs).
 */
import { InvalidArgument } from '../core/errors.js';
import type { LoggedModel, LoggedModelStatus, RunModelLink } from '../tracking/logged-models/index.js';
import { encodeValue, experimentArtifactLocation } from './translate.js';

const TO_PROTO: Readonly<Record<LoggedModelStatus, string>> = {
  PENDING: 'LOGGED_MODEL_PENDING',
  READY: 'LOGGED_MODEL_READY',
  FAILED: 'LOGGED_MODEL_UPLOAD_FAILED',
};
const FROM_PROTO: Readonly<Record<string, LoggedModelStatus>> = {
  LOGGED_MODEL_PENDING: 'PENDING', LOGGED_MODEL_READY: 'READY', LOGGED_MODEL_UPLOAD_FAILED: 'FAILED',
  PENDING: 'PENDING', READY: 'READY', FAILED: 'FAILED', 1: 'PENDING', 2: 'READY', 3: 'FAILED',
};

/** MLflow's LoggedModelStatus (by name or number) as Cairn's; UNSPECIFIED is refused. */
export function statusFromMlflow(v: unknown): LoggedModelStatus {
  const hit = FROM_PROTO[String(v)];
  if (!hit) throw new InvalidArgument(`'status' must be LOGGED_MODEL_PENDING, LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED; got ${JSON.stringify(v)}`);
  return hit;
}

/** The proxied artifact location MLflow clients upload a model's files to. */
export const modelArtifactUri = (experimentId: string, modelId: string): string =>
  `${experimentArtifactLocation(experimentId)}/models/${modelId}/artifacts`;

const kvs = (r: Readonly<Record<string, string>>) => Object.entries(r).map(([key, value]) => ({ key, value }));

export function toMlflowLoggedModel(m: LoggedModel) {
  return {
    info: {
      model_id: m.id,
      experiment_id: m.experimentId,
      name: m.name,
      creation_timestamp_ms: m.createdAt,
      last_updated_timestamp_ms: m.updatedAt,
      artifact_uri: modelArtifactUri(m.experimentId, m.id),
      status: TO_PROTO[m.status],
      ...(m.modelType !== null ? { model_type: m.modelType } : {}),
      ...(m.sourceRunId !== null ? { source_run_id: m.sourceRunId } : {}),
      ...(m.statusMessage !== null ? { status_message: m.statusMessage } : {}),
      tags: kvs(m.tags),
    },
    data: {
      params: kvs(m.params),
      metrics: m.metrics.map((x) => ({
        key: x.key, value: encodeValue(x.value), timestamp: x.timestamp, step: x.step, model_id: m.id,
        ...(x.runId !== null ? { run_id: x.runId } : {}),
        ...(x.datasetName !== null ? { dataset_name: x.datasetName } : {}),
        ...(x.datasetDigest !== null ? { dataset_digest: x.datasetDigest } : {}),
      })),
    },
  };
}

/** A run's `inputs.model_inputs` and `outputs.model_outputs`. */
export function toMlflowModelLinks(links: readonly RunModelLink[]) {
  return {
    model_inputs: links.filter((l) => l.direction === 'input').map((l) => ({ model_id: l.modelId })),
    model_outputs: links.filter((l) => l.direction === 'output').map((l) => ({ model_id: l.modelId, step: l.step })),
  };
}
