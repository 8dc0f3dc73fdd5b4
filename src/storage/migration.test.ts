import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDb } from './sqlite-db.js';
import { migrate, migrateIfEmpty, migrationStatus } from './migration.js';
import { MIGRATIONS } from './migrations/index.js';

const here = new URL('.', import.meta.url).href;

// A child process that opens the SQLite file, says "ready", waits for a line on
// stdin, migrates, and prints the versions it applied. It runs this folder's
// TypeScript directly (Node 24 strips types); the hook maps `./x.js` imports to
// `./x.ts`. Separate processes are the real contract: two connections on one
// event loop cannot wait for each other, since SQLite's busy wait blocks it.
// Cheap padding migrations after the real ones widen the window in which the
// two processes overlap, so a missing lock shows up as "table already exists".
const PADDING = 200;
const CHILD = `
import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    try { return next(specifier, context); } catch (e) {
      if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.endsWith('.js')) throw e;
      return next(specifier.slice(0, -3) + '.ts', context);
    }
  },
});
const [dir, file] = process.argv.slice(-2);
const { SqliteDb } = await import(new URL('sqlite-db.js', dir).href);
const { migrate } = await import(new URL('migration.js', dir).href);
const { MIGRATIONS } = await import(new URL('migrations/index.js', dir).href);
const db = new SqliteDb(file);
console.log('ready');
await new Promise((resolve) => process.stdin.once('data', resolve));
const padding = Array.from({ length: ${PADDING} }, (_, i) =>
  ({ version: 1000 + i, name: 'padding', sql: 'CREATE TABLE padding_' + i + ' (x INTEGER)' }));
const applied = await migrate(db, [...MIGRATIONS, ...padding]);
await db.close();
console.log(JSON.stringify(applied.map((m) => m.version)));
process.exit(0);
`;

interface Child {
  ready: Promise<void>;
  go(): void;
  done: Promise<number[]>;
}

function migrateInChild(file: string): Child {
  const p = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', CHILD, here, file], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) onReady();
  });
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number[]>((resolve, reject) =>
    p.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(last) as number[]);
      else reject(new Error(`migrating child exited ${code}: ${err || out}`));
    }),
  );
  done.catch(() => onReady());
  return { ready, go: () => p.stdin.end('go\n'), done };
}

describe('migrate on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-migration-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates a fresh file to the latest schema, then applies nothing', async () => {
    const db = new SqliteDb(join(dir, 'once.db'));
    try {
      expect((await migrate(db, MIGRATIONS)).map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await db.get('SELECT id, name FROM experiments WHERE id = ?', ['0'])).toEqual({ id: '0', name: 'Default' });
      expect(await migrate(db, MIGRATIONS)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('migrateIfEmpty builds an empty database and leaves an older one for an explicit upgrade', async () => {
    const fresh = new SqliteDb(join(dir, 'if-empty.db'));
    const old = new SqliteDb(join(dir, 'older.db'));
    try {
      expect((await migrateIfEmpty(fresh, MIGRATIONS)).map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await migrate(old, MIGRATIONS.slice(0, 1));
      expect(await migrateIfEmpty(old, MIGRATIONS)).toEqual([]);
      expect((await migrationStatus(old, MIGRATIONS)).pending.map((m) => m.version)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
      // An upgrade from the released 0001 schema applies the rest.
      expect((await migrate(old, MIGRATIONS)).map((m) => m.version)).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
    } finally {
      await fresh.close();
      await old.close();
    }
  });

  it('applies a migration merged in below the highest applied one', async () => {
    const db = new SqliteDb(join(dir, 'merged.db'));
    try {
      const merged = { version: 2, name: 'from-another-branch', sql: 'CREATE TABLE merged_table (x INTEGER)' };
      const [first, ...rest] = MIGRATIONS;
      await migrate(db, [first!, ...rest.filter((m) => m.version > 2)]);
      const all = [first!, merged, ...rest.filter((m) => m.version > 2)];
      expect((await migrationStatus(db, all)).pending.map((m) => m.version)).toEqual([2]);
      expect((await migrate(db, all)).map((m) => m.version)).toEqual([2]);
      expect(await db.get('SELECT COUNT(*) AS n FROM merged_table')).toEqual({ n: 0 });
    } finally {
      await db.close();
    }
  });

  it('applies each migration exactly once when two processes migrate the same file at once', async () => {
    const file = join(dir, 'concurrent.db');
    // Create the file (and switch it to WAL) first: two processes opening a new
    // file at once can race on `PRAGMA journal_mode = WAL` (SQLITE_BUSY without
    // the busy handler), which is SqliteDb's constructor, not migrate().
    await new SqliteDb(file).close();
    const children = [migrateInChild(file), migrateInChild(file)];
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const applied = await Promise.all(children.map((c) => c.done));

    const all = [...MIGRATIONS.map((m) => m.version), ...Array.from({ length: PADDING }, (_, i) => 1000 + i)];
    expect(applied.flat().sort((x, y) => x - y)).toEqual(all);
    const db = new SqliteDb(file);
    try {
      const ledger = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(ledger.map((r) => r.version)).toEqual(all);
      expect(await db.get('SELECT COUNT(*) AS n FROM experiments')).toEqual({ n: 1 });
    } finally {
      await db.close();
    }
  });
});
