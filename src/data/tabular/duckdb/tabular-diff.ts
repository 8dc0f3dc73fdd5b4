import type { TableDiff } from '../tabular-engine.js';

/**
 * Row-count and schema changes between two tabular files (CSV, TSV or
 * Parquet), for `cairn data diff` on dataset versions. DuckDB loads on the
 * first call, so importing this costs nothing.
 *
 * @example
 * const d = await tabularDiff('v1/train.csv', 'v2/train.csv');
 * if (d.changed) console.log(d.rowsA, '→', d.rowsB, d.added, d.removed, d.retyped);
 */
export async function tabularDiff(fileA: string, fileB: string): Promise<TableDiff> {
  const { DuckDbTabularEngine } = await import('./duckdb-tabular-engine.js');
  const engine = new DuckDbTabularEngine();
  try {
    return await engine.diff(fileA, fileB);
  } finally {
    engine.close();
  }
}
