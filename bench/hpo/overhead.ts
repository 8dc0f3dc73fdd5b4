/**
 * Sampler overhead: time per trial for asking a 6-dim TPE study for its
 * params around trial 1,000 (in-memory study; the objective is outside the
 * clock), beside Optuna's TPESampler doing the same through `study.ask`
 * with in-memory storage, measured in the same run.
 *
 *   node dist/bench/hpo/overhead.js [--trials 1000] [--dims 6] [--window 50] [--no-optuna]
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Distribution } from '../../src/hpo/distributions.js';
import { ask, InMemoryStudy, tell } from '../../src/hpo/in-memory-study.js';
import type { Sampler } from '../../src/hpo/sampler.js';
import { resultsDir, stats, writeResult } from '../lib/bench-report.js';
import { SAMPLERS } from './sampler-registry.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const nTrials = Number(arg('trials', '1000'));
const dims = Number(arg('dims', '6'));
const windowSize = Number(arg('window', '50'));

function timePerTrial(sampler: Sampler): number[] {
  const space: Record<string, Distribution> = Object.fromEntries(
    Array.from({ length: dims }, (_, i) => [`x${i}`, { kind: 'float', low: -5, high: 5, log: false, step: null }]),
  );
  const study = new InMemoryStudy();
  const times: number[] = [];
  for (let n = 0; n < nTrials; n++) {
    const t0 = performance.now();
    const trial = ask(study, sampler);
    const xs = Object.entries(space).map(([name, d]) => trial.suggest(name, d) as number);
    const dt = performance.now() - t0;
    tell(study, sampler, trial.number, xs.reduce((s, v) => s + v * v, 0));
    if (n >= nTrials - windowSize) times.push(dt);
  }
  return times;
}

const results: Record<string, unknown> = {};
for (const name of ['tpe', 'tpe-univariate']) {
  const s = stats(timePerTrial(SAMPLERS[name]!(0)));
  results[`cairn-${name}`] = s;
  console.log(`cairn ${name}: p50 ${s.p50} ms, p95 ${s.p95} ms per trial at trials ${nTrials - windowSize}..${nTrials}`);
}
if (!process.argv.includes('--no-optuna')) {
  const root = resolve(resultsDir(), '../..');
  const out = execFileSync(join(root, '.cairn/venv-optuna/bin/python'), [join(root, 'bench/hpo/optuna_bench.py'), 'overhead',
    '--trials', String(nTrials), '--dims', String(dims), '--window', String(windowSize)], { encoding: 'utf8' });
  results['optuna-tpe'] = JSON.parse(out) as unknown;
  console.log(`optuna tpe: ${out.trim()}`);
}
console.log(`wrote ${writeResult('hpo-overhead', { trials: nTrials, dims, window: windowSize, ...results })}`);
