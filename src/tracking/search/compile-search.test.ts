import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../storage/db.js';
import { SqliteDb } from '../../storage/sqlite-db.js';
import { PostgresDb } from '../../storage/postgres-db.js';
import { migrate } from '../../storage/migration.js';
import { MIGRATIONS } from '../../storage/migrations/index.js';
import { createTestPostgres, type TestPostgres } from '../../testing/postgres.js';
import type { LifecycleFilter } from '../domain.js';
import { InvalidArgument } from '../../core/errors.js';
import { parseFilter } from './filter-parser.js';
import { parseOrderBy } from './order-by.js';
import { compileRunCount, compileRunSearch } from './compile-search.js';

interface RunRow {
  id: string;
  exp?: string;
  name: string;
  status: string;
  start: number;
  end?: number | null;
  lifecycle?: string;
  parent?: string | null;
  user?: string | null;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

// r5 is deleted; r6 is in experiment 2. NaN metrics are stored as value NULL, is_nan 1.
const RUNS: RunRow[] = [
  { id: 'r1', name: 'alpha', status: 'FINISHED', start: 1000, end: 1500, user: 'ann',
    metrics: { acc: 0.9, loss: 0.1 }, params: { lr: '0.01', opt: 'adam' }, tags: { team: 'ML', 'mlflow.user': 'ann' } },
  { id: 'r2', name: 'beta', status: 'FAILED', start: 2000, end: 2500, user: 'bob',
    metrics: { acc: 0.5, loss: NaN }, params: { lr: '0.1', opt: 'sgd' }, tags: { team: 'ml' } },
  { id: 'r3', name: 'gamma', status: 'RUNNING', start: 3000, end: null, parent: 'r1',
    metrics: { acc: NaN }, params: { lr: '0.01' }, tags: { team: 'data', note: '[x]*?' } },
  { id: 'r4', name: 'delta', status: 'FINISHED', start: 4000, end: 4100,
    params: { opt: "x' OR '1'='1", 'weird key; --': 'v' }, tags: { team: 'Data' } },
  { id: 'r5', name: 'epsilon', status: 'FINISHED', start: 5000, end: 5100, lifecycle: 'deleted', metrics: { acc: 0.9 } },
  { id: 'r6', exp: '2', name: 'zeta', status: 'FINISHED', start: 6000, end: 6100, metrics: { acc: 0.99 } },
];

async function seed(db: Db): Promise<void> {
  await migrate(db, MIGRATIONS);
  for (const e of ['1', '2', '3']) {
    await db.run('INSERT INTO experiments (id, name, artifact_location, created_at, updated_at) VALUES (?, ?, ?, 0, 0)', [e, `exp${e}`, `a/${e}`]);
  }
  for (const r of RUNS) {
    await db.run(
      `INSERT INTO runs (id, experiment_id, name, status, lifecycle, user_id, start_time, end_time, parent_run_id, artifact_uri)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [r.id, r.exp ?? '1', r.name, r.status, r.lifecycle ?? 'active', r.user ?? null, r.start, r.end ?? null, r.parent ?? null, `a/${r.id}`],
    );
    for (const [k, v] of Object.entries(r.metrics ?? {})) {
      await db.run('INSERT INTO latest_metrics (run_id, key, value, is_nan, step, timestamp) VALUES (?, ?, ?, ?, 0, 0)',
        [r.id, k, Number.isNaN(v) ? null : v, Number.isNaN(v) ? 1 : 0]);
    }
    for (const [k, v] of Object.entries(r.params ?? {})) await db.run('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)', [r.id, k, v]);
    for (const [k, v] of Object.entries(r.tags ?? {})) await db.run('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)', [r.id, k, v]);
  }
  await db.run("INSERT INTO datasets (id, experiment_id, name, digest) VALUES ('d1', '1', 'mnist', 'abc123')");
  await db.run("INSERT INTO run_inputs (run_id, dataset_id, context) VALUES ('r4', 'd1', 'train')");
  // A second version of the same dataset on r4: a name match must still give r4 once.
  await db.run("INSERT INTO datasets (id, experiment_id, name, digest) VALUES ('d2', '1', 'mnist', 'def456')");
  await db.run("INSERT INTO run_inputs (run_id, dataset_id, context) VALUES ('r4', 'd2', 'eval')");
  // Twelve runs sharing one start time and one metric value: only the id breaks ties.
  for (let i = 0; i < 12; i++) {
    const id = `t${String((i * 7) % 12).padStart(2, '0')}`;
    await db.run("INSERT INTO runs (id, experiment_id, name, status, start_time, artifact_uri) VALUES (?, '3', ?, 'FINISHED', 100, 'a')", [id, id]);
    await db.run("INSERT INTO latest_metrics (run_id, key, value, is_nan, step, timestamp) VALUES (?, 'm', 1, 0, 0, 0)", [id]);
  }
}

interface Backend {
  readonly name: string;
  open(): Promise<{ db: Db; close(): Promise<void> }>;
}

const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'cairn-search-'));
      const db = new SqliteDb(join(dir, 'cairn.db'));
      return { db, close: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
];
if (process.env['CAIRN_TEST_PG_URL']) {
  BACKENDS.push({
    name: 'postgres',
    async open() {
      const pg: TestPostgres = await createTestPostgres();
      const db = new PostgresDb(pg.url);
      return { db, close: async () => { await db.close(); await pg.drop(); } };
    },
  });
}

describe.each(BACKENDS)('compileRunSearch on $name', (backend) => {
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await backend.open());
    await seed(db);
  });
  afterAll(async () => close());

  interface Opts { experimentIds?: string[]; orderBy?: string[]; lifecycle?: LifecycleFilter; limit?: number; offset?: number }
  const search = async (filter: string, o: Opts = {}): Promise<string[]> => {
    const q = compileRunSearch({
      experimentIds: o.experimentIds ?? ['1'],
      filter: parseFilter(filter),
      orderBy: parseOrderBy(o.orderBy ?? []),
      lifecycle: o.lifecycle ?? 'active',
      limit: o.limit ?? 100,
      offset: o.offset ?? 0,
    }, db.dialect);
    return (await db.all<{ id: string }>(q.sql, q.params)).map((r) => r.id);
  };
  const count = async (filter: string, experimentIds = ['1']): Promise<number> => {
    const q = compileRunCount({ experimentIds, filter: parseFilter(filter), lifecycle: 'active' }, db.dialect);
    return Number((await db.get<{ n: number }>(q.sql, q.params))?.n);
  };

  it('orders by start time, newest first, when no order is given', async () => {
    expect(await search('')).toEqual(['r4', 'r3', 'r2', 'r1']);
  });

  it('filters by lifecycle and experiment', async () => {
    expect(await search('', { lifecycle: 'deleted' })).toEqual(['r5']);
    expect(await search('', { lifecycle: 'all' })).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    expect(await search('metrics.acc > 0.8', { experimentIds: ['1', '2'] })).toEqual(['r6', 'r1']);
  });

  it('compares metrics as numbers and never matches NaN', async () => {
    expect(await search('metrics.acc > 0')).toEqual(['r2', 'r1']);
    expect(await search('metrics.acc != 0.5')).toEqual(['r1']);
    expect(await search('metrics.acc = 0.9')).toEqual(['r1']);
    expect(await search('metrics.acc <= 0.5')).toEqual(['r2']);
    expect(await search('metrics.loss < 100')).toEqual(['r1']);
  });

  it('tests presence with IS NULL and IS NOT NULL (NaN counts as present)', async () => {
    expect(await search('metrics.loss IS NOT NULL')).toEqual(['r2', 'r1']);
    expect(await search('metrics.acc IS NULL')).toEqual(['r4']);
    expect(await search('params.opt IS NULL')).toEqual(['r3']);
    expect(await search('attributes.end_time IS NULL')).toEqual(['r3']);
    expect(await search('datasets.name IS NOT NULL')).toEqual(['r4']);
  });

  it('compares params and tags as strings', async () => {
    expect(await search("params.lr = '0.01'")).toEqual(['r3', 'r1']);
    expect(await search("params.lr != '0.01'")).toEqual(['r2']);
    expect(await search("params.opt NOT IN ('adam')")).toEqual(['r4', 'r2']);
    expect(await search("params.opt IN ('adam', 'sgd')")).toEqual(['r2', 'r1']);
    expect(await search('tags."mlflow.user" = \'ann\'')).toEqual(['r1']);
  });

  it('matches LIKE case-sensitively and ILIKE case-insensitively', async () => {
    expect(await search("tags.team LIKE 'ml'")).toEqual(['r2']);
    expect(await search("tags.team LIKE 'M%'")).toEqual(['r1']);
    expect(await search("tags.team ILIKE 'ml'")).toEqual(['r2', 'r1']);
    expect(await search("tags.team ILIKE 'd%'")).toEqual(['r4', 'r3']);
    expect(await search("params.lr LIKE '0._1'")).toEqual(['r3', 'r1']);
    expect(await search("attributes.run_name LIKE '%ta'")).toEqual(['r4', 'r2']);
  });

  it('treats GLOB metacharacters in LIKE patterns as plain text', async () => {
    expect(await search("tags.note LIKE '[x]*?'")).toEqual(['r3']);
    expect(await search("tags.note LIKE '[x]%'")).toEqual(['r3']);
    expect(await search("tags.note LIKE 'x%'")).toEqual([]);
    expect(await search("tags.team LIKE '*'")).toEqual([]);
  });

  it('filters on attributes', async () => {
    expect(await search("attributes.status IN ('FINISHED', 'FAILED')")).toEqual(['r4', 'r2', 'r1']);
    expect(await search("attributes.status != 'FINISHED'")).toEqual(['r3', 'r2']);
    expect(await search('attributes.start_time >= 2000 AND attributes.start_time < 4000')).toEqual(['r3', 'r2']);
    expect(await search('attributes.start_time > 1999.5')).toEqual(['r4', 'r3', 'r2']);
    expect(await search("attributes.parent_run_id = 'r1'")).toEqual(['r3']);
    expect(await search("attributes.run_id IN ('r1', 'r4', 'r6')")).toEqual(['r4', 'r1']);
    expect(await search("attributes.user_id = 'bob'")).toEqual(['r2']);
    expect(await search("attributes.lifecycle_stage = 'deleted'", { lifecycle: 'all' })).toEqual(['r5']);
    expect(await search("attributes.experiment_id = '1' AND attributes.name = 'alpha'")).toEqual(['r1']);
  });

  it('filters on input datasets', async () => {
    expect(await search("datasets.name = 'mnist'")).toEqual(['r4']);
    expect(await search("datasets.digest LIKE 'abc%' AND datasets.context IN ('train')")).toEqual(['r4']);
    expect(await search("datasets.name != 'mnist'")).toEqual([]);
  });

  it('binds AND tighter than OR, and honours parentheses', async () => {
    expect(await search("params.opt = 'adam' OR tags.team = 'ml' AND metrics.acc < 0.6")).toEqual(['r2', 'r1']);
    expect(await search("(params.opt = 'adam' OR tags.team = 'ml') AND metrics.acc < 0.6")).toEqual(['r2']);
    expect(await search("metrics.acc > 0.8 OR (params.lr = '0.01' AND tags.team = 'data')")).toEqual(['r3', 'r1']);
  });

  it('combines a driving clause with the rest', async () => {
    expect(await search("params.lr = '0.01' AND metrics.acc > 0.5 AND attributes.status = 'FINISHED'")).toEqual(['r1']);
    expect(await search("attributes.run_id = 'r2' AND params.opt = 'sgd'")).toEqual(['r2']);
    expect(await search("metrics.acc > 0.1 AND metrics.acc < 0.8 AND tags.team != 'x'")).toEqual(['r2']);
    expect(await search("params.lr = '0.01' AND (attributes.status = 'RUNNING' OR metrics.acc > 0.8)")).toEqual(['r3', 'r1']);
    expect(await search("params.lr = '0.01' AND metrics.loss IS NULL")).toEqual(['r3']);
    expect(await search("datasets.name = 'mnist' AND params.opt IS NOT NULL AND tags.team = 'Data'")).toEqual(['r4']);
    expect(await search("datasets.name = 'mnist' AND datasets.context = 'eval'")).toEqual(['r4']);
    expect(await count("params.lr = '0.01' AND metrics.acc > 0.5")).toBe(1);
    expect(await count("datasets.name = 'mnist'")).toBe(1);
    // An OR of indexable comparisons drives as a UNION; other ORs are lists on r.
    expect(await search("params.opt = 'sgd' OR tags.team = 'ml' OR metrics.acc > 0.8")).toEqual(['r2', 'r1']);
    expect(await search("(params.lr = '0.01' OR datasets.name = 'mnist') AND tags.team != 'ML'")).toEqual(['r4', 'r3']);
    expect(await search("(params.opt = 'sgd' OR attributes.status = 'RUNNING') AND (tags.team = 'ml' OR metrics.acc IS NULL)")).toEqual(['r2']);
    expect(await count("params.lr = '0.01' OR metrics.acc = 0.5")).toBe(3);
  });

  it('treats SQL-looking values and keys as data', async () => {
    expect(await search(`params.opt = "x' OR '1'='1"`)).toEqual(['r4']);
    expect(await search("params.opt = 'x'' OR ''1''=''1'")).toEqual(['r4']);
    expect(await search("params.`weird key; --` = 'v'")).toEqual(['r4']);
    expect(await search("tags.`x'; DROP TABLE runs; --` = 'y' OR params.lr = '0.1'")).toEqual(['r2']);
    const q = compileRunSearch({
      experimentIds: ["1' OR '1'='1"], filter: parseFilter("tags.`a; DROP TABLE runs` = 'b'"), orderBy: parseOrderBy(["params.`k'--`"]),
      lifecycle: 'active', limit: 10, offset: 0,
    }, db.dialect);
    expect(q.sql).not.toMatch(/DROP|'1'|k'--/);
    expect(q.params).toContain('a; DROP TABLE runs');
    expect(await db.all(q.sql, q.params)).toEqual([]);
    expect(await search('')).toHaveLength(4);
  });

  it('orders by a metric with NaN and then missing values last, either way', async () => {
    expect(await search('', { orderBy: ['metrics.acc DESC'] })).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(await search('', { orderBy: ['metrics.acc ASC'] })).toEqual(['r2', 'r1', 'r3', 'r4']);
    // r5 ties r1 on acc: start_time DESC breaks the tie.
    expect(await search('', { orderBy: ['metrics.acc DESC'], lifecycle: 'all' })).toEqual(['r5', 'r1', 'r2', 'r3', 'r4']);
  });

  it('orders by params, tags and attributes with missing values last', async () => {
    expect(await search('', { orderBy: ['params.opt'] })).toEqual(['r1', 'r2', 'r4', 'r3']);
    expect(await search('', { orderBy: ['params.opt DESC'] })).toEqual(['r4', 'r2', 'r1', 'r3']);
    expect(await search('', { orderBy: ['attributes.end_time DESC'] })).toEqual(['r4', 'r2', 'r1', 'r3']);
    expect(await search('', { orderBy: ['end_time'] })).toEqual(['r1', 'r2', 'r4', 'r3']);
    expect(await search('', { orderBy: ['run_name'] })).toEqual(['r1', 'r2', 'r4', 'r3']);
    expect(await search('', { orderBy: ['start_time ASC'] })).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(await search('', { orderBy: ['attributes.user_id DESC', 'metrics.acc DESC'] })).toEqual(['r2', 'r1', 'r3', 'r4']);
  });

  it('pages stably through ties', async () => {
    const all = await search('', { experimentIds: ['3'], orderBy: ['metrics.m DESC'] });
    expect(all).toEqual([...all].sort());
    expect(all).toHaveLength(12);
    const pages: string[] = [];
    for (let offset = 0; offset < 12; offset += 5) {
      pages.push(...(await search('', { experimentIds: ['3'], orderBy: ['metrics.m DESC'], limit: 5, offset })));
    }
    expect(pages).toEqual(all);
    expect(await search('', { experimentIds: ['3'], limit: 5, offset: 10 })).toEqual(all.slice(10));
  });

  it('counts matches with the same filter', async () => {
    expect(await count('')).toBe(4);
    expect(await count("tags.team ILIKE 'ml' OR metrics.acc IS NULL")).toBe(3);
    expect(await count('metrics.acc > 0.5', ['1', '2'])).toBe(2);
  });

  it('rejects an empty experiment list and bad paging', () => {
    const base = { experimentIds: ['1'], filter: null, orderBy: [], lifecycle: 'active' as const, limit: 10, offset: 0 };
    expect(() => compileRunSearch({ ...base, experimentIds: [] }, db.dialect)).toThrow(InvalidArgument);
    expect(() => compileRunSearch({ ...base, limit: 0 }, db.dialect)).toThrow(/limit must be a positive integer/);
    expect(() => compileRunSearch({ ...base, offset: -1 }, db.dialect)).toThrow(/offset must be a non-negative integer/);
  });
});
