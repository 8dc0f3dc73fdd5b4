/** HPO domain records: a study and its trials as callers see them. Pure. */
import { InvalidArgument } from '../core/errors.js';
import type { ParamValue } from './distributions.js';
import type { PluginSpec } from './registry.js';
import type { SearchSpace } from './search-space.js';
import type { Direction, FrozenTrial, TrialState } from './study-view.js';

export interface Study {
  readonly id: string;
  readonly name: string;
  /** The experiment holding one run per trial. */
  readonly experimentId: string;
  readonly directions: readonly Direction[];
  /** One name per objective: the metric each final value is logged as. */
  readonly metricNames: readonly string[];
  readonly sampler: PluginSpec;
  readonly pruner: PluginSpec;
  /** Declared space (YAML, HTTP ask); null for define-by-run studies. */
  readonly space: SearchSpace | null;
  /** A RUNNING trial whose heartbeat is older than this becomes FAIL; null: no heartbeats. */
  readonly heartbeatTimeoutMs: number | null;
  /** A trial failed by heartbeat is re-enqueued with its params up to this many times. */
  readonly maxRetries: number;
  readonly createdAt: number;
}

/** A trial with its link to the Cairn run and the worker that holds it. */
export interface Trial extends FrozenTrial {
  readonly runId: string | null;
  readonly worker: string | null;
  /** Number of the trial this one retries, if any. */
  readonly retryOf: number | null;
  readonly heartbeatAt: number | null;
}

export const STUDY_NAME_RE = /^[A-Za-z0-9][\w.-]{0,127}$/;

export function checkStudyName(name: string): void {
  if (!STUDY_NAME_RE.test(name)) {
    throw new InvalidArgument(`study name '${name}' must start with a letter or digit and use letters, digits, _ . - (at most 128)`);
  }
}

/** The objective values of a tell: one finite number per direction. */
export function checkValues(values: readonly number[], directions: readonly Direction[]): void {
  if (values.length !== directions.length) {
    throw new InvalidArgument(`the study has ${directions.length} objective(s) but ${values.length} value(s) were told; tell one value per direction`);
  }
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgument(`objective ${i} value is ${String(v)}; values must be finite numbers (tell state FAIL for a broken trial)`);
    }
  });
}

/** Tags that link a run to its trial, searchable like any run tag. */
export const TRIAL_TAGS = {
  study: 'cairn.study',
  number: 'cairn.trial.number',
  state: 'cairn.trial.state',
  /** Why a sweep trial failed (no objective reported), set by `cairn sweep` / `cairn worker`. */
  failReason: 'cairn.trial.fail_reason',
} as const;

/** Params as run params: strings, JSON for null and booleans kept readable. */
export const paramString = (v: ParamValue): string => (typeof v === 'string' ? v : JSON.stringify(v));

export type { TrialState };
