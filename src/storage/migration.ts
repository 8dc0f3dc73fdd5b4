import { expandDdl, type Db, type Queryable } from './db.js';
import { InvalidState } from '../core/errors.js';

/** One numbered, immutable step of schema history. Never edit a released one. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** Statements separated by `;` at the end of a line, with DDL type tokens. */
  readonly sql: string;
}

export interface MigrationStatus {
  readonly current: number;
  readonly latest: number;
  readonly pending: readonly Migration[];
}

const LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;

/**
 * The versions recorded in the ledger. Pending means "not recorded", not
 * "above the highest": migrations numbered on parallel branches (0002 merged
 * after a database already got 0003) are still applied.
 */
async function appliedVersions(q: Queryable): Promise<Set<number>> {
  const rows = await q.all<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((r) => Number(r.version)));
}

const highest = (versions: ReadonlySet<number>): number => Math.max(0, ...versions);

/** True when the database has no Cairn schema yet. */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  try {
    await db.get('SELECT 1 FROM schema_migrations LIMIT 1');
    return false;
  } catch {
    return true;
  }
}

export async function migrationStatus(db: Db, migrations: readonly Migration[]): Promise<MigrationStatus> {
  const latest = migrations.at(-1)?.version ?? 0;
  const applied = (await isEmptyDatabase(db)) ? new Set<number>() : await appliedVersions(db);
  return { current: highest(applied), latest, pending: migrations.filter((m) => !applied.has(m.version)) };
}

/**
 * Refuses a database whose schema is not `migrations`' latest: empty (never
 * served) or behind (needs `cairn db upgrade`). `label` names the database in
 * the message (a URL with its password hidden). Servers migrate an empty
 * database first; everything else only checks.
 */
export async function requireCurrentSchema(db: Db, migrations: readonly Migration[], label: string): Promise<void> {
  const status = await migrationStatus(db, migrations);
  if (status.current === 0) {
    throw new InvalidState(`database ${label} has no Cairn schema; start 'cairn server --db ${label}' once or run 'cairn db upgrade --db ${label}'`);
  }
  if (status.pending.length > 0) {
    throw new InvalidState(`database ${label} is at schema ${status.current} but this Cairn needs ${status.latest}; run 'cairn db upgrade --db ${label}'`);
  }
}

/**
 * Applies every pending migration in order, each in its own transaction, under
 * the migration lock so concurrent upgraders apply each step exactly once.
 * Returns the migrations this call applied.
 */
export async function migrate(db: Db, migrations: readonly Migration[], now = Date.now): Promise<Migration[]> {
  return applyPending(db, migrations, now, false);
}

/**
 * Brings a database without any applied migration to the latest schema, and
 * leaves one that has some alone (upgrading is `migrate`'s job, run on
 * purpose). The check happens under the migration lock, so a process that
 * starts while another is migrating the same empty database waits for it
 * instead of seeing a half-built schema.
 */
export async function migrateIfEmpty(db: Db, migrations: readonly Migration[], now = Date.now): Promise<Migration[]> {
  return applyPending(db, migrations, now, true);
}

async function applyPending(db: Db, migrations: readonly Migration[], now: () => number, onlyIfEmpty: boolean): Promise<Migration[]> {
  const applied: Migration[] = [];
  await db.withMigrationLock(async (lockHolder) => {
    await lockHolder.run(LEDGER);
    const done = await appliedVersions(lockHolder);
    const current = highest(done);
    if (onlyIfEmpty && current > 0) return;
    const latest = migrations.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new InvalidState(
        `the database schema is at version ${current}, newer than this Cairn (${latest}); upgrade Cairn`,
      );
    }
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      const statements = expandDdl(m.sql, db.dialect)
        .split(/;\s*\n/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      // SQLite's lock is already a transaction; PostgreSQL's is a session lock.
      const step = async (q: Queryable) => {
        for (const s of statements) await q.run(s);
        await q.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          m.version,
          m.name,
          now(),
        ]);
      };
      if (db.dialect.name === 'sqlite') await step(lockHolder);
      else {
        await lockHolder.run('BEGIN');
        try {
          await step(lockHolder);
          await lockHolder.run('COMMIT');
        } catch (e) {
          await lockHolder.run('ROLLBACK');
          throw e;
        }
      }
      applied.push(m);
    }
  });
  if (applied.length > 0) await optimize(db);
  return applied;
}

/**
 * Refreshes the query planner's statistics where the dialect asks for it
 * (SQLite: `PRAGMA optimize`, which analyses only tables whose statistics are
 * missing or stale, with a row limit, so it is cheap to repeat). Run after
 * migrations and bulk loads, and periodically on a long-running server.
 */
export async function optimize(db: Db): Promise<void> {
  if (db.dialect.optimize) await db.run(db.dialect.optimize);
}
