/**
 * HPO storage overhead (random sampler, so the figures are storage, not
 * algorithm):
 *
 * 1. SQLite, one process: per-trial overhead (ask + 6 suggests + tell, each
 *    trial a Cairn run) over trials 901–1,000 of a 6-dim study. Goal ≤ 2 ms.
 *    Anchor, same run and file: one full reload of the study's trials
 *    (what every ask would pay without the incremental cache).
 * 2. PostgreSQL, 8 workers (8 services, each with its own connection pool,
 *    as 8 worker processes would have, all in this one Node process), a
 *    no-op objective: trials/s. Goal ≥ 200. Two variants: the random sampler
 *    and no params (storage alone), and TPE (the default sampler) with the
 *    six define-by-run suggests of part 1 (what a real study costs).
 *
 *   npm run build && CAIRN_TEST_PG_URL=postgres://… node dist/bench/hpo-storage.js [--trials 1000] [--seconds 10]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteDb } from '../src/storage/sqlite-db.js';
import { PostgresDb } from '../src/storage/postgres-db.js';
import { migrate } from '../src/storage/migration.js';
import { MIGRATIONS } from '../src/storage/migrations/index.js';
import { Study, type TrialHandle } from '../src/sdk/study.js';
import type { Db } from '../src/storage/db.js';
import { createTestPostgres } from '../src/testing/postgres.js';
import { fmtInt, fmtMs, printMachine, printTable, stats, writeResult } from './lib/bench-report.js';
import { withTempDir } from './lib/temp-dir.js';
import { hpoServices as services } from './lib/hpo-services.js';

const { values: args } = parseArgs({ options: { trials: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '10' } } });
const TRIALS = Number(args.trials);
const SECONDS = Number(args.seconds);

async function objective(t: TrialHandle): Promise<number> {
  const lr = await t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  const layers = await t.suggestInt('layers', 1, 8);
  const width = await t.suggestInt('width', 16, 1024, { log: true });
  const dropout = await t.suggestFloat('dropout', 0, 0.5, { step: 0.05 });
  const opt = await t.suggestCategorical('optimizer', ['sgd', 'adam', 'adamw']);
  const wd = await t.suggestFloat('weight_decay', 1e-6, 1e-2, { log: true });
  return Math.log10(lr) ** 2 + layers / width + dropout + (opt === 'adam' ? 0 : 0.1) + wd;
}

async function sqlitePerTrial(dir: string) {
  const db = new SqliteDb(join(dir, 'hpo.db'));
  try {
    await migrate(db, MIGRATIONS);
    const { hpo, store } = services(db, dir);
    const times: number[] = [];
    // Fill the study to TRIALS - 100, then time the last 100 trial by trial.
    const tail = await Study.create(hpo, { name: 'bench-sqlite-tail', sampler: { name: 'random', options: { seed: 2 } } });
    await tail.optimize(objective, { nTrials: TRIALS - 100 });
    for (let i = 0; i < 100; i++) {
      const last = performance.now();
      await tail.optimize(objective, { nTrials: 1 });
      times.push(performance.now() - last);
    }
    const reload: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await store.loadTrials(tail.record.id, 0);
      reload.push(performance.now() - t0);
    }
    return { perTrial: stats(times), fullReload: stats(reload) };
  } finally {
    await db.close();
  }
}

interface PgVariant {
  readonly study: string;
  readonly sampler: string;
  readonly objective: (t: TrialHandle) => Promise<number>;
}

const PG_VARIANTS: readonly PgVariant[] = [
  { study: 'bench-pg-random', sampler: 'random', objective: async () => 0 },
  { study: 'bench-pg-tpe', sampler: 'tpe', objective: async (t) => { await objective(t); return 0; } },
];

async function postgresThroughput(dir: string, v: PgVariant) {
  const pg = await createTestPostgres();
  const dbs: Db[] = [];
  try {
    const first = new PostgresDb(pg.url);
    dbs.push(first);
    await migrate(first, MIGRATIONS);
    await services(first, dir).hpo.createStudy({ name: v.study, sampler: { name: v.sampler, options: { seed: 3 } } });
    for (let i = 1; i < 8; i++) dbs.push(new PostgresDb(pg.url));
    const workers = dbs.map((db) => services(db, dir).hpo);
    let done = 0;
    const until = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(workers.map(async (hpo, w) => {
      const study = await Study.load(hpo, v.study);
      while (performance.now() < until) {
        await study.optimize(v.objective, { nTrials: 1, worker: `w${w}` });
        done++;
      }
    }));
    const secs = (performance.now() - t0) / 1000;
    const trials = await workers[0]?.listTrials(v.study);
    const unique = new Set(trials?.map((t) => t.number)).size;
    return { sampler: v.sampler, trials: done, seconds: secs, trialsPerSecond: done / secs, distinctTrialNumbers: unique };
  } finally {
    for (const db of dbs) await db.close();
    await pg.drop();
  }
}

await withTempDir('cairn-bench-hpo-', async (dir) => {
  printMachine();
  const s = await sqlitePerTrial(dir);
  printTable(['SQLite, 6 params, random sampler', 'p50', 'p95', 'max'], [
    [`ask + 6 suggests + tell, trials ${TRIALS - 99}–${TRIALS}`, fmtMs(s.perTrial.p50), fmtMs(s.perTrial.p95), fmtMs(s.perTrial.max)],
    [`anchor: one full reload of ${TRIALS} trials`, fmtMs(s.fullReload.p50), fmtMs(s.fullReload.p95), fmtMs(s.fullReload.max)],
  ]);
  const pgFigures: Awaited<ReturnType<typeof postgresThroughput>>[] = [];
  if (process.env.CAIRN_TEST_PG_URL) {
    for (const v of PG_VARIANTS) pgFigures.push(await postgresThroughput(dir, v));
    printTable(['PostgreSQL, 8 workers in one process, no-op objective', 'trials', 'seconds', 'trials/s'], pgFigures.map((f) => [
      f.sampler === 'random' ? 'random sampler, no params: ask + tell' : 'TPE, 6 suggests: ask + suggests + tell',
      fmtInt(f.trials), f.seconds.toFixed(1), f.trialsPerSecond.toFixed(0),
    ]));
  } else {
    console.log('CAIRN_TEST_PG_URL is unset: skipping the PostgreSQL throughput figures');
  }
  console.log(`wrote ${writeResult('hpo-storage', { trials: TRIALS, sqlite: s, postgres: pgFigures.length > 0 ? pgFigures : null })}`);
});
