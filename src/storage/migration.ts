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

async function appliedVersions(q: Queryable): Promise<Set<number>> {
  const rows = await q.all<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((r) => Number(r.version)));
}

/**
 * Migrations not yet in the ledger. Numbers are assigned per feature, so a
 * database may hold a later one before an earlier one lands (4 before 2):
 * what is pending is every known migration the ledger lacks, not only those
 * above its highest version.
 */
const missing = (migrations: readonly Migration[], applied: ReadonlySet<number>): Migration[] =>
  migrations.filter((m) => !applied.has(m.version));

function refuseNewer(migrations: readonly Migration[], applied: ReadonlySet<number>): void {
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v)).sort((a, b) => a - b);
  if (unknown.length > 0) {
    throw new InvalidState(
      `the database has schema version ${unknown.join(', ')}, unknown to this Cairn (latest ${migrations.at(-1)?.version ?? 0}); upgrade Cairn`,
    );
  }
}

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
  return { current: Math.max(0, ...applied), latest, pending: missing(migrations, applied) };
}

/**
 * Applies every pending migration in order, each in its own transaction, under
 * the migration lock so concurrent upgraders apply each step exactly once.
 * Returns the migrations this call applied.
 */
export async function migrate(db: Db, migrations: readonly Migration[], now = Date.now): Promise<Migration[]> {
  const applied: Migration[] = [];
  await db.withMigrationLock(async (lockHolder) => {
    await lockHolder.run(LEDGER);
    const done = await appliedVersions(lockHolder);
    refuseNewer(migrations, done);
    for (const m of missing(migrations, done)) {
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
