import pg from 'pg';
import type { Db, Dialect, Queryable, SqlValue } from './db.js';

export const postgresDialect: Dialect = {
  name: 'postgres',
  ddlTypes: { float: 'DOUBLE PRECISION', bigint: 'BIGINT', blob: 'BYTEA', idpk: 'BIGSERIAL PRIMARY KEY', without_rowid: '' },
  like: (lhs, rhs) => `${lhs} LIKE ${rhs}`,
  ilike: (lhs, rhs) => `${lhs} ILIKE ${rhs}`,
  castToFloat: (expr) => `CAST(${expr} AS DOUBLE PRECISION)`,
  writableCte: true,
  sha256Hex: (expr) => `encode(sha256(convert_to(${expr}, 'UTF8')), 'hex')`,
};

/** Rewrites `?` placeholders to `$1..$n`. Cairn's SQL never has `?` inside literals. */
const cache = new Map<string, string>();
export function toPgPlaceholders(sql: string): string {
  let out = cache.get(sql);
  if (out === undefined) {
    let i = 0;
    out = sql.replace(/\?/g, () => `$${++i}`);
    if (cache.size > 1000) cache.clear();
    cache.set(sql, out);
  }
  return out;
}

// int8 and numeric arrive as strings by default; Cairn's bigints are epoch
// milliseconds and steps, well inside 2^53.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const MIGRATION_LOCK_KEY = 0x43a1_2d;

type Client = pg.Pool | pg.PoolClient;
const wrap = (c: Client): Queryable => ({
  all: async <T extends object>(sql: string, params?: readonly SqlValue[]) =>
    (await c.query(toPgPlaceholders(sql), params as unknown[])).rows as T[],
  get: async <T extends object>(sql: string, params?: readonly SqlValue[]) =>
    (await c.query(toPgPlaceholders(sql), params as unknown[])).rows[0] as T | undefined,
  run: async (sql: string, params?: readonly SqlValue[]) => ({
    changes: (await c.query(toPgPlaceholders(sql), params as unknown[])).rowCount ?? 0,
  }),
  runMany: async (sql: string, rows: readonly (readonly SqlValue[])[]) => {
    const text = toPgPlaceholders(sql);
    for (const r of rows) await c.query(text, r as unknown[]);
  },
});

/**
 * PostgreSQL through a `pg` pool. Safe for several Cairn processes sharing one
 * database: every multi-statement change runs in a transaction, and the
 * migration lock is a session-level advisory lock.
 */
export class PostgresDb implements Db {
  readonly dialect = postgresDialect;
  private readonly pool: pg.Pool;
  private readonly q: Queryable;

  constructor(url: string, opts: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types });
    // An idle client that errors (server restart) must not crash the process.
    this.pool.on('error', () => undefined);
    this.q = wrap(this.pool);
  }

  all<T extends object>(sql: string, params?: readonly SqlValue[]) { return this.q.all<T>(sql, params); }
  get<T extends object>(sql: string, params?: readonly SqlValue[]) { return this.q.get<T>(sql, params); }
  run(sql: string, params?: readonly SqlValue[]) { return this.q.run(sql, params); }
  runMany(sql: string, rows: readonly (readonly SqlValue[])[]) {
    return this.transaction((tx) => tx.runMany(sql, rows));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(wrap(client));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async withMigrationLock<T>(fn: (db: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        return await fn(wrap(client));
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
