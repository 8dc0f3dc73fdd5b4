/** Quoting for the SQL the DuckDB engine writes, and reading DuckDB's JS values. */
import { isNumericType, type ColumnSchema, type ColumnType } from '../tabular-engine.js';

/** A double-quoted identifier: `"my ""col"""`. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A single-quoted string literal. */
export const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A finite number as a SQL DOUBLE literal that round-trips exactly. */
export const doubleLiteral = (x: number): string => `${String(x)}::DOUBLE`;

/** A literal for a value compared with a column of `type`: numbers as DOUBLE, dates and timestamps cast, text quoted. */
export function valueFor(type: ColumnType, v: string | number | boolean): string {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return isNumericType(type) ? doubleLiteral(v) : literal(String(v));
  if (type === 'date') return `CAST(${literal(v)} AS DATE)`;
  if (type === 'timestamp') return `CAST(${literal(v)} AS TIMESTAMP)`;
  return literal(v);
}

/** DuckDB's type name → Cairn's column type. */
export function columnTypeOf(physical: string): ColumnType {
  const t = physical.toUpperCase();
  if (/^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|UHUGEINT)$/.test(t)) return 'integer';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL)/.test(t)) return 'float';
  if (t === 'VARCHAR') return 'string';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'other';
}

export const schemaColumn = (name: string, physicalType: string): ColumnSchema =>
  ({ name, physicalType, type: columnTypeOf(physicalType) });

/** A DuckDB JS value (number, bigint, decimal-as-number) as a number, or null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  const n = Number(String(v));
  return Number.isNaN(n) ? null : n;
}

/** A DuckDB JS value rendered for a report: text as is, numbers and dates via String, lists and structs as JSON. */
export function show(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x));
}
