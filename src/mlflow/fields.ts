/**
 * Pure readers for MLflow's proto-JSON requests: GET parameters arrive as
 * query strings (repeated keys for lists), other methods as JSON bodies.
 * int64 fields may come as numbers or decimal strings (protobuf's JSON form).
 * Every reader throws InvalidArgument naming the field on bad input.
 */
import { InvalidArgument } from '../core/errors.js';
import { decodeNumber } from '../api/wire.js';

export type Fields = Readonly<Record<string, unknown>>;

/** The request's fields: the query for GET, the JSON body otherwise. */
export function fieldsOf(method: string, query: unknown, body: unknown): Fields {
  const src = method === 'GET' || (method === 'DELETE' && body == null) ? query : body;
  if (src == null) return {};
  if (typeof src !== 'object' || Array.isArray(src)) throw new InvalidArgument('request body must be a JSON object');
  return src as Fields;
}

export function optString(f: Fields, name: string): string | undefined {
  const v = f[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new InvalidArgument(`'${name}' must be a string; got ${JSON.stringify(v)}`);
  return v;
}

export function reqString(f: Fields, name: string): string {
  const v = optString(f, name);
  if (v === undefined || v === '') throw new InvalidArgument(`missing value for required parameter '${name}'`);
  return v;
}

/** `run_id`, or the older `run_uuid`. */
export function runIdOf(f: Fields): string {
  const v = optString(f, 'run_id') || optString(f, 'run_uuid');
  if (!v) throw new InvalidArgument("missing value for required parameter 'run_id'");
  return v;
}

export function optInt(f: Fields, name: string): number | undefined {
  const v = f[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new InvalidArgument(`'${name}' must be an integer; got ${JSON.stringify(v)}`);
  }
  return n;
}

/** A metric value: a number, or 'NaN' / 'Infinity' / '-Infinity' as protobuf writes them. */
export function reqNumber(f: Fields, name: string): number {
  const v = f[name];
  if (v === undefined || v === null) throw new InvalidArgument(`missing value for required parameter '${name}'`);
  if (typeof v === 'string' && /^-?\d+(\.\d*)?(e[+-]?\d+)?$/i.test(v)) return Number(v);
  return decodeNumber(v, `'${name}'`);
}

export function stringList(f: Fields, name: string): string[] {
  const v = f[name];
  if (v === undefined || v === null) return [];
  const xs = Array.isArray(v) ? v : [v];
  if (!xs.every((x) => typeof x === 'string')) throw new InvalidArgument(`'${name}' must be a list of strings`);
  return xs as string[];
}

export function objectList(f: Fields, name: string): Fields[] {
  const v = f[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) {
    throw new InvalidArgument(`'${name}' must be a list of objects`);
  }
  return v as Fields[];
}

/** `[{key, value}]` into a record; a later duplicate key wins. */
export function keyValues(f: Fields, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of objectList(f, name)) out[reqString(kv, 'key')] = optString(kv, 'value') ?? '';
  return out;
}

const VIEW_TYPES = { ACTIVE_ONLY: 'active', DELETED_ONLY: 'deleted', ALL: 'all', 1: 'active', 2: 'deleted', 3: 'all' } as const;

/** MLflow's ViewType enum (by name or number) as a Cairn lifecycle filter. */
export function viewType(f: Fields, name: string): 'active' | 'deleted' | 'all' {
  const v = f[name];
  if (v === undefined || v === null || v === '') return 'active';
  const hit = (VIEW_TYPES as Record<string, 'active' | 'deleted' | 'all'>)[String(v)];
  if (!hit) throw new InvalidArgument(`'${name}' must be ACTIVE_ONLY, DELETED_ONLY or ALL; got ${JSON.stringify(v)}`);
  return hit;
}

/** A page token that is a plain offset into an ordered list, e.g. a metric's history. */
export function offsetOf(f: Fields, name: string): number {
  const t = optString(f, name);
  if (!t) return 0;
  if (!/^\d{1,15}$/.test(t)) throw new InvalidArgument(`'${name}' is not a token this server issued; start again without it`);
  return Number(t);
}
