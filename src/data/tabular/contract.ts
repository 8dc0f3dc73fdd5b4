/**
 * Data contracts: what a table must look like. Parsed from YAML with the
 * line and column of every entry, so both syntax errors and later problems
 * (an unknown column, invalid custom SQL) point into the file.
 *
 * @example
 * ```yaml
 * rows: { min: 1000 }
 * columns:
 *   - { name: id, type: integer, nullable: false, unique: true }
 *   - { name: age, type: integer, min: 0, max: 120 }
 *   - { name: country, type: string, allowed: [FR, DE, IT] }
 * unique: [[country, id]]          # composite keys
 * checks:
 *   - { name: adults_only, sql: "age >= 18 OR country = 'FR'" }
 * extra_columns: allow             # or: forbid
 * ```
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InvalidArgument } from '../../core/errors.js';

export const CONTRACT_TYPES = ['integer', 'float', 'number', 'string', 'boolean', 'date', 'timestamp'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];
export const isContractType = (v: unknown): v is ContractType =>
  typeof v === 'string' && (CONTRACT_TYPES as readonly string[]).includes(v);

/** 1-based line and column in the contract file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export type Bound = number | string;
export type Category = string | number | boolean;

export interface ContractColumn {
  readonly name: string;
  readonly type: ContractType | null;
  /** False: no missing values allowed. Null: not checked. */
  readonly nullable: boolean | null;
  readonly min: Bound | null;
  readonly max: Bound | null;
  readonly allowed: readonly Category[] | null;
  readonly unique: boolean;
  readonly at: Position;
}

export interface CustomCheck {
  readonly name: string;
  /** A boolean SQL expression over the columns that every row must satisfy (null counts as a violation). */
  readonly sql: string;
  readonly at: Position;
}

export interface Contract {
  readonly columns: readonly ContractColumn[];
  readonly rows: { readonly min: number | null; readonly max: number | null } | null;
  /** Composite keys that must be unique. */
  readonly unique: readonly (readonly string[])[];
  readonly checks: readonly CustomCheck[];
  /** False: columns the contract does not name fail the `extra-columns` check. */
  readonly allowExtraColumns: boolean;
  /** Where the contract came from, for messages. */
  readonly source: string;
}

const TOP_KEYS = ['columns', 'rows', 'unique', 'checks', 'extra_columns'] as const;
const COLUMN_KEYS = ['name', 'type', 'nullable', 'min', 'max', 'allowed', 'unique'] as const;

/** Parses a contract; every error is an InvalidArgument that starts `source:line:column:`. */
export function parseContract(text: string, source: string): Contract {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (node: Node | null | undefined): Position => {
    const { line, col } = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line, column: col };
  };
  const fail = (node: Node | null | undefined, message: string): never => {
    const at = where(node);
    throw new InvalidArgument(`${source}:${at.line}:${at.column}: ${message}`, { line: at.line, column: at.column });
  };
  const firstError = doc.errors[0];
  if (firstError) {
    const { line, col } = lineCounter.linePos(firstError.pos[0]);
    throw new InvalidArgument(`${source}:${line}:${col}: invalid YAML: ${firstError.message.split('\n')[0]}`, { line, column: col });
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, 'a contract is a mapping with `columns:` (and optionally rows, unique, checks, extra_columns)');

  const entries = (map: Node, allowed: readonly string[], what: string): Map<string, Node> => {
    if (!isMap(map)) return fail(map, `${what} must be a mapping`);
    const out = new Map<string, Node>();
    for (const pair of map.items) {
      const key = pair.key as Node;
      const name = isScalar(key) ? String(key.value) : '';
      if (!allowed.includes(name)) fail(key, `unknown key '${name}' in ${what}; expected one of: ${allowed.join(', ')}`);
      out.set(name, (pair.value ?? key) as Node);
    }
    return out;
  };
  const scalar = (node: Node | undefined): unknown => (node && isScalar(node) ? node.value : undefined);
  const str = (node: Node, what: string): string => {
    const v = scalar(node);
    return typeof v === 'string' && v.trim() !== '' ? v : fail(node, `${what} must be a non-empty string`);
  };
  const bool = (node: Node, what: string): boolean => {
    const v = scalar(node);
    return typeof v === 'boolean' ? v : fail(node, `${what} must be true or false`);
  };
  const count = (node: Node, what: string): number => {
    const v = scalar(node);
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : fail(node, `${what} must be a whole number ≥ 0`);
  };
  const bound = (node: Node, what: string): Bound => {
    const v = scalar(node);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v !== '') return v;
    if (v instanceof Date) return v.toISOString();
    return fail(node, `${what} must be a number (or a date/timestamp as text)`);
  };
  const seq = (node: Node, what: string): Node[] => (isSeq(node) ? (node.items as Node[]) : fail(node, `${what} must be a list`));

  const top = entries(root, TOP_KEYS, 'the contract');
  const columnsNode = top.get('columns');
  if (!columnsNode) return fail(root, 'the contract has no `columns:` list');
  const seen = new Set<string>();
  const columns = seq(columnsNode, '`columns`').map((node): ContractColumn => {
    const e = entries(node, COLUMN_KEYS, 'a column');
    const nameNode = e.get('name');
    if (!nameNode) return fail(node, 'a column needs a `name`');
    const name = str(nameNode, '`name`');
    if (seen.has(name)) fail(nameNode, `column '${name}' is listed twice`);
    seen.add(name);
    const typeNode = e.get('type');
    let type: ContractType | null = null;
    if (typeNode) {
      const t = scalar(typeNode);
      type = isContractType(t) ? t : fail(typeNode, `unknown type '${String(t)}' for column '${name}'; expected one of: ${CONTRACT_TYPES.join(', ')}`);
    }
    const allowedNode = e.get('allowed');
    const allowed = allowedNode ? seq(allowedNode, '`allowed`').map((n) => {
      const v = scalar(n);
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : fail(n, '`allowed` values must be strings, numbers or booleans');
    }) : null;
    const opt = <T>(key: string, parse: (n: Node, what: string) => T): T | null => {
      const n = e.get(key);
      return n ? parse(n, `\`${key}\` of column '${name}'`) : null;
    };
    return {
      name, type, allowed, at: where(node),
      nullable: opt('nullable', bool), min: opt('min', bound), max: opt('max', bound), unique: opt('unique', bool) ?? false,
    };
  });

  const rowsNode = top.get('rows');
  let rows: Contract['rows'] = null;
  if (rowsNode) {
    const r = entries(rowsNode, ['min', 'max'], '`rows`');
    const min = r.get('min');
    const max = r.get('max');
    rows = { min: min ? count(min, '`rows.min`') : null, max: max ? count(max, '`rows.max`') : null };
    if (rows.min !== null && rows.max !== null && rows.min > rows.max) fail(rowsNode, '`rows.min` is greater than `rows.max`');
  }

  const uniqueNode = top.get('unique');
  const unique = uniqueNode ? seq(uniqueNode, '`unique`').map((key) =>
    (isSeq(key) ? seq(key, 'a unique key') : [key]).map((n) => str(n, 'a unique-key column'))) : [];

  const checkNames = new Set<string>();
  const checksNode = top.get('checks');
  const checks = checksNode ? seq(checksNode, '`checks`').map((node): CustomCheck => {
    const e = entries(node, ['name', 'sql'], 'a check');
    const nameNode = e.get('name');
    const sqlNode = e.get('sql');
    if (!nameNode || !sqlNode) return fail(node, 'a check needs `name` and `sql` (a boolean expression every row must satisfy)');
    const name = str(nameNode, 'a check name');
    if (checkNames.has(name)) fail(nameNode, `check '${name}' is listed twice`);
    checkNames.add(name);
    return { name, sql: str(sqlNode, `\`sql\` of check '${name}'`), at: where(node) };
  }) : [];

  const extraNode = top.get('extra_columns');
  const extra = extraNode ? scalar(extraNode) : 'allow';
  if (extra !== 'allow' && extra !== 'forbid') fail(extraNode, '`extra_columns` must be allow or forbid');
  return { columns, rows, unique, checks, allowExtraColumns: extra === 'allow', source };
}
