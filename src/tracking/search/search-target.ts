import type { Scanner } from './scanner.js';

/** Run attributes a search can filter and order on. */
export const RUN_ATTRIBUTES = [
  'run_id',
  'run_name',
  'status',
  'start_time',
  'end_time',
  'user_id',
  'artifact_uri',
  'lifecycle_stage',
  'experiment_id',
  'parent_run_id',
] as const;
export type RunAttribute = (typeof RUN_ATTRIBUTES)[number];
export const isRunAttribute = (v: unknown): v is RunAttribute =>
  typeof v === 'string' && (RUN_ATTRIBUTES as readonly string[]).includes(v);

/** Attributes that hold epoch milliseconds and compare as numbers. */
export const NUMERIC_ATTRIBUTES: readonly RunAttribute[] = ['start_time', 'end_time'];

/** Alternative spellings accepted after `attributes.`, as in MLflow. */
const ATTRIBUTE_ALIASES: Readonly<Record<string, RunAttribute>> = { name: 'run_name', created: 'start_time' };

/** Fields of a run's input datasets a filter can test. */
export const DATASET_FIELDS = ['name', 'digest', 'context'] as const;
export type DatasetField = (typeof DATASET_FIELDS)[number];
export const isDatasetField = (v: unknown): v is DatasetField =>
  typeof v === 'string' && (DATASET_FIELDS as readonly string[]).includes(v);

/** What a clause compares: a metric, param or tag by key, a run attribute, or a dataset field. */
export type SearchTarget =
  | { readonly entity: 'metric'; readonly key: string }
  | { readonly entity: 'param'; readonly key: string }
  | { readonly entity: 'tag'; readonly key: string }
  | { readonly entity: 'attribute'; readonly key: RunAttribute }
  | { readonly entity: 'dataset'; readonly key: DatasetField };

/** Targets an order_by clause may name: any but datasets. */
export type OrderTarget = Exclude<SearchTarget, { entity: 'dataset' }>;

const PREFIXES: Readonly<Record<string, SearchTarget['entity']>> = {
  metrics: 'metric',
  metric: 'metric',
  params: 'param',
  param: 'param',
  tags: 'tag',
  tag: 'tag',
  attributes: 'attribute',
  attribute: 'attribute',
  datasets: 'dataset',
  dataset: 'dataset',
};

/** True when comparisons on `t` take numbers rather than strings. */
export const isNumericTarget = (t: SearchTarget): boolean =>
  t.entity === 'metric' || (t.entity === 'attribute' && NUMERIC_ATTRIBUTES.includes(t.key));

/** How errors name a target's family, e.g. `metrics` or `attributes.status`. */
export const targetFamily = (t: SearchTarget): string =>
  t.entity === 'attribute' ? `attributes.${t.key}` : t.entity === 'dataset' ? `datasets.${t.key}` : `${t.entity}s`;

export interface ParsedTarget<T extends SearchTarget> {
  readonly target: T;
  /** The identifier as written, for error messages. */
  readonly text: string;
}

const identifierExpected = (datasets: boolean): string =>
  `an identifier such as metrics.acc, params.lr, tags.team${datasets ? ', attributes.status or datasets.name' : ' or attributes.status'}`;
const BARE_KEY = /[A-Za-z0-9_./]+/y;

/**
 * Reads `<prefix>.<key>` at the cursor, where the key is bare
 * (`[A-Za-z0-9_./]+`) or quoted with backquotes or double quotes. With
 * `bareAttributes`, a lone attribute name (`start_time`) is accepted too,
 * as MLflow does in order_by.
 */
export function parseTarget(s: Scanner, opts: { bareAttributes: boolean; datasets: boolean }): ParsedTarget<SearchTarget> {
  s.skipSpace();
  const start = s.pos;
  const prefix = s.word();
  if (prefix === null) s.expected(identifierExpected(opts.datasets));
  if (s.peek() !== '.') {
    const bare = prefix.toLowerCase();
    const attr = isRunAttribute(bare) ? bare : ATTRIBUTE_ALIASES[bare];
    if (opts.bareAttributes && attr) return { target: { entity: 'attribute', key: attr }, text: prefix };
    s.expected(identifierExpected(opts.datasets), undefined, 'prefix the key with metrics., params., tags. or attributes.', start);
  }
  const entity = PREFIXES[prefix.toLowerCase()];
  if (!entity || (entity === 'dataset' && !opts.datasets)) {
    const allowed = opts.datasets ? 'metrics., params., tags., attributes. or datasets.' : 'metrics., params., tags. or attributes.';
    s.failAt(start, `unknown prefix '${prefix}.': use ${allowed}`, allowed);
  }
  s.pos++; // the dot
  const keyStart = s.pos;
  const key = s.key(BARE_KEY, `${prefix}.`, 'quote keys with spaces or dashes: metrics.`val loss`');
  if (key === '') s.failAt(keyStart, `the key after '${prefix}.' is empty`, 'a key');
  const text = s.text.slice(start, s.pos);
  if (entity === 'attribute') {
    const attr = isRunAttribute(key) ? key : ATTRIBUTE_ALIASES[key];
    if (!attr) s.failAt(keyStart, `unknown attribute '${key}': use one of ${RUN_ATTRIBUTES.join(', ')}`, 'an attribute name');
    return { target: { entity, key: attr }, text };
  }
  if (entity === 'dataset') {
    if (!isDatasetField(key)) s.failAt(keyStart, `unknown dataset field '${key}': use one of ${DATASET_FIELDS.join(', ')}`, 'a dataset field');
    return { target: { entity, key }, text };
  }
  return { target: { entity, key }, text };
}
