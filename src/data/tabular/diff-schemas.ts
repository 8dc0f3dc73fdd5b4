/** Row-count and schema changes between two tables, as a pure comparison. */
import type { ColumnSchema, TableDiff } from './tabular-engine.js';

export interface TableShape {
  readonly file: string;
  readonly rows: number;
  readonly schema: readonly ColumnSchema[];
}

/** Columns added in `b`, removed from `a`, and kept with another type (by name; order is ignored). */
export function diffSchemas(a: TableShape, b: TableShape): TableDiff {
  const inA = new Map(a.schema.map((c) => [c.name, c]));
  const inB = new Map(b.schema.map((c) => [c.name, c]));
  const added = b.schema.filter((c) => !inA.has(c.name));
  const removed = a.schema.filter((c) => !inB.has(c.name));
  const retyped = a.schema.flatMap((c) => {
    const other = inB.get(c.name);
    return other && other.physicalType !== c.physicalType ? [{ name: c.name, from: c.physicalType, to: other.physicalType }] : [];
  });
  const changed = a.rows !== b.rows || added.length + removed.length + retyped.length > 0;
  return { a: a.file, b: b.file, rowsA: a.rows, rowsB: b.rows, added, removed, retyped, changed };
}
