import type { TableDiff } from '../tabular-engine.js';
import { DuckDbTabularEngine } from './duckdb-tabular-engine.js';

/**
 * Row-count and schema changes between two tabular files (CSV, TSV or
 * Parquet), for `cairn data diff` on dataset versions.
 *
 * @example
 * const d = await tabularDiff('v1/train.csv', 'v2/train.csv');
 * if (d.changed) console.log(d.rowsA, '→', d.rowsB, d.added, d.removed, d.retyped);
 */
export async function tabularDiff(fileA: string, fileB: string): Promise<TableDiff> {
  const engine = new DuckDbTabularEngine();
  try {
    return await engine.diff(fileA, fileB);
  } finally {
    engine.close();
  }
}
