/**
 * The throughput figure with separate worker processes: "with
 * PostgreSQL and 8 workers, a no-op objective runs ≥ 200 trials/s". Each
 * worker is its own Node process (bench/hpo/worker-child.ts) running
 * `Study.optimize` one trial at a time, against one
 * PostgreSQL database, in three setups:
 *
 * - `direct`: each worker opens the services `cairn worker --db` opens (its own pg pool, every write audited);
 * - `http1`: each worker talks ask/tell over HTTP to one Cairn server child;
 * - `http2`: the same with two server replicas over the same database,
 *   workers split evenly between them.
 *
 * The workers run trials for `--warmup` seconds (each process compiles its
 * own code), then `--seconds` timed: the figure is the trials started in the
 * timed window over its length.
 *
 * Three variants: the no-op objective (no params) with the random
 * sampler and with TPE, the default sampler; and TPE with the six
 * define-by-run suggests of bench/hpo-storage.ts (more than a no-op: what a
 * real study's storage costs). Every trial is a Cairn run. `--enqueue` WAITING
 * trials are queued first, so the workers also race to claim them.
 * Checked after each setup: every trial number told exactly once, trials
 * dense from 0, all COMPLETE, each recorded as claimed by the worker that
 * told it, each with its own FINISHED run tagged with its number.
 *
 *   npm run build && CAIRN_TEST_PG_URL=postgres://… node dist/bench/hpo/workers.js [--workers 8] [--seconds 10] [--warmup 3] [--enqueue 100] [--setups direct,http1,http2] [--variants random,tpe,tpe-six]
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PostgresDb } from '../../src/storage/postgres-db.js';
import { migrate } from '../../src/storage/migration.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { createTestPostgres } from '../../src/testing/postgres.js';
import { fmtInt, printMachine, printTable, writeResult } from '../lib/bench-report.js';
import { hpoServices } from '../lib/hpo-services.js';
import { startServerProcess, type ServerProcess } from '../lib/server-process.js';
import { withTempDir } from '../lib/temp-dir.js';

const { values: args } = parseArgs({ options: {
  workers: { type: 'string', default: '8' }, seconds: { type: 'string', default: '10' }, warmup: { type: 'string', default: '3' }, enqueue: { type: 'string', default: '100' },
  setups: { type: 'string', default: 'direct,http1,http2' }, variants: { type: 'string', default: 'random,tpe,tpe-six' },
} });
const WORKERS = Number(args.workers);
const SECONDS = Number(args.seconds);
const WARMUP = Number(args.warmup);
const ENQUEUE = Number(args.enqueue);
const SETUPS = ['direct', 'http1', 'http2'] as const;
type Setup = (typeof SETUPS)[number];
const isSetup = (s: string): s is Setup => (SETUPS as readonly string[]).includes(s);
/** What each trial does: the sampler, and whether the objective suggests anything. */
const VARIANTS = {
  random: { sampler: 'random', objective: 'none', label: 'random, no params' },
  tpe: { sampler: 'tpe', objective: 'none', label: 'TPE (the default), no params' },
  'tpe-six': { sampler: 'tpe', objective: 'six', label: 'TPE, 6 suggests' },
} as const;
type Variant = keyof typeof VARIANTS;
const isVariant = (s: string): s is Variant => s in VARIANTS;
const CHILD = fileURLToPath(new URL('./worker-child.js', import.meta.url));
const LABEL: Record<Setup, string> = {
  direct: `${WORKERS} processes on the store directly (cairn worker --db: own pool, audited)`,
  http1: `${WORKERS} processes over HTTP, 1 server`,
  http2: `${WORKERS} processes over HTTP, 2 servers`,
};

interface ChildReport { readonly told: number[]; readonly timed: number; readonly cpuMs: number }

interface Figure {
  readonly setup: Setup;
  readonly variant: Variant;
  readonly sampler: string;
  readonly trials: number;
  readonly trialsInStudy: number;
  readonly seconds: number;
  readonly trialsPerSecond: number;
  readonly workerCpuMsPerTrial: number;
  readonly serverCpuMsPerTrial: number | null;
  readonly loadAvg1: number;
}

function startWorker(i: number, study: string, objective: string, target: string[]) {
  const child = fork(CHILD, ['--study', study, '--objective', objective, '--worker', `w${i}`, ...target], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<void>((res, rej) => {
    child.once('message', () => res());
    child.once('exit', (code) => rej(new Error(`worker w${i} exited with code ${code} before it was ready`)));
  });
  const report = ready.then(() => new Promise<ChildReport>((res, rej) => {
    child.once('message', (m) => res(m as ChildReport));
    child.once('exit', (code) => rej(new Error(`worker w${i} exited with code ${code} before reporting`)));
  }));
  report.catch(() => undefined);
  return { child, ready, report, go: (from: number, until: number) => child.send({ from, until }) };
}

/** Throws unless every told trial is told once, dense, COMPLETE, claimed by its teller and closed in its own run. */
async function check(db: PostgresDb, studyId: string, told: readonly (readonly number[])[]): Promise<void> {
  const teller = new Map<number, string>();
  told.forEach((nums, w) => {
    for (const n of nums) {
      if (teller.has(n)) throw new Error(`trial ${n} was told by w${w} and by ${teller.get(n)}`);
      teller.set(n, `w${w}`);
    }
  });
  const rows = await db.all<{ number: number; state: string; worker: string | null; run_id: string | null; status: string | null; tag: string | null }>(
    `SELECT t.number, t.state, t.worker, t.run_id, r.status, g.value AS tag FROM trials t
     LEFT JOIN runs r ON r.id = t.run_id LEFT JOIN run_tags g ON g.run_id = t.run_id AND g.key = 'cairn.trial.number'
     WHERE t.study_id = ? ORDER BY t.number`, [studyId]);
  if (rows.length !== teller.size) throw new Error(`the study has ${rows.length} trials but ${teller.size} were told`);
  const runs = new Set<string>();
  rows.forEach((r, i) => {
    const n = Number(r.number);
    if (n !== i) throw new Error(`trial numbers are not dense: ${n} at position ${i}`);
    if (r.state !== 'COMPLETE') throw new Error(`trial ${n} is ${r.state}`);
    if (r.worker !== teller.get(n)) throw new Error(`trial ${n} was claimed by ${r.worker} but told by ${teller.get(n)}`);
    if (!r.run_id || r.status !== 'FINISHED' || r.tag !== String(n)) throw new Error(`trial ${n}'s run ${r.run_id} is ${r.status}, tagged ${r.tag}`);
    runs.add(r.run_id);
  });
  if (runs.size !== rows.length) throw new Error(`${rows.length} trials share ${runs.size} runs`);
}

async function measure(dir: string, setup: Setup, variant: Variant): Promise<Figure> {
  const { sampler, objective } = VARIANTS[variant];
  const pg = await createTestPostgres();
  const db = new PostgresDb(pg.url, { max: 2 });
  const servers: ServerProcess[] = [];
  const workers: ReturnType<typeof startWorker>[] = [];
  try {
    await migrate(db, MIGRATIONS);
    const name = `bench-${setup}-${variant}`;
    const { hpo } = hpoServices(db, dir);
    const study = await hpo.createStudy({ name, sampler: { name: sampler, options: { seed: 3 } } });
    for (let i = 0; i < ENQUEUE; i++) await hpo.enqueue(name, {});
    const nServers = setup === 'http1' ? 1 : setup === 'http2' ? 2 : 0;
    for (let i = 0; i < nServers; i++) servers.push(await startServerProcess({ db: pg.url, artifacts: join(dir, 'artifacts') }));
    for (let i = 0; i < WORKERS; i++) {
      const target = setup === 'direct' ? ['--db', pg.url] : ['--server', (servers[i % servers.length] as ServerProcess).url];
      workers.push(startWorker(i, name, objective, target));
    }
    await Promise.all(workers.map((w) => w.ready));
    const from = Date.now() + WARMUP * 1000;
    const until = from + SECONDS * 1000;
    for (const w of workers) w.go(from, until);
    await new Promise((res) => setTimeout(res, from - Date.now()));
    const serverCpu0 = await Promise.all(servers.map((s) => s.cpuMs()));
    const reports = await Promise.all(workers.map((w) => w.report));
    const serverCpu = (await Promise.all(servers.map((s) => s.cpuMs()))).reduce((x, c, i) => x + c - (serverCpu0[i] ?? 0), 0);
    const loadAvg1 = loadavg()[0] ?? 0;
    const told = reports.map((r) => r.told);
    await check(db, study.id, told);
    const trials = reports.reduce((n, r) => n + r.timed, 0);
    return {
      setup, variant, sampler, trials, trialsInStudy: told.reduce((n, t) => n + t.length, 0), seconds: SECONDS, trialsPerSecond: trials / SECONDS,
      workerCpuMsPerTrial: reports.reduce((x, r) => x + r.cpuMs, 0) / trials,
      serverCpuMsPerTrial: nServers > 0 ? serverCpu / trials : null, loadAvg1,
    };
  } finally {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    for (const s of servers) await s.stop();
    await db.close();
    await pg.drop();
  }
}

const setups = (args.setups ?? '').split(',').filter(Boolean);
const bad = setups.find((s) => !isSetup(s));
if (bad !== undefined) throw new Error(`unknown setup '${bad}'; choose from ${SETUPS.join(', ')}`);
const variants = (args.variants ?? '').split(',').filter(Boolean);
const badVariant = variants.find((v) => !isVariant(v));
if (badVariant !== undefined) throw new Error(`unknown variant '${badVariant}'; choose from ${Object.keys(VARIANTS).join(', ')}`);
await withTempDir('hpo-workers', async (dir) => {
  printMachine();
  const figures: Figure[] = [];
  const loadAtStart = loadavg()[0] ?? 0;
  for (const setup of setups as Setup[]) {
    for (const variant of variants as Variant[]) {
      const f = await measure(dir, setup, variant);
      console.log(`${setup} ${variant}: ${f.trials} trials in ${f.seconds} s (after ${WARMUP} s warm-up) = ${f.trialsPerSecond.toFixed(0)}/s (load ${f.loadAvg1.toFixed(1)})`);
      figures.push(f);
    }
  }
  printTable([`PostgreSQL, ${WORKERS} worker processes, no-op objective`, 'sampler', 'trials', 'trials/s', 'worker CPU/trial', 'server CPU/trial'], figures.map((f) => [
    LABEL[f.setup], VARIANTS[f.variant].label, fmtInt(f.trials), f.trialsPerSecond.toFixed(0),
    `${f.workerCpuMsPerTrial.toFixed(2)} ms`, f.serverCpuMsPerTrial === null ? '–' : `${f.serverCpuMsPerTrial.toFixed(2)} ms`,
  ]));
  console.log(`all checks passed: each trial told once, by the worker that claimed it, and closed in its own run; load average ${loadAtStart.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}`);
  console.log(`wrote ${writeResult('hpo-workers', { workers: WORKERS, seconds: SECONDS, warmupSeconds: WARMUP, enqueued: ENQUEUE, loadAvg1AtStart: loadAtStart, figures })}`);
});
