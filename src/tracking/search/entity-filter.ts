/**
 * The search language for entities other than runs (experiments, logged
 * models): a conjunction of comparisons on named attributes and on tags,
 * params or metrics by key, as MLflow accepts for these searches, and
 * order_by items over the attributes. Parsed once against a vocabulary,
 * compiled to SQL per dialect by `compileEntityWhere` / `compileEntityOrder`.
 */
import { InvalidArgument } from '../../core/errors.js';
import type { Dialect, SqlValue } from '../../storage/db.js';
import { NUMBER_OPS, STRING_OPS, type NumberOp, type StringOp } from './filter-ast.js';
import { Scanner } from './scanner.js';

export const KEYED_ENTITIES = ['tag', 'param', 'metric'] as const;
export type KeyedEntity = (typeof KEYED_ENTITIES)[number];

/** What an entity's search may name: attributes (numeric or text) and keyed families. */
export interface EntityVocabulary {
  /** The searched entity's plural, for messages: `experiments`. */
  readonly noun: string;
  /** Attribute name → whether it compares as a number (epoch milliseconds). */
  readonly attributes: Readonly<Record<string, { readonly numeric: boolean }>>;
  /** Other spellings of attributes, e.g. `creation_time` for `creation_timestamp`. */
  readonly aliases?: Readonly<Record<string, string>>;
  readonly keyed: readonly KeyedEntity[];
}

export type EntityTarget =
  | { readonly entity: 'attribute'; readonly key: string }
  | { readonly entity: KeyedEntity; readonly key: string };

export type EntityClause =
  | { readonly type: 'number'; readonly target: EntityTarget; readonly op: NumberOp; readonly value: number }
  | { readonly type: 'string'; readonly target: EntityTarget; readonly op: StringOp; readonly value: string }
  | { readonly type: 'in'; readonly target: EntityTarget; readonly negated: boolean; readonly values: readonly string[] };

export interface EntityOrder {
  readonly key: string;
  readonly ascending: boolean;
}

const PREFIXES: Readonly<Record<string, EntityTarget['entity']>> = {
  attributes: 'attribute', attribute: 'attribute', attr: 'attribute',
  tags: 'tag', tag: 'tag', params: 'param', param: 'param', metrics: 'metric', metric: 'metric',
};
const BARE_KEY = /[A-Za-z0-9_./:-]+/y;
const SYMBOLS = ['!=', '<>', '<=', '>=', '==', '=', '<', '>'] as const;

function attributeOf(v: EntityVocabulary, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n in v.attributes) return n;
  return v.aliases?.[n];
}

const attributeList = (v: EntityVocabulary) => Object.keys(v.attributes).join(', ');

function parseTarget(s: Scanner, v: EntityVocabulary): { target: EntityTarget; text: string } {
  s.skipSpace();
  const start = s.pos;
  const first = s.word();
  if (first === null) s.expected(`an attribute (${attributeList(v)}) or ${v.keyed.map((k) => `${k}s.<key>`).join(', ')}`);
  if (s.peek() !== '.') {
    const attr = attributeOf(v, first);
    if (!attr) s.failAt(start, `unknown attribute '${first}' for ${v.noun}: use one of ${attributeList(v)}`, 'an attribute');
    return { target: { entity: 'attribute', key: attr }, text: first };
  }
  const entity = PREFIXES[first.toLowerCase()];
  if (!entity || (entity !== 'attribute' && !v.keyed.includes(entity))) {
    const allowed = ['attributes.', ...v.keyed.map((k) => `${k}s.`)].join(', ');
    s.failAt(start, `unknown prefix '${first}.' for ${v.noun}: use ${allowed}`, allowed);
  }
  s.pos++;
  const key = s.key(BARE_KEY, `${first}.`, 'quote keys with spaces: tags.`my key`');
  const text = s.text.slice(start, s.pos);
  if (entity === 'attribute') {
    const attr = attributeOf(v, key);
    if (!attr) s.failAt(start, `unknown attribute '${key}' for ${v.noun}: use one of ${attributeList(v)}`, 'an attribute');
    return { target: { entity, key: attr }, text };
  }
  if (key === '') s.failAt(start, `the key after '${first}.' is empty`, 'a key');
  return { target: { entity, key }, text };
}

function operator(s: Scanner, after: string): NumberOp | StringOp | 'IN' | 'NOT IN' {
  s.skipSpace();
  for (const sym of SYMBOLS) if (s.eat(sym)) return sym === '<>' ? '!=' : sym === '==' ? '=' : sym;
  const start = s.pos;
  const w = s.word()?.toUpperCase();
  if (w === 'LIKE' || w === 'ILIKE' || w === 'IN') return w;
  if (w === 'NOT' && s.keyword('IN')) return 'NOT IN';
  return s.expected('a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)', after, undefined, start);
}

function clause(s: Scanner, v: EntityVocabulary): EntityClause {
  const { target, text } = parseTarget(s, v);
  const op = operator(s, text);
  const numeric = target.entity === 'metric' || (target.entity === 'attribute' && v.attributes[target.key]?.numeric === true);
  if (numeric) {
    if (!(NUMBER_OPS as readonly string[]).includes(op)) {
      s.failAt(s.pos, `${text} compares with numbers: use =, !=, <, <=, > or >=`, 'a numeric operator');
    }
    const value = s.number();
    if (value === undefined) s.expected('a number', `${text} ${op}`);
    return { type: 'number', target, op: op as NumberOp, value };
  }
  if (op === 'IN' || op === 'NOT IN') {
    if (!s.eat('(')) s.expected("'(' starting a list of quoted strings", `${text} ${op}`);
    const values: string[] = [];
    for (;;) {
      const x = s.string();
      if (x === undefined) s.expected('a quoted string', `${text} ${op} (`);
      values.push(x);
      if (s.eat(',')) continue;
      if (s.eat(')')) break;
      s.expected("',' or ')'", `${text} ${op} (`);
    }
    return { type: 'in', target, negated: op === 'NOT IN', values };
  }
  if (!(STRING_OPS as readonly string[]).includes(op)) {
    s.failAt(s.pos, `${text} compares as a string: use =, !=, LIKE, ILIKE, IN or NOT IN`, 'a string operator');
  }
  const value = s.string();
  if (value === undefined) s.expected("a quoted string ('…')", `${text} ${op}`);
  return { type: 'string', target, op: op as StringOp, value };
}

/**
 * Parses `clause AND clause ...` against a vocabulary; `[]` for an empty filter.
 *
 * @example
 * parseEntityFilter("name LIKE 'churn%' AND tags.team = 'ml'", EXPERIMENT_VOCABULARY)
 */
export function parseEntityFilter(text: string | null | undefined, v: EntityVocabulary): EntityClause[] {
  if (!text || !text.trim()) return [];
  const s = new Scanner(text, `invalid ${v.noun} filter`, 'the end of the filter');
  const out = [clause(s, v)];
  while (s.keyword('AND')) out.push(clause(s, v));
  if (!s.atEnd()) s.expected('AND or the end of the filter (OR is not supported here)');
  return out;
}

/** Parses order_by items `<attribute> [ASC|DESC]` (an `attributes.` prefix is allowed). */
export function parseEntityOrderBy(items: readonly string[] | null | undefined, v: EntityVocabulary): EntityOrder[] {
  return (items ?? []).map((item, i) => {
    const s = new Scanner(item, `invalid order_by item ${i + 1} ('${item}')`, 'the end of the item');
    const { target, text } = parseTarget(s, v);
    if (target.entity !== 'attribute') {
      s.failAt(0, `${v.noun} can be ordered by attributes only (${attributeList(v)}); got ${text}`, 'an attribute');
    }
    const ascending = !s.keyword('DESC');
    if (ascending) s.keyword('ASC');
    if (!s.atEnd()) s.expected('ASC, DESC or the end of the item', text);
    return { key: target.key, ascending };
  });
}

/** How an entity's attributes and keyed families live in SQL. */
export interface EntitySqlMap {
  /** Attribute name → column expression on the searched row. */
  readonly columns: Readonly<Record<string, string>>;
  /** The searched row's id expression, e.g. `e.id`. */
  readonly id: string;
  /** Keyed family → `(table, owner column)`; metrics tables carry `value` and `is_nan`. */
  readonly keyed: Partial<Readonly<Record<KeyedEntity, { readonly table: string; readonly owner: string }>>>;
}

export interface SqlFragment {
  readonly sql: string;
  readonly params: SqlValue[];
}

function stringTest(d: Dialect, expr: string, op: StringOp): string {
  if (op === 'LIKE') return d.like(expr, '?');
  if (op === 'ILIKE') return d.ilike(expr, '?');
  return `${expr} ${op} ?`;
}

/** `AND`-joined SQL conditions for the clauses (`1 = 1` when none). */
export function compileEntityWhere(clauses: readonly EntityClause[], map: EntitySqlMap, d: Dialect): SqlFragment {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const c of clauses) {
    const t = c.target;
    let expr: string;
    let prefix = '';
    let suffix = '';
    if (t.entity === 'attribute') {
      const col = map.columns[t.key];
      if (!col) throw new InvalidArgument(`attribute '${t.key}' cannot be searched here`);
      expr = col;
    } else {
      const kv = map.keyed[t.entity];
      if (!kv) throw new InvalidArgument(`${t.entity}s cannot be searched here`);
      prefix = `EXISTS (SELECT 1 FROM ${kv.table} k WHERE k.${kv.owner} = ${map.id} AND k.key = ? AND `;
      suffix = ')';
      params.push(t.key);
      expr = 'k.value';
    }
    if (c.type === 'number') {
      parts.push(`${prefix}${expr} ${c.op} ?${suffix}`);
      params.push(c.value);
    } else if (c.type === 'string') {
      parts.push(`${prefix}${stringTest(d, expr, c.op)}${suffix}`);
      params.push(c.value);
    } else {
      parts.push(`${prefix}${expr} ${c.negated ? 'NOT IN' : 'IN'} (${c.values.map(() => '?').join(', ')})${suffix}`);
      params.push(...c.values);
    }
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/** An ORDER BY list for the items, ending in `tieBreak` so pages are stable. */
export function compileEntityOrder(items: readonly EntityOrder[], map: EntitySqlMap, fallback: readonly EntityOrder[]): string {
  const all = [...items, ...fallback.filter((f) => !items.some((i) => i.key === f.key))];
  const terms = all.map((o) => `${map.columns[o.key] ?? map.id} ${o.ascending ? 'ASC' : 'DESC'}`);
  return [...terms, `${map.id} ASC`].join(', ');
}
