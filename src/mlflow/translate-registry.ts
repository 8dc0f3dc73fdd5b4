/**
 * Pure translators between Cairn's model registry and MLflow's
 * model-registry proto-JSON: registered models, model versions, legacy
 * stages, the search filters MLflow clients send, and where a version's
 * files are for `get-download-uri`.
 */
import { InvalidArgument } from '../core/errors.js';
import {
  fromMlflowStage, MLFLOW_STAGES, toMlflowStage,
  type MlflowStage, type ModelVersion, type RegisteredModel, type TagFilter,
} from '../registry/domain.js';
import type { SearchModelsInput } from '../registry/registry-api.js';
import { parseEntityFilter, type EntityClause, type EntityVocabulary } from '../tracking/search/index.js';

const kvs = (r: Readonly<Record<string, string>>) => Object.entries(r).map(([key, value]) => ({ key, value }));

/** `models:/<model_id>`: one segment without `@alias` names a logged model, as MLflow 3 parses it. */
const LOGGED_MODEL_URI = /^models:\/([^/@]+)\/?$/;
const RUN_URI = /^runs:\/([^/]+)\/?(.*)$/;

/** The logged model a version's source names (`models:/<model_id>`), or null. */
export function modelIdOfSource(source: string): string | null {
  return LOGGED_MODEL_URI.exec(source)?.[1] ?? null;
}

/** Where a version's files are: a run's artifacts, a logged model's, or the source URI itself. */
export type SourceTarget =
  | { readonly kind: 'run'; readonly runId: string; readonly path: string }
  | { readonly kind: 'logged-model'; readonly modelId: string }
  | { readonly kind: 'uri'; readonly uri: string };

export function sourceTarget(source: string): SourceTarget {
  const run = RUN_URI.exec(source);
  if (run) return { kind: 'run', runId: run[1] as string, path: run[2] ?? '' };
  const modelId = modelIdOfSource(source);
  return modelId !== null ? { kind: 'logged-model', modelId } : { kind: 'uri', uri: source };
}

/** `root` joined with a relative path, without doubled or trailing slashes. */
export const underRoot = (root: string, path: string): string =>
  path ? `${root.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}` : root;

export function toMlflowModelVersion(v: ModelVersion) {
  const modelId = modelIdOfSource(v.source);
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.createdAt,
    last_updated_timestamp: v.updatedAt,
    user_id: v.author,
    current_stage: toMlflowStage(v.stage),
    ...(v.description !== null ? { description: v.description } : {}),
    source: v.source,
    ...(v.runId !== null ? { run_id: v.runId } : {}),
    status: 'READY',
    tags: kvs(v.tags),
    aliases: [...v.aliases],
    ...(modelId !== null ? { model_id: modelId } : {}),
  };
}

export function toMlflowRegisteredModel(m: RegisteredModel, latest: readonly ModelVersion[]) {
  return {
    name: m.name,
    creation_timestamp: m.createdAt,
    last_updated_timestamp: m.updatedAt,
    ...(m.description !== null ? { description: m.description } : {}),
    latest_versions: latest.map(toMlflowModelVersion),
    tags: kvs(m.tags),
    aliases: Object.entries(m.aliases).map(([alias, version]) => ({ alias, version: String(version) })),
  };
}

/** Whether a model meets every tag condition (for the single model an exact-name search finds). */
export const hasTags = (m: RegisteredModel, tags: readonly TagFilter[]): boolean =>
  tags.every((t) => (m.tags[t.key] === t.value) !== (t.negated === true));

/** MLflow stage names (case-insensitive) as given to get-latest-versions; all four when none are given. */
export function mlflowStagesOf(stages: readonly string[]): MlflowStage[] {
  if (stages.length === 0) return [...MLFLOW_STAGES];
  return stages.map((s) => toMlflowStage(fromMlflowStage(s)));
}

/**
 * The newest version in each requested MLflow stage, from the newest version
 * of each Cairn stage (canary and staging both show as `Staging`).
 */
export function latestPerMlflowStage(newestPerStage: readonly ModelVersion[], wanted: readonly MlflowStage[]): ModelVersion[] {
  const out: ModelVersion[] = [];
  for (const stage of wanted) {
    const best = newestPerStage.filter((v) => toMlflowStage(v.stage) === stage).sort((a, b) => b.version - a.version)[0];
    if (best && !out.includes(best)) out.push(best);
  }
  return out;
}

/** `archive_existing_versions` as a JSON boolean or the strings `true`/`false`. */
export function flag(v: unknown, name: string): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw new InvalidArgument(`'${name}' must be true or false; got ${JSON.stringify(v)}`);
}

/** A version number field (`"3"` or `3`). */
export function versionOf(v: unknown): number {
  if (v === undefined || v === null || v === '') throw new InvalidArgument("missing value for required parameter 'version'");
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgument(`'version' must be a positive integer; got ${JSON.stringify(v)}`);
  return n;
}

const MODEL_VOCABULARY: EntityVocabulary = { noun: 'registered models', attributes: { name: { numeric: false } }, keyed: ['tag'] };
const VERSION_VOCABULARY: EntityVocabulary = { noun: 'model versions', attributes: { name: { numeric: false }, run_id: { numeric: false } }, keyed: [] };

const unsupported = (noun: string, what: string): never => {
  throw new InvalidArgument(`searching ${noun} by ${what} is not supported; use ${noun === 'model versions'
    ? "name = '<model>' and run_id = '<run>'"
    : "name = '…', name LIKE/ILIKE '…%' and tags.<key> = / != '…'"}, joined with AND`);
};

function single(clauses: readonly EntityClause[], noun: string, key: string): EntityClause | undefined {
  const hits = clauses.filter((c) => c.target.entity === 'attribute' && c.target.key === key);
  if (hits.length > 1) unsupported(noun, `more than one ${key} condition`);
  return hits[0];
}

/** What a registered-models filter asks for: an exact name (a get), or a search. */
export type ModelSearch =
  | { readonly kind: 'exact'; readonly name: string; readonly tags: readonly TagFilter[] }
  | { readonly kind: 'search'; readonly input: Pick<SearchModelsInput, 'nameLike' | 'caseSensitive' | 'tags'> };

/**
 * Parses MLflow's registered-model filter: `name = '…'`, `name LIKE|ILIKE '…'`
 * and `tags.<key> = | != '…'` joined with AND (MLflow 3 always adds
 * ``tag.`mlflow.prompt.is_prompt` != 'true'``).
 */
export function parseModelFilter(filter: string | undefined): ModelSearch {
  const noun = 'registered models';
  const clauses = parseEntityFilter(filter, MODEL_VOCABULARY);
  const tags = clauses.filter((c) => c.target.entity === 'tag').map((c): TagFilter => {
    if (c.type !== 'string' || (c.op !== '=' && c.op !== '!=')) return unsupported(noun, `tags with ${c.type === 'in' ? 'IN' : c.op}`);
    return { key: c.target.key, value: c.value, negated: c.op === '!=' };
  });
  const name = single(clauses, noun, 'name');
  if (!name) return { kind: 'search', input: { tags } };
  if (name.type !== 'string' || name.op === '!=') return unsupported(noun, `name with ${name.type === 'in' ? 'IN' : name.op}`);
  if (name.op === '=') return { kind: 'exact', name: name.value, tags };
  return { kind: 'search', input: { nameLike: name.value, caseSensitive: name.op === 'LIKE', tags } };
}

/** Parses MLflow's model-version filter: `name = '…'` and `run_id = '…'` joined with AND. */
export function parseVersionFilter(filter: string | undefined): { name?: string; runId?: string } {
  const noun = 'model versions';
  const clauses = parseEntityFilter(filter, VERSION_VOCABULARY);
  const out: { name?: string; runId?: string } = {};
  for (const key of ['name', 'run_id'] as const) {
    const c = single(clauses, noun, key);
    if (!c) continue;
    if (c.type !== 'string' || c.op !== '=') return unsupported(noun, `${key} with ${c.type === 'in' ? 'IN' : c.op}`);
    if (key === 'name') out.name = c.value;
    else out.runId = c.value;
  }
  return out;
}
