import { afterAll, describe, expect, it } from 'vitest';
import { createTestPostgres, type TestPostgres } from './postgres.js';
import { PostgresDb } from '../storage/postgres-db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';

describe('createTestPostgres', () => {
  const created: TestPostgres[] = [];
  const opened: PostgresDb[] = [];
  const fresh = async () => {
    const t = await createTestPostgres();
    created.push(t);
    return t;
  };
  const open = (url: string) => {
    const db = new PostgresDb(url, { max: 2 });
    opened.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await Promise.all(created.map((t) => t.drop()));
  });

  it('refuses to run without CAIRN_TEST_PG_URL', async () => {
    await expect(createTestPostgres({})).rejects.toThrow(/CAIRN_TEST_PG_URL is not set/);
  });

  it('gives a fresh database that migrates to the latest schema, once', async () => {
    const db = open((await fresh()).url);
    expect(await db.all("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'")).toEqual([]);

    const applied = await migrate(db, MIGRATIONS);
    expect(applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));

    const tables = await db.all<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['schema_migrations', 'experiments', 'runs', 'params', 'latest_metrics', 'artifacts']),
    );
    expect(await db.get('SELECT id, name FROM experiments WHERE id = ?', ['0'])).toEqual({ id: '0', name: 'Default' });

    expect(await migrate(db, MIGRATIONS)).toEqual([]);
  });

  it('applies each migration exactly once when two processes migrate at the same time', async () => {
    const { url } = await fresh();
    const [a, b] = [open(url), open(url)];
    const results = await Promise.all([migrate(a, MIGRATIONS), migrate(b, MIGRATIONS)]);

    expect(results.flat().map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const ledger = await a.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(ledger.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await a.get('SELECT COUNT(*) AS n FROM experiments')).toEqual({ n: 1 });
  });

  it('drop() removes the database even while connections are open', async () => {
    const t = await createTestPostgres();
    const db = open(t.url);
    await db.get('SELECT 1');
    await t.drop();
    await t.drop();
    await expect(db.get('SELECT 1')).rejects.toThrow();
  });
});
