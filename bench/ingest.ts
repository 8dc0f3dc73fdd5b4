/**
 * Ingest benchmark: metric points per second from the TypeScript SDK through
 * the HTTP API into SQLite, beside raw node:sqlite inserts of the same rows
 * into the same database file.
 *
 *   npm run build && node dist/bench/ingest.js [--batch 50000] [--reps 3] [--profile]
 *
 * 4 runs log concurrently, 250,000 points each (5 keys × 50,000 steps), with
 * the server in a child process. The clock runs from the first `log` to the
 * last `end()` resolving; every point is then counted back. `--profile` adds a
 * trial with the server's V8 CPU profiler on during the timed window and
 * prints where its time went.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Cairn } from '../src/sdk/cairn.js';
import { SqliteDb } from '../src/storage/sqlite-db.js';
import { fmtInt, printMachine, printTable, writeResult } from './lib/bench-report.js';
import { summarizeProfile, type ProfileSummary } from './lib/cpu-profile.js';
import { startServerProcess } from './lib/server-process.js';
import { withTempDir } from './lib/temp-dir.js';

const RUNS = 4;
const KEYS = ['loss', 'accuracy', 'learning_rate', 'grad_norm', 'val_loss'] as const;
const STEPS = 50_000;
const POINTS_PER_RUN = STEPS * KEYS.length;
const TOTAL = RUNS * POINTS_PER_RUN;
const RAW_TX_ROWS = 50_000;

/** One run's points: values in step-major, key-minor order; timestamp = t0 + step. */
interface RunData { readonly values: Float64Array; readonly t0: number }

function makeData(): RunData[] {
  const t0 = Date.now();
  return Array.from({ length: RUNS }, (_, r) => {
    const values = new Float64Array(POINTS_PER_RUN);
    for (let i = 0; i < values.length; i++) values[i] = Math.random() / (1 + (i / KEYS.length) * 1e-4) + r;
    return { values, t0 };
  });
}

interface Trial {
  readonly batchPoints: number;
  readonly seconds: number;
  readonly pointsPerSecond: number;
  readonly clientCpuSeconds: number;
  readonly serverCpuSeconds: number;
  readonly rawSeconds: number;
  readonly rawRowsPerSecond: number;
  readonly ratio: number;
}

/** Logs one run's points the way a training loop does, yielding to the event loop now and then. */
async function logRun(run: Awaited<ReturnType<Cairn['startRun']>>, d: RunData): Promise<void> {
  const v = d.values;
  for (let step = 0, i = 0; step < STEPS; step++, i += 5) {
    run.log({ loss: v[i] as number, accuracy: v[i + 1] as number, learning_rate: v[i + 2] as number, grad_norm: v[i + 3] as number, val_loss: v[i + 4] as number },
      { step, timestamp: d.t0 + step });
    if (step % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  await run.end();
}

/** The anchor: the same rows inserted one by one with a prepared statement, a transaction per 50,000 rows. */
function rawInsert(dbFile: string, runIds: readonly string[], data: readonly RunData[]): number {
  const db = new SqliteDb(dbFile);
  const conn = db.raw;
  conn.exec('DROP TABLE IF EXISTS raw_points');
  conn.exec('CREATE TABLE raw_points (run_id TEXT NOT NULL, key TEXT NOT NULL, step INTEGER NOT NULL, timestamp INTEGER NOT NULL, value REAL)');
  const insert = conn.prepare('INSERT INTO raw_points (run_id, key, step, timestamp, value) VALUES (?, ?, ?, ?, ?)');
  const t0 = performance.now();
  let inTx = 0;
  conn.exec('BEGIN');
  for (let r = 0; r < RUNS; r++) {
    const id = runIds[r] as string;
    const { values, t0: ts0 } = data[r] as RunData;
    for (let step = 0, i = 0; step < STEPS; step++) {
      for (let k = 0; k < KEYS.length; k++, i++) {
        insert.run(id, KEYS[k] as string, step, ts0 + step, values[i] as number);
        if (++inTx === RAW_TX_ROWS) { conn.exec('COMMIT'); conn.exec('BEGIN'); inTx = 0; }
      }
    }
  }
  conn.exec('COMMIT');
  const seconds = (performance.now() - t0) / 1000;
  const n = (conn.prepare('SELECT COUNT(*) AS n FROM raw_points').get() as { n: number }).n;
  if (n !== TOTAL) throw new Error(`raw anchor stored ${n} rows, expected ${TOTAL}`);
  conn.close();
  return seconds;
}

interface TrialOptions { readonly warmup?: boolean; readonly profile?: boolean }

async function trial(batchPoints: number, data: readonly RunData[], opts: TrialOptions = {}): Promise<Trial & { profile?: ProfileSummary }> {
  return withTempDir('ingest', async (dir) => {
    const dbFile = join(dir, 'cairn.db');
    const server = await startServerProcess({ db: dbFile, artifacts: join(dir, 'art') });
    let runIds: string[];
    let seconds: number;
    let clientCpu: number;
    let serverCpu: number;
    let profile: ProfileSummary | undefined;
    try {
      const cairn = new Cairn({ url: server.url, token: null, flush: { maxBatchPoints: batchPoints, flushIntervalMs: 1_000 } });
      const runs = await Promise.all(data.map((_, r) => cairn.startRun({ experiment: 'ingest-bench', name: `run-${r}` })));
      runIds = runs.map((r) => r.id);
      if (opts.profile) await server.startProfile();
      const server0 = await server.cpuMs();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await Promise.all(runs.map((run, r) => logRun(run, data[r] as RunData)));
      seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      clientCpu = (cpu.user + cpu.system) / 1e6;
      serverCpu = ((await server.cpuMs()) - server0) / 1000;
      if (opts.profile) {
        const file = join(dir, 'server.cpuprofile');
        await server.stopProfile(file);
        profile = summarizeProfile(file);
      }
      for (const id of runIds) {
        for (const key of KEYS) {
          const h = await cairn.api.getMetricHistory(id, key);
          if (h.steps.length !== STEPS) throw new Error(`run ${id} '${key}': stored ${h.steps.length} points, expected ${STEPS}`);
        }
      }
    } finally {
      await server.stop();
    }
    const rawSeconds = opts.warmup ? seconds : rawInsert(dbFile, runIds, data);
    const pointsPerSecond = TOTAL / seconds;
    const rawRowsPerSecond = TOTAL / rawSeconds;
    return {
      batchPoints, seconds, pointsPerSecond, clientCpuSeconds: clientCpu, serverCpuSeconds: serverCpu,
      rawSeconds, rawRowsPerSecond, ratio: pointsPerSecond / rawRowsPerSecond, ...(profile ? { profile } : {}),
    };
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

interface BatchSummary {
  readonly batchPoints: number;
  readonly trials: number;
  readonly medianPointsPerSecond: number;
  readonly medianRawRowsPerSecond: number;
  readonly medianRatio: number;
  readonly bestPointsPerSecond: number;
}

function summarize(batchPoints: number, ts: readonly Trial[]): BatchSummary {
  return {
    batchPoints,
    trials: ts.length,
    medianPointsPerSecond: median(ts.map((t) => t.pointsPerSecond)),
    medianRawRowsPerSecond: median(ts.map((t) => t.rawRowsPerSecond)),
    medianRatio: median(ts.map((t) => t.ratio)),
    bestPointsPerSecond: Math.max(...ts.map((t) => t.pointsPerSecond)),
  };
}

function printProfile(p: ProfileSummary): void {
  console.log(`\nserver CPU profile of the timed window (${fmtInt(p.totalMs)} ms sampled, idle included):`);
  printTable(['where', 'ms', '%'], p.categories.map((c) => [c.name, fmtInt(c.ms), c.percent.toFixed(1)]));
  console.log('\ntop functions by self time:');
  printTable(['function', 'ms', '%'], p.topFunctions.map((c) => [c.name, fmtInt(c.ms), c.percent.toFixed(1)]));
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: { batch: { type: 'string', multiple: true }, reps: { type: 'string', default: '3' }, profile: { type: 'boolean', default: false } },
  });
  const batches = args.batch?.map(Number) ?? [25_000, 50_000, 100_000];
  const reps = Number(args.reps);
  printMachine();
  console.log(`ingest: ${RUNS} concurrent runs × ${fmtInt(POINTS_PER_RUN)} points (${KEYS.length} keys × ${fmtInt(STEPS)} steps) = ${fmtInt(TOTAL)} points, SDK → HTTP → SQLite`);
  console.log(`anchor: the same rows inserted one by one with node:sqlite into the same database file, ${fmtInt(RAW_TX_ROWS)} rows per transaction`);
  const data = makeData();
  const w = await trial(batches[0] as number, data, { warmup: true });
  console.log(`  warm-up (not counted): ${fmtInt(w.pointsPerSecond)} points/s`);
  const trials: Trial[] = [];
  // Round-robin over batch sizes, so drift in the machine affects each alike.
  for (let i = 0; i < reps; i++) {
    for (const b of batches) {
      const t = await trial(b, data);
      trials.push(t);
      console.log(`  batch ${fmtInt(b).padStart(7)}: ${fmtInt(t.pointsPerSecond).padStart(9)} points/s (${t.seconds.toFixed(2)} s; CPU client ${t.clientCpuSeconds.toFixed(2)} s, server ${t.serverCpuSeconds.toFixed(2)} s) | raw ${fmtInt(t.rawRowsPerSecond)} rows/s | ratio ${pct(t.ratio)}`);
    }
  }
  const byBatch = batches.map((b) => summarize(b, trials.filter((t) => t.batchPoints === b)));
  const best = byBatch.reduce((a, b) => (b.medianPointsPerSecond > a.medianPointsPerSecond ? b : a));
  console.log(`\nmedians over ${reps} trials per batch size:`);
  printTable(['maxBatchPoints', 'Cairn points/s', 'raw rows/s', 'Cairn / raw', 'best Cairn points/s'], byBatch.map((s) => [
    fmtInt(s.batchPoints), fmtInt(s.medianPointsPerSecond), fmtInt(s.medianRawRowsPerSecond), pct(s.medianRatio), fmtInt(s.bestPointsPerSecond),
  ]));
  console.log('');
  printTable(['figure', 'measured (median, best batch size)', 'target'], [
    ['Cairn end to end', `${fmtInt(best.medianPointsPerSecond)} points/s (maxBatchPoints ${fmtInt(best.batchPoints)})`, '≥ 1,000,000 points/s'],
    ['anchor: raw node:sqlite inserts, same file', `${fmtInt(best.medianRawRowsPerSecond)} rows/s`, ''],
    ['Cairn / raw', pct(best.medianRatio), '≥ 60%'],
  ]);

  let profile: ProfileSummary | undefined;
  if (args.profile) {
    const t = await trial(best.batchPoints, data, { profile: true });
    console.log(`\nprofiled trial (maxBatchPoints ${fmtInt(t.batchPoints)}): ${fmtInt(t.pointsPerSecond)} points/s with the server's profiler on`);
    profile = t.profile;
    if (profile) printProfile(profile);
  }
  const out = writeResult('ingest', {
    workload: { runs: RUNS, keys: KEYS.length, steps: STEPS, points: TOTAL, rawTransactionRows: RAW_TX_ROWS },
    targets: { pointsPerSecond: 1_000_000, ratioToRaw: 0.6 },
    best,
    byBatch,
    trials,
    ...(profile ? { serverProfile: profile } : {}),
  });
  console.log(`\nwrote ${out}`);
}

await main();
