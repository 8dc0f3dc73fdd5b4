/** Writes test and benchmark Parquet files through DuckDB's own writer. */
import { DuckDBInstance } from '@duckdb/node-api';

/** Converts a CSV (types as DuckDB sniffs them) into a Parquet file; returns `parquet`. */
export async function csvToParquet(csv: string, parquet: string): Promise<string> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`COPY (SELECT * FROM read_csv('${csv.replaceAll("'", "''")}')) TO '${parquet.replaceAll("'", "''")}' (FORMAT parquet)`);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return parquet;
}
