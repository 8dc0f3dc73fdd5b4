/**
 * Logged models: a model logged from a run (MLflow 3's LoggedModel), owned by
 * an experiment, optionally produced by a source run, with its own params,
 * tags, metrics and artifacts. Pure types and rules; no I/O.
 */
import { InvalidArgument } from '../../core/errors.js';
import type { Lifecycle, Tags } from '../domain.js';
import type { EntityVocabulary } from '../search/index.js';

/** PENDING while its artifacts upload; READY or FAILED once finalized. */
export const LOGGED_MODEL_STATUSES = ['PENDING', 'READY', 'FAILED'] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];
export const isLoggedModelStatus = (v: unknown): v is LoggedModelStatus =>
  typeof v === 'string' && (LOGGED_MODEL_STATUSES as readonly string[]).includes(v);

/** One metric point recorded against a model, from the run and dataset it was measured on. */
export interface LoggedModelMetric {
  readonly key: string;
  readonly value: number;
  readonly step: number;
  readonly timestamp: number;
  readonly runId: string | null;
  readonly datasetName: string | null;
  readonly datasetDigest: string | null;
}

export interface LoggedModel {
  readonly id: string;
  readonly experimentId: string;
  readonly name: string;
  readonly sourceRunId: string | null;
  readonly modelType: string | null;
  readonly status: LoggedModelStatus;
  readonly statusMessage: string | null;
  readonly lifecycle: Lifecycle;
  /** Where its artifacts live: `<experiment artifact location>/models/<id>/artifacts`. */
  readonly artifactLocation: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly params: Tags;
  readonly tags: Tags;
  readonly metrics: readonly LoggedModelMetric[];
}

/** How a run relates to a model: it used the model (input) or produced it (output). */
export const RUN_MODEL_DIRECTIONS = ['input', 'output'] as const;
export type RunModelDirection = (typeof RUN_MODEL_DIRECTIONS)[number];

export interface RunModelLink {
  readonly runId: string;
  readonly modelId: string;
  readonly direction: RunModelDirection;
  readonly step: number;
}

/** What a logged-model search may name: MLflow's attributes, and tags, params and metrics by key. */
export const LOGGED_MODEL_VOCABULARY: EntityVocabulary = {
  noun: 'logged models',
  attributes: {
    name: { numeric: false },
    model_id: { numeric: false },
    model_type: { numeric: false },
    status: { numeric: false },
    source_run_id: { numeric: false },
    creation_timestamp: { numeric: true },
    last_updated_timestamp: { numeric: true },
  },
  aliases: { creation_time: 'creation_timestamp', last_update_time: 'last_updated_timestamp', id: 'model_id', run_id: 'source_run_id' },
  keyed: ['tag', 'param', 'metric'],
};

/** Model names follow MLflow's rule: no '/', ':', '.' or '%' and at most 500 characters. */
export function checkModelName(name: string): string {
  if (!name.trim() || name.length > 500 || /[/:.%"']/.test(name)) {
    throw new InvalidArgument(`logged model name '${name}' is invalid: use 1 to 500 characters, none of / : . % " '`);
  }
  return name;
}
