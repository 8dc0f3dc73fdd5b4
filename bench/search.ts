/**
 * Search benchmark: 100,000 runs × 20 params × 20 metrics (+ 4 tags) in
 * SQLite, searched through the TrackingService in process.
 *
 *   npm run build && node dist/bench/search.js [--runs 100000] [--reps 30] [--no-what-if]
 *
 * Anchors, measured in the same run on the same file: the SQL the compiler
 * emits, executed directly on node:sqlite (the service's own overhead is the
 * difference), and a hand-written INTERSECT form of the target query. After
 * the load the database gets the planner statistics production gives it
 * (`optimize`, as `migrate` and the server run it); a what-if section first
 * measures the shapes without them, as a freshly loaded file would be.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DatabaseSync } from 'node:sqlite';
import { SqliteDb } from '../src/storage/sqlite-db.js';
import { migrate, optimize } from '../src/storage/migration.js';
import { MIGRATIONS } from '../src/storage/migrations/index.js';
import { LocalBlobStore } from '../src/artifacts/index.js';
import { SqlTrackingStore } from '../src/tracking/sql-tracking-store.js';
import { TrackingService } from '../src/tracking/tracking-service.js';
import { compileRunCount, compileRunSearch, parseFilter, parseOrderBy } from '../src/tracking/search/index.js';
import type { SqlValue } from '../src/storage/db.js';
import { fmtInt, fmtMs, printMachine, printTable, stats, timeReps, writeResult, type Stats } from './lib/bench-report.js';
import { loadSearchFixture, seeded } from './lib/search-fixture.js';
import { withTempDir } from './lib/temp-dir.js';

interface Shape { readonly name: string; readonly filter: string; readonly orderBy: readonly string[] }

const TARGET: Shape = {
  name: '3 clauses, order by metric (target)',
  filter: "metrics.m1 > 0.5 and params.p2 = 'v3' and tags.t1 = 'x'",
  orderBy: ['metrics.m3 DESC'],
};
const SHAPES: readonly Shape[] = [
  TARGET,
  { name: '1 metric clause, order by metric', filter: 'metrics.m1 > 0.99', orderBy: ['metrics.m3 DESC'] },
  { name: '1 param clause, newest first', filter: "params.p4 = 'v7'", orderBy: [] },
  { name: 'OR of param and tag, order by metric', filter: "params.p2 = 'v3' or tags.t1 = 'x'", orderBy: ['metrics.m3 DESC'] },
  { name: 'LIKE on a tag, newest first', filter: "tags.model LIKE 'resnet%'", orderBy: [] },
  { name: 'attribute, order by param', filter: "attributes.status = 'FAILED'", orderBy: ['params.p5 ASC'] },
  { name: 'no filter, order by metric', filter: '', orderBy: ['metrics.m3 DESC'] },
  { name: 'no filter, newest first', filter: '', orderBy: [] },
];
const PAGE = 100;

interface ShapeResult { readonly name: string; readonly filter: string; readonly orderBy: readonly string[]; readonly matches: number; readonly selectivity: number; readonly service: Stats; readonly rawCompiledSql: Stats }

function compiled(db: SqliteDb, experimentId: string, s: Shape) {
  const q = { experimentIds: [experimentId], filter: parseFilter(s.filter), orderBy: parseOrderBy(s.orderBy), lifecycle: 'active' as const, limit: PAGE + 1, offset: 0 };
  return { search: compileRunSearch(q, db.dialect), count: compileRunCount(q, db.dialect) };
}

const bindAll = (params: readonly SqlValue[]) => params as (string | number)[];

function rawTimes(conn: DatabaseSync, sql: string, params: readonly SqlValue[], reps: number): Promise<number[]> {
  const st = conn.prepare(sql);
  return timeReps(reps, 2, async () => st.all(...bindAll(params)));
}

async function measureShapes(db: SqliteDb, svc: TrackingService, experimentId: string, runs: number, reps: number, shapes: readonly Shape[]): Promise<ShapeResult[]> {
  const out: ShapeResult[] = [];
  for (const s of shapes) {
    const { search, count } = compiled(db, experimentId, s);
    const matches = Number((db.raw.prepare(count.sql).get(...bindAll(count.params)) as { n: number }).n);
    const page = await svc.searchRuns({ experimentIds: [experimentId], filter: s.filter, orderBy: s.orderBy, maxResults: PAGE });
    if (page.items.length !== Math.min(PAGE, matches)) throw new Error(`${s.name}: got ${page.items.length} runs, expected ${Math.min(PAGE, matches)}`);
    const service = stats(await timeReps(reps, 2, () => svc.searchRuns({ experimentIds: [experimentId], filter: s.filter, orderBy: s.orderBy, maxResults: PAGE })));
    const rawCompiledSql = stats(await rawTimes(db.raw, search.sql, search.params, reps));
    out.push({ name: s.name, filter: s.filter, orderBy: s.orderBy, matches, selectivity: matches / runs, service, rawCompiledSql });
    console.log(`  ${s.name}: p50 ${fmtMs(service.p50)}, p95 ${fmtMs(service.p95)} (raw compiled SQL p50 ${fmtMs(rawCompiledSql.p50)}); ${fmtInt(matches)} matches`);
  }
  return out;
}

/**
 * The target query written by hand: the three clauses intersected first, and
 * the runs reached from that set (CROSS JOIN keeps SQLite from scanning runs).
 */
function intersectSql(experimentId: string): { sql: string; params: SqlValue[] } {
  return {
    sql: `SELECT r.id FROM (
        SELECT run_id FROM params WHERE key = ? AND value = ?
        INTERSECT SELECT run_id FROM run_tags WHERE key = ? AND value = ?
        INTERSECT SELECT run_id FROM latest_metrics WHERE key = ? AND value > ?) m
      CROSS JOIN runs r ON r.id = m.run_id
      LEFT JOIN latest_metrics o0 ON o0.run_id = r.id AND o0.key = ?
      WHERE r.experiment_id = ? AND r.lifecycle = 'active'
      ORDER BY CASE WHEN o0.run_id IS NULL THEN 2 WHEN o0.is_nan = 1 THEN 1 ELSE 0 END, o0.value DESC, r.start_time DESC, r.id ASC LIMIT ${PAGE + 1}`,
    params: ['p2', 'v3', 't1', 'x', 'm1', 0.5, 'm3', experimentId],
  };
}

function plan(conn: DatabaseSync, sql: string, params: readonly SqlValue[]): string[] {
  return (conn.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...bindAll(params)) as { detail: string }[]).map((r) => r.detail);
}

async function getRunFigures(svc: TrackingService, conn: DatabaseSync, ids: readonly string[], reps: number) {
  const rnd = seeded(7);
  const pickId = () => ids[Math.floor(rnd() * ids.length)] as string;
  const service = stats(await timeReps(reps, 20, () => svc.getRun(pickId())));
  const q = ['SELECT * FROM runs WHERE id = ?', 'SELECT key, value FROM params WHERE run_id = ?', 'SELECT key, value FROM run_tags WHERE run_id = ?',
    'SELECT * FROM latest_metrics WHERE run_id = ? ORDER BY key'].map((s) => conn.prepare(s));
  const raw = stats(await timeReps(reps, 20, async () => {
    const id = pickId();
    for (const s of q) s.all(id);
  }));
  return { service, rawFourSelects: raw };
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '100000' }, reps: { type: 'string', default: '30' }, 'no-what-if': { type: 'boolean', default: false } } });
  const runs = Number(args.runs);
  const reps = Number(args.reps);
  printMachine();
  await withTempDir('search', async (dir) => {
    const db = new SqliteDb(join(dir, 'cairn.db'));
    try {
      await migrate(db, MIGRATIONS);
      let t0 = performance.now();
      const fx = loadSearchFixture(db.raw, runs);
      const loadSeconds = (performance.now() - t0) / 1000;
      console.log(`loaded ${fmtInt(runs)} runs × 20 params × 20 metrics × 4 tags in ${loadSeconds.toFixed(1)} s`);
      const svc = new TrackingService({ store: new SqlTrackingStore(db), blobs: new LocalBlobStore(join(dir, 'artifacts')) });

      let whatIf: { shapes: ShapeResult[]; targetPlan: string[] } | null = null;
      if (!args['no-what-if']) {
        console.log(`\nwhat-if: no planner statistics (a freshly loaded file), page of ${PAGE}, ${reps} repetitions each:`);
        const s0 = await measureShapes(db, svc, fx.experimentId, runs, reps, SHAPES);
        const q0 = compiled(db, fx.experimentId, TARGET).search;
        whatIf = { shapes: s0, targetPlan: plan(db.raw, q0.sql, q0.params) };
      }
      t0 = performance.now();
      await optimize(db);
      const optimizeSeconds = (performance.now() - t0) / 1000;
      console.log(`\noptimize (${db.dialect.optimize ?? 'none'}) in ${optimizeSeconds.toFixed(1)} s`);

      console.log(`\nsearchRuns through TrackingService, page of ${PAGE}, ${reps} repetitions each:`);
      const shapes = await measureShapes(db, svc, fx.experimentId, runs, reps, SHAPES);
      const target = shapes[0] as ShapeResult;
      const tq = compiled(db, fx.experimentId, TARGET).search;
      const targetPlan = plan(db.raw, tq.sql, tq.params);
      const hand = intersectSql(fx.experimentId);
      const handStats = stats(await rawTimes(db.raw, hand.sql, hand.params, reps));
      const getRun = await getRunFigures(svc, db.raw, fx.runIds, Math.max(reps, 200));

      console.log('');
      printTable(['figure', 'p50', 'p95', 'target', 'anchor (same run)'], [
        [`search: ${TARGET.filter}, ${TARGET.orderBy.join(', ')}; ${(target.selectivity * 100).toFixed(2)}% match`, fmtMs(target.service.p50), fmtMs(target.service.p95), '≤ 50 ms',
          `compiled SQL on node:sqlite ${fmtMs(target.rawCompiledSql.p50)}; hand-written INTERSECT ${fmtMs(handStats.p50)}`],
        ['getRun', fmtMs(getRun.service.p50), fmtMs(getRun.service.p95), '≤ 2 ms', `4 raw SELECTs ${fmtMs(getRun.rawFourSelects.p50)}`],
      ]);
      console.log(`\nEXPLAIN QUERY PLAN of the target query as compiled:\n  ${targetPlan.join('\n  ')}`);
      const out = writeResult('search', {
        workload: { runs, paramsPerRun: 20, metricsPerRun: 20, tagsPerRun: 4, page: PAGE, reps, loadSeconds, optimizeSeconds },
        targets: { searchP50Ms: 50, getRunP50Ms: 2 },
        target: { ...target, handWrittenIntersect: handStats, plan: targetPlan, sql: tq.sql, handWrittenSql: hand.sql, handWrittenPlan: plan(db.raw, hand.sql, hand.params) },
        shapes,
        getRun,
        ...(whatIf ? { whatIfNoStatistics: whatIf } : {}),
      });
      console.log(`\nwrote ${out}`);
    } finally {
      await db.close();
    }
  });
}

await main();
