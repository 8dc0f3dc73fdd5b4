import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db, Dialect, Queryable, SqlValue } from './db.js';
import { Mutex } from '../core/mutex.js';

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  ddlTypes: { float: 'REAL', bigint: 'INTEGER', blob: 'BLOB', idpk: 'INTEGER PRIMARY KEY', without_rowid: ' WITHOUT ROWID' },
  // Analyse every table whose statistics are missing or stale (0x10000: not only
  // those this connection has queried).
  optimize: 'PRAGMA optimize=0x10002',
  // SQLite's LIKE ignores ASCII case; GLOB is case-sensitive, so a LIKE pattern
  // is translated to a GLOB pattern in SQL.
  like: (lhs, rhs) =>
    `${lhs} GLOB replace(replace(replace(replace(replace(${rhs}, '[', '[[]'), '*', '[*]'), '?', '[?]'), '%', '*'), '_', '?')`,
  ilike: (lhs, rhs) => `${lhs} LIKE ${rhs}`,
  castToFloat: (expr) => `CAST(${expr} AS REAL)`,
  // Registered on every connection by SqliteDb (SQLite has no built-in SHA-256).
  writableCte: false,
  sha256Hex: (expr) => `cairn_sha256_hex(${expr})`,
};

type Param = string | number | bigint | null | Uint8Array;
const bind = (params: readonly SqlValue[] | undefined): Param[] =>
  (params ?? []).map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/**
 * SQLite through node:sqlite: one file, WAL mode. Statements run synchronously
 * on one connection; a mutex keeps transactions from interleaving with other
 * work between their awaits. Several processes may open the same file: writers
 * wait on SQLite's busy timeout.
 */
export class SqliteDb implements Db {
  readonly dialect = sqliteDialect;
  private readonly conn: DatabaseSync;
  private readonly cache = new Map<string, StatementSync>();
  private readonly mutex = new Mutex();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.conn = new DatabaseSync(path);
    this.conn.exec('PRAGMA busy_timeout = 10000');
    // Switching a brand-new file to WAL can meet another process doing the same;
    // SQLite skips its busy wait there, so retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        this.conn.exec('PRAGMA journal_mode = WAL');
        break;
      } catch (e) {
        if (attempt >= 50 || !/locked|busy/i.test(String((e as Error).message))) throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      }
    }
    this.conn.exec('PRAGMA synchronous = NORMAL');
    this.conn.exec('PRAGMA foreign_keys = ON');
    this.conn.function('cairn_sha256_hex', { deterministic: true }, (text) =>
      (text === null ? null : createHash('sha256').update(String(text)).digest('hex')));
  }

  private stmt(sql: string): StatementSync {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.conn.prepare(sql);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, s);
    }
    return s;
  }

  private readonly direct: Queryable = {
    all: async <T extends object>(sql: string, params?: readonly SqlValue[]) =>
      this.stmt(sql).all(...bind(params)) as T[],
    get: async <T extends object>(sql: string, params?: readonly SqlValue[]) =>
      this.stmt(sql).get(...bind(params)) as T | undefined,
    run: async (sql: string, params?: readonly SqlValue[]) => ({
      changes: Number(this.stmt(sql).run(...bind(params)).changes),
    }),
    runMany: async (sql: string, rows: readonly (readonly SqlValue[])[]) => {
      const s = this.stmt(sql);
      for (const r of rows) s.run(...bind(r));
    },
  };

  all<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.mutex.run(() => this.direct.all<T>(sql, params));
  }
  get<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.mutex.run(() => this.direct.get<T>(sql, params));
  }
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return this.mutex.run(() => this.direct.run(sql, params));
  }
  runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void> {
    return this.transaction((tx) => tx.runMany(sql, rows));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      this.conn.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.direct);
        this.conn.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.conn.isTransaction) this.conn.exec('ROLLBACK');
        throw e;
      }
    });
  }

  /** BEGIN IMMEDIATE takes SQLite's write lock, which excludes other processes. */
  withMigrationLock<T>(fn: (db: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  /** Synchronous access for benchmarks comparing against raw driver inserts. */
  get raw(): DatabaseSync {
    return this.conn;
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      this.cache.clear();
      this.conn.close();
    });
  }
}
