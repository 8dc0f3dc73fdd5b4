/**
 * History benchmark: one run with a 1,000,000-point metric history,
 * downsampled on the server to 1,000 points keeping extremes.
 *
 *   npm run build && node dist/bench/history.js [--points 1000000] [--reps 30]
 *
 * Timed in process through `TrackingService.getMetricHistory` and, for
 * information, over HTTP against a server child on the same file. The anchor,
 * in the same database file: the same points as one row each (the way a
 * row-per-point store such as MLflow's keeps them) bucketed by a SQL
 * `GROUP BY` on node:sqlite, which returns the same min/max per bucket.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteDb } from '../src/storage/sqlite-db.js';
import { migrate } from '../src/storage/migration.js';
import { MIGRATIONS } from '../src/storage/migrations/index.js';
import { LocalBlobStore } from '../src/artifacts/index.js';
import { SqlTrackingStore } from '../src/tracking/sql-tracking-store.js';
import { TrackingService } from '../src/tracking/tracking-service.js';
import { HttpTrackingClient } from '../src/client/http-tracking-client.js';
import type { MetricSeries } from '../src/tracking/domain.js';
import { fmtInt, fmtMs, printMachine, printTable, stats, timeReps, writeResult } from './lib/bench-report.js';
import { seeded } from './lib/search-fixture.js';
import { startServerProcess } from './lib/server-process.js';
import { withTempDir } from './lib/temp-dir.js';

const KEY = 'loss';
const MAX_POINTS = 1_000;
const WRITE_BATCH = 100_000;

/** A noisy decaying loss curve with one spike and one dip at random steps: the global max and min. */
function makeSeries(n: number): { steps: Float64Array; timestamps: Float64Array; values: Float64Array; min: number; max: number } {
  const rnd = seeded(1234);
  const t0 = Date.UTC(2025, 0, 1);
  const steps = new Float64Array(n);
  const timestamps = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    steps[i] = i;
    timestamps[i] = t0 + i * 10;
    values[i] = 2 * Math.exp(-i / (n / 5)) + 0.1 + 0.05 * (rnd() - 0.5);
  }
  const spike = Math.floor(rnd() * n);
  const dip = Math.floor(rnd() * n);
  values[spike] = 50;
  values[dip] = -1;
  return { steps, timestamps, values, min: -1, max: 50 };
}

function checkExtremes(s: MetricSeries, min: number, max: number, where: string): void {
  if (s.values.length > MAX_POINTS) throw new Error(`${where}: ${s.values.length} points, more than ${MAX_POINTS}`);
  if (!s.values.includes(min) || !s.values.includes(max)) throw new Error(`${where}: the downsampled history lost the global min or max`);
  for (let i = 1; i < s.steps.length; i++) {
    if ((s.steps[i] as number) < (s.steps[i - 1] as number)) throw new Error(`${where}: points out of step order`);
  }
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { points: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '30' } } });
  const n = Number(args.points);
  const reps = Number(args.reps);
  printMachine();
  const data = makeSeries(n);
  await withTempDir('history', async (dir) => {
    const dbFile = join(dir, 'cairn.db');
    const db = new SqliteDb(dbFile);
    try {
      await migrate(db, MIGRATIONS);
      const svc = new TrackingService({ store: new SqlTrackingStore(db), blobs: new LocalBlobStore(join(dir, 'artifacts')) });
      const run = await svc.createRun({ experimentName: 'history-bench', name: 'long-run' });

      let t0 = performance.now();
      for (let at = 0; at < n; at += WRITE_BATCH) {
        const end = Math.min(n, at + WRITE_BATCH);
        await svc.logMetricSeries(run.id, [{
          key: KEY, steps: Array.from(data.steps.subarray(at, end)), timestamps: Array.from(data.timestamps.subarray(at, end)),
          values: Array.from(data.values.subarray(at, end)),
        }]);
      }
      const writeSeconds = (performance.now() - t0) / 1000;
      console.log(`wrote ${fmtInt(n)} points of '${KEY}' with logMetricSeries in batches of ${fmtInt(WRITE_BATCH)}: ${writeSeconds.toFixed(2)} s (${fmtInt(n / writeSeconds)} points/s)`);

      const down = () => svc.getMetricHistory(run.id, KEY, { maxPoints: MAX_POINTS });
      const first = await down();
      checkExtremes(first, data.min, data.max, 'in process');
      const inProcess = stats(await timeReps(reps, 3, down));
      const full = stats(await timeReps(Math.min(reps, 10), 1, async () => {
        const h = await svc.getMetricHistory(run.id, KEY);
        if (h.values.length !== n) throw new Error(`full history has ${h.values.length} points, expected ${n}`);
      }));
      console.log(`in process: downsampled to ${first.values.length} points, p50 ${fmtMs(inProcess.p50)}, p95 ${fmtMs(inProcess.p95)}; full history (no downsampling) p50 ${fmtMs(full.p50)}`);

      // The anchor: one row per point in the same file, bucketed by SQL.
      const conn = db.raw;
      conn.exec('CREATE TABLE raw_points (run_id TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL, value REAL)');
      const ins = conn.prepare('INSERT INTO raw_points (run_id, key, step, timestamp, value) VALUES (?, ?, ?, ?, ?)');
      conn.exec('BEGIN');
      for (let i = 0; i < n; i++) ins.run(run.id, KEY, data.steps[i] as number, data.timestamps[i] as number, data.values[i] as number);
      conn.exec('COMMIT');
      conn.exec('CREATE INDEX raw_points_run_key_step ON raw_points (run_id, key, step)');
      const buckets = MAX_POINTS / 4;
      const width = (n - 1) / buckets;
      const bucketSql = conn.prepare(`SELECT MIN(CAST(step / ? AS INTEGER), ?) AS b, MIN(value) AS lo, MAX(value) AS hi, MIN(step) AS first, MAX(step) AS last
        FROM raw_points WHERE run_id = ? AND key = ? GROUP BY b ORDER BY b`);
      const anchorRows = bucketSql.all(width, buckets - 1, run.id, KEY) as { lo: number; hi: number }[];
      if (!anchorRows.some((r) => r.lo === data.min) || !anchorRows.some((r) => r.hi === data.max)) throw new Error('anchor lost the extremes');
      const anchor = stats(await timeReps(reps, 3, async () => bucketSql.all(width, buckets - 1, run.id, KEY)));
      console.log(`anchor: SQL GROUP BY over ${fmtInt(n)} rows (${anchorRows.length} buckets × min/max) p50 ${fmtMs(anchor.p50)}`);

      const server = await startServerProcess({ db: dbFile, artifacts: join(dir, 'artifacts') });
      let http;
      try {
        const client = new HttpTrackingClient({ url: server.url });
        checkExtremes(await client.getMetricHistory(run.id, KEY, { maxPoints: MAX_POINTS }), data.min, data.max, 'over HTTP');
        http = stats(await timeReps(Math.max(20, reps), 3, () => client.getMetricHistory(run.id, KEY, { maxPoints: MAX_POINTS })));
      } finally {
        await server.stop();
      }
      console.log(`over HTTP (server child, same file): p50 ${fmtMs(http.p50)}, p95 ${fmtMs(http.p95)}\n`);

      printTable(['figure', 'p50', 'p95', 'target', 'anchor (same run)'], [
        [`getMetricHistory, ${fmtInt(n)} → ${first.values.length} points, in process`, fmtMs(inProcess.p50), fmtMs(inProcess.p95), '≤ 30 ms',
          `row-per-point SQL GROUP BY ${fmtMs(anchor.p50)}`],
        ['the same over HTTP (information)', fmtMs(http.p50), fmtMs(http.p95), '', ''],
        [`full history, ${fmtInt(n)} points, in process (information)`, fmtMs(full.p50), fmtMs(full.p95), '', ''],
      ]);
      const out = writeResult('history', {
        workload: { points: n, maxPoints: MAX_POINTS, returnedPoints: first.values.length, writeBatch: WRITE_BATCH, reps },
        targets: { downsampleP50Ms: 30 },
        write: { seconds: writeSeconds, pointsPerSecond: n / writeSeconds },
        downsampleInProcess: inProcess,
        downsampleHttp: http,
        fullHistoryInProcess: full,
        anchorSqlGroupBy: anchor,
        extremesKept: true,
      });
      console.log(`\nwrote ${out}`);
    } finally {
      await db.close();
    }
  });
}

await main();
