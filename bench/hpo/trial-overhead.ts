/**
 * The overhead figure: sampler plus storage time per trial of a
 * 6-dim TPE study on SQLite. Every trial is timed whole, through
 * `StudyService` in process: ask (which creates the trial's Cairn run),
 * six define-by-run `suggest`s, the objective (the sphere, ~µs) and `tell`
 * (which closes the run). Figures for trials 951–1,000 ("at trial 1,000")
 * and 501–1,000 (the Optuna anchor window). Anchor, same run:
 * Optuna's TPESampler doing the same through `study.ask`/`suggest_float`/
 * `study.tell` on an RDB SQLite file, and on its in-memory storage.
 * Wall time and the process's CPU time (user + system; SQLite runs in
 * process in both) per trial: on a shared machine the CPU time is the
 * steadier figure.
 *
 *   bash bench/hpo/setup.sh && node dist/bench/hpo/trial-overhead.js [--trials 1000] [--dims 6] [--no-optuna]
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Distribution } from '../../src/hpo/distributions.js';
import { migrate } from '../../src/storage/migration.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { SqliteDb } from '../../src/storage/sqlite-db.js';
import { fmtMs, printMachine, printTable, resultsDir, stats, writeResult, type Stats } from '../lib/bench-report.js';
import { hpoServices } from '../lib/hpo-services.js';
import { withTempDir } from '../lib/temp-dir.js';

const { values: args } = parseArgs({ options: {
  trials: { type: 'string', default: '1000' }, dims: { type: 'string', default: '6' }, 'no-optuna': { type: 'boolean', default: false },
} });
const TRIALS = Number(args.trials);
const DIMS = Number(args.dims);
const FLOAT: Distribution = { kind: 'float', low: -5, high: 5, log: false, step: null };

interface Phases { readonly total: number[]; readonly cpu: number[]; readonly ask: number[]; readonly suggest: number[]; readonly tell: number[] }

async function cairnTrials(dir: string): Promise<Phases> {
  const db = new SqliteDb(join(dir, 'hpo.db'));
  try {
    await migrate(db, MIGRATIONS);
    const { hpo } = hpoServices(db, dir);
    await hpo.createStudy({ name: 'overhead', sampler: { name: 'tpe', options: { seed: 0 } } });
    const out: Phases = { total: [], cpu: [], ask: [], suggest: [], tell: [] };
    for (let n = 0; n < TRIALS; n++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const t = await hpo.ask('overhead');
      const t1 = performance.now();
      let y = 0;
      for (let i = 0; i < DIMS; i++) y += ((await hpo.suggest('overhead', t.number, `x${i}`, FLOAT)) as number) ** 2;
      const t2 = performance.now();
      await hpo.tell('overhead', t.number, { values: [y] });
      const t3 = performance.now();
      const c = process.cpuUsage(c0);
      out.total.push(t3 - t0);
      out.cpu.push((c.user + c.system) / 1000);
      out.ask.push(t1 - t0);
      out.suggest.push(t2 - t1);
      out.tell.push(t3 - t2);
    }
    return out;
  } finally {
    await db.close();
  }
}

function optunaTrials(storage: string): { optuna: string; times_ms: number[]; cpu_ms: number[] } {
  const root = resolve(resultsDir(), '../..');
  const out = execFileSync(join(root, '.cairn/venv-optuna/bin/python'), [join(root, 'bench/hpo/optuna_bench.py'), 'trial-overhead',
    '--trials', String(TRIALS), '--dims', String(DIMS), '--storage', storage], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return JSON.parse(out) as { optuna: string; times_ms: number[]; cpu_ms: number[] };
}

const mean = (xs: readonly number[]): number => Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 1000) / 1000;
/** Trials `from`..`to` (1-based, inclusive). */
const window = (xs: readonly number[], from: number, to: number): number[] => xs.slice(from - 1, to);
const LAST = Math.max(1, TRIALS - 49);
const MID = Math.floor(TRIALS / 2) + 1;

function figures(times: readonly number[]): { atEnd: Stats; mid: Stats & { mean: number } } {
  return { atEnd: stats(window(times, LAST, TRIALS)), mid: { ...stats(window(times, MID, TRIALS)), mean: mean(window(times, MID, TRIALS)) } };
}

await withTempDir('hpo-trial-overhead', async (dir) => {
  printMachine();
  const cairn = await cairnTrials(dir);
  const results: Record<string, unknown> = {
    cairn: {
      total: figures(cairn.total),
      cpu: figures(cairn.cpu),
      phasesAtEnd: { ask: stats(window(cairn.ask, LAST, TRIALS)), suggests: stats(window(cairn.suggest, LAST, TRIALS)), tell: stats(window(cairn.tell, LAST, TRIALS)) },
    },
  };
  const rows: string[][] = [];
  const row = (name: string, f: ReturnType<typeof figures>) => rows.push([name, fmtMs(f.atEnd.p50), fmtMs(f.atEnd.p95), fmtMs(f.mid.p50), fmtMs(f.mid.mean)]);
  row('Cairn TPE, SQLite (each trial a run): wall', figures(cairn.total));
  row('  CPU', figures(cairn.cpu));
  if (!args['no-optuna']) {
    for (const [key, storage] of [['optunaSqlite', `sqlite:///${join(dir, 'optuna.db')}`], ['optunaMemory', 'memory']] as const) {
      const o = optunaTrials(storage);
      const f = figures(o.times_ms);
      results[key] = { optuna: o.optuna, total: f, cpu: figures(o.cpu_ms) };
      row(`Optuna ${o.optuna} TPE, ${key === 'optunaSqlite' ? 'RDB SQLite' : 'in-memory'}: wall`, f);
      row('  CPU', figures(o.cpu_ms));
    }
  }
  printTable(['ask + 6 suggests + tell', `p50 ${LAST}–${TRIALS}`, `p95 ${LAST}–${TRIALS}`, `p50 ${MID}–${TRIALS}`, `mean ${MID}–${TRIALS}`], rows);
  const ph = results.cairn as { phasesAtEnd: Record<string, Stats> };
  console.log(`Cairn phases at ${LAST}–${TRIALS} (p50): ask ${fmtMs(ph.phasesAtEnd.ask!.p50)}, 6 suggests ${fmtMs(ph.phasesAtEnd.suggests!.p50)}, tell ${fmtMs(ph.phasesAtEnd.tell!.p50)}`);
  console.log(`wrote ${writeResult('hpo-trial-overhead', { trials: TRIALS, dims: DIMS, windows: { atEnd: [LAST, TRIALS], mid: [MID, TRIALS] }, ...results })}`);
});
