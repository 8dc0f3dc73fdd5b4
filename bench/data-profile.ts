/**
 * Profile benchmark: `DuckDbTabularEngine.profile` of a 1,000,000 × 50 CSV
 * (30 float, 10 integer, 10 text columns, some missing values), generated
 * with a seeded PRNG so every run profiles the same bytes.
 *
 *   npm run build && bash bench/data/setup-pandas.sh && node dist/bench/data-profile.js [--rows 1000000] [--reps 3]
 *
 * Anchor, in the same run on the same file: pandas `read_csv` + `describe(include="all")`
 * (and, for information, the missing %, distinct counts and histograms that describe lacks),
 * run by the venv that bench/data/setup-pandas.sh makes. For information also: the same table as Parquet.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbTabularEngine } from '../src/data/tabular/duckdb/duckdb-tabular-engine.js';
import type { TableProfile } from '../src/data/tabular/tabular-engine.js';
import { csvToParquet } from '../src/testing/parquet-file.js';
import { fmtInt, printMachine, printTable, resultsDir, stats, writeResult } from './lib/bench-report.js';
import { seeded } from './lib/search-fixture.js';
import { withTempDir } from './lib/temp-dir.js';

const FLOATS = 30;
const INTS = 10;
const TEXTS = 10;
const TARGET_MS = 3000;
const CITIES = ['paris', 'rome', 'oslo', 'lima', 'kyiv', 'doha', 'bern', 'riga', 'baku', 'oran', 'kobe', 'nice'];

/** Writes the CSV in 10,000-row chunks; returns its size in bytes. */
async function writeCsv(file: string, rows: number): Promise<number> {
  const rnd = seeded(42);
  const out = createWriteStream(file);
  const header = [...Array.from({ length: FLOATS }, (_, i) => `f${i}`), ...Array.from({ length: INTS }, (_, i) => `i${i}`), ...Array.from({ length: TEXTS }, (_, i) => `s${i}`)];
  out.write(`${header.join(',')}\n`);
  for (let at = 0; at < rows; at += 10_000) {
    const lines: string[] = [];
    for (let r = at; r < Math.min(rows, at + 10_000); r++) {
      const cells: string[] = [];
      for (let i = 0; i < FLOATS; i++) {
        // Uniform, normal-ish (sum of three) and log-normal-ish columns; every 5th float column misses 2%.
        const u = rnd();
        const v = i % 3 === 0 ? u * 100 : i % 3 === 1 ? (u + rnd() + rnd() - 1.5) * 10 : Math.exp(u * 5);
        cells.push(i % 5 === 0 && rnd() < 0.02 ? '' : v.toFixed(4));
      }
      for (let i = 0; i < INTS; i++) cells.push(String(Math.floor(rnd() * 10 ** (1 + (i % 5)))));
      for (let i = 0; i < TEXTS; i++) cells.push(i === 0 ? `u${r}` : (CITIES[Math.floor(rnd() * (2 + i))] as string));
      lines.push(cells.join(','));
    }
    if (!out.write(`${lines.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return statSync(file).size;
}

async function timeProfile(file: string, reps: number): Promise<{ ms: number[]; profile: TableProfile; cpuMs: number[] }> {
  const engine = new DuckDbTabularEngine();
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let profile: TableProfile | undefined;
  try {
    for (let i = 0; i < reps; i++) {
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      profile = await engine.profile(file);
      ms.push(performance.now() - t0);
      const u = process.cpuUsage(cpu);
      cpuMs.push((u.user + u.system) / 1000);
    }
  } finally {
    engine.close();
  }
  return { ms, profile: profile as TableProfile, cpuMs };
}

interface PandasResult { pandas: string; read_ms: number[]; describe_ms: number[]; extra_ms: number[]; shape: number[] }

function runPandas(file: string, reps: number): PandasResult | null {
  const python = resolve(resultsDir(), '../../.cairn/venv-data-bench/bin/python');
  const script = resolve(resultsDir(), '../data/pandas_profile.py');
  if (!existsSync(python)) {
    console.log('anchor skipped: run `bash bench/data/setup-pandas.sh` to create .cairn/venv-data-bench with pandas');
    return null;
  }
  const r = spawnSync(python, [script, file, String(reps)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`pandas anchor failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PandasResult;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '3' } } });
  const rows = Number(args.rows);
  const reps = Number(args.reps);
  printMachine();
  const loadAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  await withTempDir('data-profile', async (dir) => {
    const csv = join(dir, 'table.csv');
    let t0 = performance.now();
    const bytes = await writeCsv(csv, rows);
    console.log(`wrote ${fmtInt(rows)} × ${FLOATS + INTS + TEXTS} CSV, ${(bytes / 2 ** 20).toFixed(0)} MiB, in ${sec(performance.now() - t0)}`);

    const cairn = await timeProfile(csv, reps);
    if (cairn.profile.rows !== rows || cairn.profile.columns.length !== FLOATS + INTS + TEXTS) throw new Error('profile has the wrong shape');
    const cairnStats = stats(cairn.ms);
    console.log(`cairn profile (CSV): ${cairn.ms.map(sec).join(', ')}; CPU ${cairn.cpuMs.map(sec).join(', ')}`);

    const parquet = join(dir, 'table.parquet');
    t0 = performance.now();
    await csvToParquet(csv, parquet);
    console.log(`converted to Parquet (${(statSync(parquet).size / 2 ** 20).toFixed(0)} MiB) in ${sec(performance.now() - t0)}`);
    const pq = await timeProfile(parquet, reps);
    const pqStats = stats(pq.ms);

    const pandas = runPandas(csv, Math.min(reps, 2));
    const pandasTotal = pandas ? pandas.read_ms.map((r, i) => r + (pandas.describe_ms[i] ?? 0)) : [];
    const pandasStats = pandas ? stats(pandasTotal) : null;
    const pandasFull = pandas ? stats(pandasTotal.map((t, i) => t + (pandas.extra_ms[i] ?? 0))) : null;

    console.log('');
    printTable(['figure', 'target', 'median', 'min', 'anchor (pandas, same run)'], [
      [`profile ${fmtInt(rows)} × ${FLOATS + INTS + TEXTS} CSV (CPU ${sec(stats(cairn.cpuMs).p50)})`, `≤ ${sec(TARGET_MS)}`, sec(cairnStats.p50), sec(cairnStats.min),
        pandasStats ? `read_csv + describe ${sec(pandasStats.p50)}` : '-'],
      ['profile same table as Parquet', '', sec(pqStats.p50), sec(pqStats.min), pandasFull ? `+ missing, nunique, histograms ${sec(pandasFull.p50)}` : '-'],
    ]);
    const file = writeResult('data-profile', {
      rows, columns: FLOATS + INTS + TEXTS, csvBytes: bytes, targetMs: TARGET_MS, loadAverage1mAtStart: loadAtStart,
      cairnCsvMs: cairn.ms, cairnCsvCpuMs: cairn.cpuMs, cairnCsv: cairnStats, cairnParquetMs: pq.ms, cairnParquet: pqStats,
      pandas: pandas ?? null, pandasReadDescribe: pandasStats, pandasWithExtras: pandasFull,
      met: cairnStats.p50 <= TARGET_MS,
    });
    console.log(`\nwrote ${file}`);
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
