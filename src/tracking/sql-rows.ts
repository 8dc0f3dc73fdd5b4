/** Row shapes of the tracking tables and their mapping to domain objects. */
import type { DatasetInput, Experiment, LatestMetric, Lifecycle, Run, RunStatus } from './domain.js';
import type { RunHeader } from './tracking-store.js';

export interface ExperimentRow {
  id: string;
  name: string;
  description: string | null;
  lifecycle: string;
  artifact_location: string;
  required_tags: string;
  run_name_pattern: string | null;
  created_at: number;
  updated_at: number;
}

export interface RunRow {
  id: string;
  experiment_id: string;
  name: string;
  status: string;
  lifecycle: string;
  user_id: string | null;
  start_time: number;
  end_time: number | null;
  parent_run_id: string | null;
  notes: string | null;
  artifact_uri: string;
}

export interface KeyValueRow { owner: string; key: string; value: string }
export interface MetricRow { run_id: string; key: string; value: number | null; is_nan: number; step: number; timestamp: number }
export interface InputRow {
  run_id: string; name: string; digest: string; source_type: string; source: string;
  schema: string | null; profile: string | null; context: string; tags: string;
}

export function toExperiment(r: ExperimentRow, tags: Record<string, string>): Experiment {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    lifecycle: r.lifecycle as Lifecycle,
    artifactLocation: r.artifact_location,
    tags,
    requiredTags: JSON.parse(r.required_tags) as string[],
    runNamePattern: r.run_name_pattern,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export const toMetric = (m: MetricRow): LatestMetric => ({
  key: m.key,
  value: m.is_nan ? NaN : Number(m.value),
  step: Number(m.step),
  timestamp: Number(m.timestamp),
});

export const toInput = (i: InputRow): DatasetInput => ({
  name: i.name,
  digest: i.digest,
  sourceType: i.source_type,
  source: i.source,
  context: i.context,
  schema: i.schema,
  profile: i.profile,
  tags: JSON.parse(i.tags) as Record<string, string>,
});

export function toRunHeader(r: RunRow): RunHeader {
  return {
    id: r.id,
    experimentId: r.experiment_id,
    name: r.name,
    status: r.status as RunStatus,
    lifecycle: r.lifecycle as Lifecycle,
    userId: r.user_id,
    startTime: Number(r.start_time),
    endTime: r.end_time === null ? null : Number(r.end_time),
    parentRunId: r.parent_run_id,
    notes: r.notes,
    artifactUri: r.artifact_uri,
  };
}

export function toRun(
  r: RunRow,
  params: Record<string, string>,
  tags: Record<string, string>,
  metrics: LatestMetric[],
  inputs: DatasetInput[],
): Run {
  return { ...toRunHeader(r), params, tags, metrics, inputs };
}

/** Groups key/value rows by owner id. */
export function groupKeyValues(rows: readonly KeyValueRow[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const row of rows) {
    let m = out.get(row.owner);
    if (!m) out.set(row.owner, (m = {}));
    m[row.key] = row.value;
  }
  return out;
}
