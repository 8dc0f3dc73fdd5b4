/**
 * What every benchmark program shares: a description of the machine, summary
 * statistics, and writing the figures to bench/results/<name>.json.
 */
import { arch, cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Machine {
  readonly os: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  /** 1-minute load average when the figures were written: other work on the machine skews them. */
  readonly loadAverage1m: number;
}

export function machine(): Machine {
  const c = cpus();
  return {
    os: `${osType()} ${release()} ${arch()}`,
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** The repository's bench/results folder, found from dist/bench/lib or bench/lib. */
export function resultsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.includes(`${join('dist', 'bench')}`) ? resolve(here, '../../..') : resolve(here, '../..');
  return join(root, 'bench', 'results');
}

/** Writes `{ benchmark, timestamp, machine, ...figures }` and returns the file's path. */
export function writeResult(name: string, figures: Record<string, unknown>): string {
  const dir = resultsDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const body = { benchmark: name, timestamp: new Date().toISOString(), machine: machine(), ...figures };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

export interface Stats {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

/** Nearest-rank percentiles of a sample of timings (ms), rounded to µs. */
export function stats(samples: readonly number[]): Stats {
  const xs = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))] as number;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: xs.length, p50: r(rank(0.5)), p95: r(rank(0.95)), min: r(xs[0] as number), max: r(xs.at(-1) as number) };
}

/** Runs `fn` `reps` times after `warmup` untimed calls and returns the timings in ms. */
export async function timeReps(reps: number, warmup: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');
export const fmtMs = (x: number): string => `${x.toFixed(x < 10 ? 2 : 1)} ms`;

export function printMachine(): void {
  const m = machine();
  console.log(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, node ${m.node}; load average ${m.loadAverage1m}`);
}

/** Prints rows as an aligned text table. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
}
