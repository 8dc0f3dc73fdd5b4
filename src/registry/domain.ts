/**
 * Registry domain: registered models, their versions, stages, aliases, stage
 * history, approvals and model cards. Pure types and rules; no I/O.
 *
 * Cairn's stages are a superset of MLflow's legacy ones; `fromMlflowStage` and
 * `toMlflowStage` translate (None ↔ development, canary shows as Staging).
 */
import { InvalidArgument } from '../core/errors.js';

/** The default lifecycle, in order. A model's policy may use a subset. */
export const STAGES = ['development', 'staging', 'canary', 'production', 'archived'] as const;
export type Stage = (typeof STAGES)[number];
export const isStage = (v: unknown): v is Stage => typeof v === 'string' && (STAGES as readonly string[]).includes(v);

export const MLFLOW_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type MlflowStage = (typeof MLFLOW_STAGES)[number];

const FROM_MLFLOW: Readonly<Record<string, Stage>> = {
  none: 'development', staging: 'staging', production: 'production', archived: 'archived',
};
const TO_MLFLOW: Readonly<Record<Stage, MlflowStage>> = {
  development: 'None', staging: 'Staging', canary: 'Staging', production: 'Production', archived: 'Archived',
};

/** MLflow's stage names (case-insensitive, as MLflow accepts them) to Cairn's. */
export function fromMlflowStage(s: string): Stage {
  const stage = FROM_MLFLOW[s.toLowerCase()];
  if (!stage) throw new InvalidArgument(`stage '${s}' is not one of ${MLFLOW_STAGES.join(', ')}`);
  return stage;
}
export const toMlflowStage = (s: Stage): MlflowStage => TO_MLFLOW[s];

/** Parses a stage name given by a user: Cairn's names, or MLflow's. */
export function parseStage(s: string): Stage {
  const lower = s.trim().toLowerCase();
  if (isStage(lower)) return lower;
  if (lower in FROM_MLFLOW) return FROM_MLFLOW[lower] as Stage;
  throw new InvalidArgument(`unknown stage '${s}'; use one of ${STAGES.join(', ')}`);
}

export const ARTIFACT_FORMATS = ['onnx', 'mlflow', 'other'] as const;
export type ArtifactFormat = (typeof ARTIFACT_FORMATS)[number];
export const isArtifactFormat = (v: unknown): v is ArtifactFormat =>
  typeof v === 'string' && (ARTIFACT_FORMATS as readonly string[]).includes(v);

export type Tags = Readonly<Record<string, string>>;

/** One named tensor or column of a signature; `null` in a shape is a free dimension. */
export interface TensorSpec {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | null)[];
}

export interface Signature {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

export interface ModelArtifact {
  readonly format: ArtifactFormat;
  /** Required for `other` (e.g. `sklearn`, `torchscript`); optional otherwise. */
  readonly flavor: string | null;
}

export interface RegisteredModel {
  readonly name: string;
  readonly description: string | null;
  readonly tags: Tags;
  /** Alias → version number, e.g. `{ champion: 3 }`. */
  readonly aliases: Readonly<Record<string, number>>;
  /** The newest policy version, or null when the model uses the default policy. */
  readonly policyVersion: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ModelVersion {
  readonly name: string;
  readonly version: number;
  readonly stage: Stage;
  /** Where the model's files are, e.g. `runs:/<run>/model` or `s3://…`. */
  readonly source: string;
  readonly runId: string | null;
  readonly description: string | null;
  readonly tags: Tags;
  readonly aliases: readonly string[];
  readonly artifact: ModelArtifact;
  readonly signature: Signature | null;
  /** The source run's latest metrics, copied when the version was created. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Actor id of whoever registered it; they may not approve it. */
  readonly author: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const CHANGE_KINDS = ['transition', 'demotion', 'rollback', 'archive-existing'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One entry of a version's stage history. */
export interface StageChange {
  readonly version: number;
  readonly from: Stage;
  readonly to: Stage;
  readonly kind: ChangeKind;
  /** The acting user's name, for people reading the history. */
  readonly actor: string;
  readonly reason: string | null;
  /** True when an admin moved the version past failing gates. */
  readonly override: boolean;
  readonly at: number;
}

export const DECISIONS = ['approved', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface Approval {
  readonly version: number;
  readonly to: Stage;
  /** The deciding actor's id (one decision per actor, compared with the version's author). */
  readonly actor: string;
  readonly decision: Decision;
  readonly comment: string | null;
  readonly at: number;
}

export interface ModelCard {
  readonly version: number;
  readonly markdown: string;
  readonly intendedUse: string | null;
  readonly limitations: string | null;
  readonly updatedBy: string;
  readonly updatedAt: number;
}

export interface PolicyRecord {
  readonly version: number;
  readonly text: string;
  readonly createdBy: string;
  readonly createdAt: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string | null;
}

export const LIMITS = {
  nameLength: 256,
  descriptionLength: 50_000,
  keyLength: 250,
  tagValueLength: 5_000,
  aliasLength: 256,
  sourceLength: 2_000,
  signatureSpecs: 1_000,
  cardLength: 200_000,
  policyLength: 100_000,
} as const;

/** A model name: non-empty, no '/', no control characters; trimmed. */
export function validateModelName(name: unknown): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (!n) throw new InvalidArgument('model name must be a non-empty string');
  if (n.length > LIMITS.nameLength) throw new InvalidArgument(`model name is ${n.length} characters; the limit is ${LIMITS.nameLength}`);
  // eslint-disable-next-line no-control-regex
  if (/[/\x00-\x1f]/.test(n)) throw new InvalidArgument(`model name '${n}' may not contain '/' or control characters`);
  return n;
}

/** Aliases are identifiers (`champion`, `challenger-2`), and never look like a version number. */
export function validateAlias(alias: unknown): string {
  if (typeof alias !== 'string' || !/^[A-Za-z_][\w-]*$/.test(alias) || alias.length > LIMITS.aliasLength) {
    throw new InvalidArgument(`alias '${String(alias)}' is invalid: start with a letter or '_', then letters, digits, '_' or '-'`);
  }
  if (/^v\d+$/i.test(alias) || alias.toLowerCase() === 'latest') {
    throw new InvalidArgument(`alias '${alias}' is reserved; choose another name`);
  }
  return alias;
}

export function validateTag(key: unknown, value: unknown): [string, string] {
  if (typeof key !== 'string' || !key || key.length > LIMITS.keyLength) {
    throw new InvalidArgument(`tag key must be a non-empty string of at most ${LIMITS.keyLength} characters`);
  }
  if (typeof value !== 'string' || value.length > LIMITS.tagValueLength) {
    throw new InvalidArgument(`tag '${key}' value must be a string of at most ${LIMITS.tagValueLength} characters`);
  }
  return [key, value];
}

/** A condition on a model's tag in a search: it has `key` = `value`, or (negated) it has not. */
export interface TagFilter {
  readonly key: string;
  readonly value: string;
  readonly negated?: boolean;
}

/**
 * Tag conditions as the HTTP API carries them: a JSON list of `{key, value, negated?}`.
 *
 * @example
 * parseTagFilters('[{"key":"team","value":"ml"},{"key":"tier","value":"gold","negated":true}]')
 */
export function parseTagFilters(json: string): TagFilter[] {
  let v: unknown;
  try { v = JSON.parse(json); } catch { v = null; }
  const ok = (x: unknown): x is TagFilter => typeof x === 'object' && x !== null
    && typeof (x as TagFilter).key === 'string' && typeof (x as TagFilter).value === 'string'
    && ['undefined', 'boolean'].includes(typeof (x as TagFilter).negated);
  if (!Array.isArray(v) || !v.every(ok)) {
    throw new InvalidArgument('tags must be a JSON list of {"key": string, "value": string, "negated"?: boolean}');
  }
  return v.map((x) => ({ key: x.key, value: x.value, negated: x.negated === true }));
}

/** A version number as typed by a user: a positive integer. */
export function parseVersion(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgument(`version '${String(v)}' must be a positive integer`);
  return n;
}

export function validateArtifact(format: unknown, flavor: unknown): ModelArtifact {
  const f = format ?? 'mlflow';
  if (!isArtifactFormat(f)) throw new InvalidArgument(`artifact format '${String(f)}' is not one of ${ARTIFACT_FORMATS.join(', ')}`);
  const fl = typeof flavor === 'string' && flavor.trim() ? flavor.trim() : null;
  if (f === 'other' && !fl) throw new InvalidArgument("artifact format 'other' needs a flavor tag, e.g. --flavor sklearn");
  return { format: f, flavor: fl };
}

function validateSpecs(which: string, specs: unknown): TensorSpec[] {
  if (!Array.isArray(specs) || specs.length > LIMITS.signatureSpecs) {
    throw new InvalidArgument(`signature ${which} must be a list of at most ${LIMITS.signatureSpecs} {name, type, shape}`);
  }
  return specs.map((s: unknown, i) => {
    const o = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    const where = `signature ${which}[${i}]`;
    if (typeof o.name !== 'string' || !o.name) throw new InvalidArgument(`${where} needs a non-empty name`);
    if (typeof o.type !== 'string' || !o.type) throw new InvalidArgument(`${where} '${o.name}' needs a type, e.g. float32`);
    const shape = o.shape ?? [];
    if (!Array.isArray(shape) || !shape.every((d) => d === null || d === -1 || (Number.isInteger(d) && (d as number) >= 0))) {
      throw new InvalidArgument(`${where} '${o.name}' shape must be a list of sizes, with null or -1 for a free dimension`);
    }
    return { name: o.name, type: o.type, shape: shape.map((d: number | null) => (d === -1 ? null : d)) };
  });
}

/** Checks a signature's shape; null stays null (no signature). */
export function validateSignature(sig: unknown): Signature | null {
  if (sig === null || sig === undefined) return null;
  if (typeof sig !== 'object') throw new InvalidArgument('signature must be an object {inputs, outputs}');
  const s = sig as Record<string, unknown>;
  return { inputs: validateSpecs('inputs', s.inputs), outputs: validateSpecs('outputs', s.outputs) };
}

/** The stage a version lands in when the one it replaces leaves production. */
export function replacedStage(stages: readonly Stage[], onPromote: 'archive' | 'demote'): Stage {
  if (onPromote === 'archive') return 'archived';
  const i = stages.indexOf('production');
  const before = stages.slice(0, i).reverse().find((s) => s !== 'archived');
  return before ?? 'archived';
}

/** The model's registered-model ordering keys, with MLflow's names accepted as synonyms. */
export const MODEL_ORDER_KEYS = { name: 'name', created: 'created_at', updated: 'updated_at' } as const;
export type ModelOrderKey = keyof typeof MODEL_ORDER_KEYS;
const ORDER_SYNONYMS: Readonly<Record<string, ModelOrderKey>> = {
  name: 'name', created: 'created', creation_timestamp: 'created', timestamp: 'created',
  updated: 'updated', last_updated_timestamp: 'updated',
};

export interface ModelOrder { readonly key: ModelOrderKey; readonly desc: boolean }

/** Parses `name ASC`, `last_updated_timestamp DESC`, … */
export function parseModelOrder(items: readonly string[] | undefined): ModelOrder[] {
  return (items ?? []).map((item) => {
    const m = /^\s*([\w.]+)\s*(ASC|DESC)?\s*$/i.exec(item);
    const key = m ? ORDER_SYNONYMS[(m[1] ?? '').toLowerCase()] : undefined;
    if (!m || !key) {
      throw new InvalidArgument(`order_by '${item}' is invalid; use name, created or updated, then ASC or DESC`);
    }
    return { key, desc: (m[2] ?? 'ASC').toUpperCase() === 'DESC' };
  });
}
