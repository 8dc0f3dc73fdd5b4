/**
 * The anchor of bench/ui.ts: MLflow's own UI over the same runs. The runs are
 * seeded into a SQLite store through mlflow's store code
 * (bench/ui/mlflow_seed.py), a real `mlflow server` (the full package from
 * bench/mlflow/setup.sh, default flags) serves them, and its experiment page
 * is opened in the same Chromium and timed the same way as Cairn's: from
 * navigation start to the first run row, and to interactive (a task posted
 * to the main thread runs within 50 ms).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { loadProbe } from './page-probe.js';

// The repository, from bench/lib or dist/bench/lib.
const ROOT = resolve(import.meta.dirname, import.meta.dirname.includes(join('dist', 'bench')) ? '../../..' : '../..');
const SERVER_VENV = join(ROOT, '.cairn/venv-mlflow-server');
const SEED = join(ROOT, 'bench/ui/mlflow_seed.py');

export interface MlflowUi {
  readonly url: string;
  readonly experimentId: string;
  readonly version: string;
  stop(): Promise<void>;
}

/** bench/ui.ts's probe, keyed to MLflow's grid: the newest run's row (MLflow sorts by start time). */
export const mlflowProbe = (runs: number): string =>
  loadProbe(`(document.querySelector('.ag-row[role=row]')?.textContent ?? '').includes('run-${runs - 1}')`);

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((ok) => srv.close(() => ok()));
  return port;
}

/** Seeds `runs` runs and starts `mlflow server` on them; throws with the fix when the venv is missing. */
export async function startMlflowUi(dir: string, runs: number): Promise<MlflowUi> {
  const port = await freePort();
  const python = join(SERVER_VENV, 'bin/python');
  if (!existsSync(python)) throw new Error(`no ${SERVER_VENV}: run 'bash bench/mlflow/setup.sh' (or pass --no-mlflow to skip the anchor)`);
  mkdirSync(dir, { recursive: true });
  const db = join(dir, 'mlflow.db');
  const t0 = performance.now();
  const seeded = spawnSync(python, [SEED, db, join(dir, 'mlartifacts'), String(runs)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (seeded.status !== 0) throw new Error(`mlflow_seed.py exited with ${seeded.status}`);
  const experimentId = seeded.stdout.trim().split('\n').at(-1) ?? '';
  console.log(`seeded ${runs.toLocaleString('en')} runs into mlflow's store in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const version = spawnSync(python, ['-c', 'import mlflow; print(mlflow.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const child = spawn(join(SERVER_VENV, 'bin/mlflow'), [
    'server', '--host', '127.0.0.1', '--port', String(port),
    '--backend-store-uri', `sqlite:///${db}`, '--artifacts-destination', join(dir, 'mlartifacts'),
  ], { detached: true, stdio: 'ignore' });
  const kill = (sig: NodeJS.Signals) => { try { process.kill(-(child.pid as number), sig); } catch { /* gone */ } };
  const onExit = () => kill('SIGKILL');
  process.once('exit', onExit);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mlflow server exited with ${child.exitCode} before answering`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error('mlflow server did not answer /health within 120 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  // /health answers while mlflow's job runner is still starting; let it settle before timing.
  await new Promise((r) => setTimeout(r, 10_000));
  return {
    url, experimentId, version,
    async stop() {
      kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 2_000));
      kill('SIGKILL');
      process.removeListener('exit', onExit);
    },
  };
}

export interface MlflowLoad { readonly firstRows: number; readonly interactive: number; readonly longTasks: number; readonly maxLongTask: number; readonly rowsShown: string }

/** Opens the runs view of the experiment (the model-training workflow; MLflow 3 opens GenAI views by default). */
export async function mlflowLoad(page: Page, ui: MlflowUi): Promise<MlflowLoad> {
  await page.goto(`${ui.url}/#/experiments/${ui.experimentId}/runs?workflowType=machine_learning`);
  await page.waitForFunction('window.__interactive !== null', null, { timeout: 120_000 });
  const r = await page.evaluate<{ firstRows: number; interactive: number; tasks: { duration: number }[] }>(
    '({ firstRows: window.__firstRows, interactive: window.__interactive, tasks: window.__longTasks })');
  // What the page says it holds ("100 matching runs": MLflow loads a page of runs at a time).
  const rowsShown = await page.evaluate<string>(`(document.body.innerText.match(/\\d[\\d,]* matching runs/) || ['?'])[0]`);
  return { firstRows: r.firstRows, interactive: r.interactive, longTasks: r.tasks.length, maxLongTask: Math.max(0, ...r.tasks.map((t) => t.duration)), rowsShown };
}
