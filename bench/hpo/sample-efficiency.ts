/**
 * Sample efficiency: the median best value over seeds at fixed trial budgets,
 * Cairn's samplers beside Optuna's TPESampler (default settings) run in the
 * same invocation (a Python child on the other core).
 *
 *   node dist/bench/hpo/sample-efficiency.js [--seeds 20] [--first-seed 0] [--trials 200] [--checkpoints 50,100,200]
 *     [--samplers tpe,gp,cmaes,two-phase,random] [--problems branin,...] [--no-optuna]
 *     [--out hpo-efficiency] [--tpe-options '{"clipGrowth":0}' (for --samplers tpe-custom)] [--slow-seeds 10] [--slow-trials 100]   (GP runs: fewer seeds and trials; O(n³) per trial)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { optimizeInMemory } from '../../src/hpo/in-memory-study.js';
import type { Sampler } from '../../src/hpo/sampler.js';
import { machine, resultsDir, writeResult } from '../lib/bench-report.js';
import { PROBLEMS } from './problems.js';
import { SAMPLERS, setCustomTpeOptions, SLOW_SAMPLERS } from './sampler-registry.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};

const nSeeds = Number(arg('seeds', '20'));
/** Seeds run are firstSeed … firstSeed + seeds − 1 (a held-out range checks tuning done on the default one). */
const firstSeed = Number(arg('first-seed', '0'));
const nTrials = Number(arg('trials', '200'));
const checkpoints = arg('checkpoints', '50,100,200').split(',').map(Number).filter((c) => c <= nTrials);
const samplerNames = arg('samplers', 'tpe,gp,cmaes,two-phase,random').split(',');
const problemNames = arg('problems', PROBLEMS.map((p) => p.name).join(',')).split(',');
const slowSeeds = Number(arg('slow-seeds', '10'));
const slowTrials = Number(arg('slow-trials', '100'));
const withOptuna = !process.argv.includes('--no-optuna');
const outName = arg('out', 'hpo-efficiency');
setCustomTpeOptions(JSON.parse(arg('tpe-options', '{}')) as Parameters<typeof setCustomTpeOptions>[0]);

interface RunResult { readonly best: Record<string, number>; readonly seconds: number }
type Table = Record<string, Record<string, RunResult[]>>; // sampler → problem → runs

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function runCairn(name: string, make: (seed: number) => Sampler, problem: (typeof PROBLEMS)[number], seeds: number, trials: number): RunResult[] {
  const out: RunResult[] = [];
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const t0 = performance.now();
    const study = optimizeInMemory(make(seed), problem.objective, trials);
    const seconds = (performance.now() - t0) / 1000;
    let best = Infinity;
    const at: Record<string, number> = {};
    for (const t of study.trials()) {
      best = Math.min(best, t.values?.[0] ?? Infinity);
      if (checkpoints.includes(t.number + 1)) at[String(t.number + 1)] = best;
    }
    out.push({ best: at, seconds });
  }
  process.stderr.write(`  ${name} ${problem.name}: ${out.reduce((s, r) => s + r.seconds, 0).toFixed(1)} s\n`);
  return out;
}

function runOptuna(): Promise<Record<string, RunResult[]>> {
  const root = resolve(resultsDir(), '../..');
  const python = join(root, '.cairn/venv-optuna/bin/python');
  if (!existsSync(python)) throw new Error('no .cairn/venv-optuna: run bash bench/hpo/setup.sh first');
  const child = spawn(python, [join(root, 'bench/hpo/optuna_bench.py'), 'efficiency', '--problems', problemNames.join(','),
    '--seeds', `${firstSeed}..${firstSeed + nSeeds - 1}`, '--trials', String(nTrials), '--checkpoints', checkpoints.join(','), '--workers', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const byProblem: Record<string, RunResult[]> = {};
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as { problem: string; best: Record<string, number>; seconds: number };
      buffer = buffer.slice(nl + 1);
      (byProblem[line.problem] ??= []).push({ best: line.best, seconds: line.seconds });
    }
  });
  return new Promise((ok, fail) => child.on('exit', (code) => (code === 0 ? ok(byProblem) : fail(new Error(`optuna_bench.py exited ${code}`)))));
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const optuna = withOptuna ? runOptuna() : Promise.resolve({});
  const table: Table = {};
  const problems = PROBLEMS.filter((p) => problemNames.includes(p.name));
  for (const name of samplerNames) {
    const make = SAMPLERS[name];
    if (!make) throw new Error(`unknown sampler '${name}'; known: ${Object.keys(SAMPLERS).join(', ')}`);
    const slow = SLOW_SAMPLERS.has(name);
    table[`cairn-${name}`] = Object.fromEntries(problems.map((p) => [p.name, runCairn(name, make, p, slow ? slowSeeds : nSeeds, slow ? Math.min(slowTrials, nTrials) : nTrials)]));
  }
  if (withOptuna) table['optuna-tpe'] = await optuna;
  const medians: Record<string, Record<string, Record<string, number>>> = {};
  for (const [sampler, byProblem] of Object.entries(table)) {
    medians[sampler] = {};
    for (const [problem, runs] of Object.entries(byProblem)) {
      medians[sampler]![problem] = Object.fromEntries(checkpoints.flatMap((c) => {
        const xs = runs.map((r) => r.best[String(c)]).filter((v): v is number => v !== undefined);
        return xs.length > 0 ? [[String(c), median(xs)]] : [];
      }));
    }
  }
  printTables(medians, problems.map((p) => p.name));
  const file = writeResult(outName, {
    seeds: nSeeds, firstSeed, trials: nTrials, checkpoints, slowSamplers: [...SLOW_SAMPLERS], slowSeeds, slowTrials,
    totalSeconds: (performance.now() - t0) / 1000, medians,
    runs: Object.fromEntries(Object.entries(table).map(([s, bp]) => [s, Object.fromEntries(Object.entries(bp).map(([p, rs]) => [p, rs.map((r) => r.best)]))])),
    secondsPerRun: Object.fromEntries(Object.entries(table).map(([s, bp]) => [s, Object.fromEntries(Object.entries(bp).map(([p, rs]) => [p, median(rs.map((r) => r.seconds))]))])),
  });
  console.log(`\nmachine: ${JSON.stringify(machine())}\nwrote ${file} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

/** Markdown tables (one per budget) with the mean rank over problems; ties share the better rank. */
function printTables(medians: Record<string, Record<string, Record<string, number>>>, problems: string[]): void {
  const samplers = Object.keys(medians);
  for (const c of checkpoints) {
    console.log(`\nmedian best at ${c} trials\n`);
    console.log(`| problem | ${samplers.join(' | ')} |`);
    console.log(`| --- | ${samplers.map(() => '---').join(' | ')} |`);
    const rankSums = new Array<number>(samplers.length).fill(0);
    const ranked = new Array<number>(samplers.length).fill(0);
    for (const p of problems) {
      const row = samplers.map((s) => medians[s]?.[p]?.[String(c)] ?? NaN);
      row.forEach((v, i) => {
        if (Number.isNaN(v)) return;
        rankSums[i] = rankSums[i]! + 1 + row.filter((w) => w < v).length;
        ranked[i] = ranked[i]! + 1;
      });
      const best = Math.min(...row.filter((v) => !Number.isNaN(v)));
      console.log(`| ${p} | ${row.map((v) => (Number.isNaN(v) ? '-' : v === best ? `**${fmt(v)}**` : fmt(v))).join(' | ')} |`);
    }
    console.log(`| mean rank | ${rankSums.map((r, i) => (ranked[i] ? (r / ranked[i]!).toFixed(2) : '-')).join(' | ')} |`);
  }
}

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3));

await main();
