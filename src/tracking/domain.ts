/**
 * Tracking domain: experiments, runs, params, metrics, tags and inputs.
 * Pure types and rules; no I/O. A superset of MLflow's tracking model.
 */
import { InvalidArgument } from '../core/errors.js';

export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const isRunStatus = (v: unknown): v is RunStatus =>
  typeof v === 'string' && (RUN_STATUSES as readonly string[]).includes(v);
export const isTerminalStatus = (s: RunStatus): boolean => s === 'FINISHED' || s === 'FAILED' || s === 'KILLED';

export const LIFECYCLES = ['active', 'deleted'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];
export const LIFECYCLE_FILTERS = ['active', 'deleted', 'all'] as const;
export type LifecycleFilter = (typeof LIFECYCLE_FILTERS)[number];

export const INPUT_CONTEXTS = ['training', 'validation', 'evaluation', 'testing', 'other'] as const;

/** MLflow's limits; Cairn enforces at least these. */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  /** Points per request on the columnar metrics endpoint. */
  pointsPerSeriesRequest: 200_000,
  experimentNameLength: 500,
  runNameLength: 250,
  notesLength: 100_000,
} as const;

export type Tags = Readonly<Record<string, string>>;

export interface Experiment {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly lifecycle: Lifecycle;
  readonly artifactLocation: string;
  readonly tags: Tags;
  /** Tag keys every run of this experiment must carry. */
  readonly requiredTags: readonly string[];
  /** Run names must match this pattern, e.g. `task/model/variant`. */
  readonly runNamePattern: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface LatestMetric {
  readonly key: string;
  readonly value: number;
  readonly step: number;
  readonly timestamp: number;
}
export type MetricPoint = LatestMetric;

/** One key's points in columns; arrays have equal length. */
export interface MetricSeries {
  readonly key: string;
  readonly steps: readonly number[];
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
}

export interface DatasetInput {
  readonly name: string;
  readonly digest: string;
  readonly sourceType: string;
  readonly source: string;
  readonly context: string;
  readonly schema: string | null;
  readonly profile: string | null;
  readonly tags: Tags;
}

export interface Run {
  readonly id: string;
  readonly experimentId: string;
  readonly name: string;
  readonly status: RunStatus;
  readonly lifecycle: Lifecycle;
  readonly userId: string | null;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly parentRunId: string | null;
  readonly notes: string | null;
  readonly artifactUri: string;
  readonly params: Tags;
  readonly tags: Tags;
  readonly metrics: readonly LatestMetric[];
  readonly inputs: readonly DatasetInput[];
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string | null;
}

export interface ArtifactEntry {
  readonly path: string;
  readonly isDir: boolean;
  readonly size: number | null;
  readonly digest: string | null;
}

const KEY_RE = /^[\w\-. /:]+$/;

/** Validates a metric, param or tag key against MLflow's rules. */
export function validateKey(kind: 'metric' | 'param' | 'tag', key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidArgument(`${kind} key must be a non-empty string`);
  }
  if (key.length > LIMITS.keyLength) {
    throw new InvalidArgument(
      `${kind} key '${key.slice(0, 40)}…' is ${key.length} characters; the limit is ${LIMITS.keyLength}`,
    );
  }
  if (!KEY_RE.test(key) || key.split('/').includes('..') || key.startsWith('/')) {
    throw new InvalidArgument(
      `${kind} key '${key}' is invalid: use letters, digits, '_', '-', '.', ' ', ':' and '/' (no '..' segments, no leading '/')`,
    );
  }
  return key;
}

export function validateValue(kind: 'param' | 'tag', key: string, value: unknown): string {
  if (typeof value !== 'string') throw new InvalidArgument(`${kind} '${key}' value must be a string`);
  const limit = kind === 'param' ? LIMITS.paramValueLength : LIMITS.tagValueLength;
  if (value.length > limit) {
    throw new InvalidArgument(`${kind} '${key}' value is ${value.length} characters; the limit is ${limit}`);
  }
  return value;
}

/**
 * Checks a run name against an experiment's pattern. A pattern is either
 * slash-separated segment names (`task/model/variant`: exactly that many
 * non-empty segments of letters, digits, `_`, `-`, `.`), or a regular
 * expression written `re:^...$`.
 */
export function runNameMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('re:')) return new RegExp(pattern.slice(3)).test(name);
  const want = pattern.split('/').length;
  const parts = name.split('/');
  return parts.length === want && parts.every((p) => /^[\w\-.]+$/.test(p));
}

export function validateRunNamePattern(pattern: string): void {
  if (pattern.startsWith('re:')) {
    try {
      new RegExp(pattern.slice(3));
    } catch (e) {
      throw new InvalidArgument(`run name pattern '${pattern}' is not a valid regular expression: ${(e as Error).message}`);
    }
    return;
  }
  if (!/^[\w\-.]+(\/[\w\-.]+)*$/.test(pattern)) {
    throw new InvalidArgument(
      `run name pattern '${pattern}' is invalid: write segment names separated by '/', like 'task/model/variant', or a regex as 're:^...$'`,
    );
  }
}

/** Enforces an experiment's naming conventions on a new run; quotes the rule. */
export function checkNamingConventions(exp: Experiment, runName: string, tags: Tags): void {
  if (exp.runNamePattern && !runNameMatches(exp.runNamePattern, runName)) {
    throw new InvalidArgument(
      `run name '${runName}' does not follow experiment '${exp.name}' naming rule '${exp.runNamePattern}'; rename the run to match it`,
    );
  }
  const missing = exp.requiredTags.filter((t) => !(t in tags));
  if (missing.length > 0) {
    throw new InvalidArgument(
      `experiment '${exp.name}' requires tags [${exp.requiredTags.join(', ')}]; missing: ${missing.join(', ')}. Set them when creating the run`,
    );
  }
}

/** MLflow's ordering of "latest": higher step, then later timestamp, then larger value. */
export function isLater(a: LatestMetric, b: LatestMetric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value || (Number.isNaN(b.value) && !Number.isNaN(a.value));
}

const ADJECTIVES = ['amber', 'brisk', 'calm', 'deft', 'eager', 'fleet', 'gentle', 'hardy', 'keen', 'lucid', 'merry', 'noble', 'proud', 'quiet', 'rapid', 'sly', 'tidy', 'vivid', 'wise', 'zesty'];
const NOUNS = ['badger', 'crane', 'dingo', 'egret', 'falcon', 'gecko', 'heron', 'ibis', 'jackal', 'koala', 'lemur', 'marten', 'newt', 'otter', 'panda', 'quail', 'raven', 'stoat', 'tapir', 'wren'];

/** A readable default run name such as `brisk-heron-417`, from a random source in [0,1). */
export function generateRunName(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  return `${pick(ADJECTIVES)}-${pick(NOUNS)}-${Math.floor(random() * 1000)}`;
}
