import type { Db } from './db.js';

/**
 * Opens a database from a `--db` value: `postgres://…`/`postgresql://…`, or a
 * SQLite file path (`sqlite:` prefix optional). Drivers load lazily.
 * Never migrates: run `migrate` explicitly.
 */
export async function openDb(url: string): Promise<Db> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { PostgresDb } = await import('./postgres-db.js');
    return new PostgresDb(url);
  }
  const { SqliteDb } = await import('./sqlite-db.js');
  return new SqliteDb(url.replace(/^sqlite:(\/\/)?/, ''));
}
