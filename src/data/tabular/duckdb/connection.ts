/** The small slice of a DuckDB connection the engine uses, with rows as plain JS objects. */
import type { DuckDBConnection } from '@duckdb/node-api';

export interface Connection {
  /** Runs one statement and returns its rows (BIGINT as bigint, lists as arrays, maps as {key, value} arrays). */
  all(sql: string): Promise<Record<string, unknown>[]>;
  run(sql: string): Promise<void>;
  close(): void;
}

export function wrapConnection(conn: DuckDBConnection): Connection {
  return {
    async all(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    },
    async run(sql) {
      await conn.run(sql);
    },
    close: () => conn.closeSync(),
  };
}
