/**
 * UI benchmark in headless Chromium (Debian's, driven by playwright-core):
 *
 *   npm run build && node dist/bench/ui.js [--runs 10000] [--points 1000000] [--reps 5]
 *
 * 1. The experiment page over N runs × 30 columns (10 params, 15 metrics,
 *    5 tags): from navigation start, when the first rows show (sorted by the
 *    server) and when the page is interactive — the rows are there and a task
 *    posted to the main thread runs within 50 ms (nothing blocks input) —
 *    then when every run has streamed in.
 * 2. Scrolling that table once all runs are loaded, with a mouse wheel
 *    (100 px a notch, 60 a second) and with flings (1,200 px per event,
 *    top to bottom): the long tasks (> 50 ms) the browser reports meanwhile.
 * 3. A run chart over a 1,000,000-point metric: from navigation start until
 *    uPlot has drawn the server-downsampled series.
 * The database is seeded in process (SQLite), then served by a server child.
 *
 * Anchor, same run (skip with --no-mlflow): MLflow's UI over the same runs,
 * step 1 only (bench/lib/mlflow-ui.ts; needs `bash bench/mlflow/setup.sh`).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { SqliteDb } from '../src/storage/sqlite-db.js';
import { migrate } from '../src/storage/migration.js';
import { MIGRATIONS } from '../src/storage/migrations/index.js';
import { LocalBlobStore } from '../src/artifacts/index.js';
import { SqlTrackingStore } from '../src/tracking/sql-tracking-store.js';
import { TrackingService } from '../src/tracking/tracking-service.js';
import { fmtInt, fmtMs, printMachine, stats, writeResult } from './lib/bench-report.js';
import { seeded } from './lib/search-fixture.js';
import { startServerProcess } from './lib/server-process.js';
import { withTempDir } from './lib/temp-dir.js';
import { mlflowLoad, mlflowProbe, startMlflowUi, type MlflowLoad } from './lib/mlflow-ui.js';
import { loadProbe } from './lib/page-probe.js';

const TARGET_INTERACTIVE_MS = 1_500;
const TARGET_LONG_TASK_MS = 50;
const TARGET_CHART_MS = 1_000;

/** Installed before any page script: long tasks, the first run row, interactive. */
const PROBE = loadProbe("document.querySelector('.runs [role=row][data-index]')");

async function seed(svc: TrackingService, runs: number, points: number): Promise<{ experimentId: string; bigRun: string }> {
  const rnd = seeded(7);
  const exp = await svc.createExperiment({ name: 'ui-bench' });
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < runs; i++) {
    const params: Record<string, string> = {};
    for (let p = 0; p < 10; p++) params[`p${p}`] = p % 3 === 0 ? ['adam', 'sgd', 'lamb'][Math.floor(rnd() * 3)]! : (rnd() * 10).toFixed(4);
    const tags: Record<string, string> = {};
    for (let t = 0; t < 5; t++) tags[`t${t}`] = `v${Math.floor(rnd() * 20)}`;
    const run = await svc.createRun({ experimentId: exp.id, name: `run-${i}`, params, tags, startTime: t0 + i * 1000 });
    await svc.logBatch(run.id, { metrics: Array.from({ length: 15 }, (_, m) => ({ key: `m${m}`, value: rnd(), step: 1, timestamp: t0 + i * 1000 })) });
  }
  const big = await svc.createRun({ experimentName: 'ui-bench-chart', name: 'long-run', startTime: t0 });
  const BATCH = 100_000;
  for (let at = 0; at < points; at += BATCH) {
    const n = Math.min(BATCH, points - at);
    const steps = Array.from({ length: n }, (_, k) => at + k);
    await svc.logMetricSeries(big.id, [{ key: 'loss', steps, timestamps: steps.map((s) => t0 + s * 10), values: steps.map((s) => 2 * Math.exp(-s / (points / 5)) + 0.05 * rnd()) }]);
  }
  return { experimentId: exp.id, bigRun: big.id };
}

interface PageTimes { firstRows: number; interactive: number; allLoaded: number; longTasksDuringLoad: number; maxLongTaskDuringLoad: number }

async function experimentLoad(page: Page, url: string, runs: number): Promise<PageTimes> {
  await page.goto(url);
  await page.waitForFunction(`document.querySelector('.page-head .muted')?.textContent === '${runs.toLocaleString('en')} runs'`, null, { timeout: 120_000 });
  const allLoaded = await page.evaluate<number>('performance.now()');
  await page.waitForFunction('window.__interactive !== null', null, { timeout: 60_000 });
  const r = await page.evaluate<{ firstRows: number; interactive: number; tasks: { start: number; duration: number }[] }>(
    '({ firstRows: window.__firstRows, interactive: window.__interactive, tasks: window.__longTasks })');
  return {
    firstRows: r.firstRows, interactive: r.interactive, allLoaded,
    longTasksDuringLoad: r.tasks.length, maxLongTaskDuringLoad: Math.max(0, ...r.tasks.map((t) => t.duration)),
  };
}

interface ScrollResult { longTasks: number; maxLongTask: number; scrolledPx: number }

/** Wheel events of `step` px about 60 times a second, until `distance` px (or the end of the table). */
async function scroll(page: Page, step: number, distance: number): Promise<ScrollResult> {
  const box = await page.locator('.table-scroll').boundingBox();
  if (!box) throw new Error('no runs table');
  await page.evaluate(`document.querySelector('.table-scroll').scrollTop = 0`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForTimeout(200);
  await page.evaluate('window.__longTasks = []');
  const height = await page.evaluate<number>(`document.querySelector('.table-scroll').scrollHeight`);
  for (let y = 0; y < Math.min(height, distance); y += step) {
    await page.mouse.wheel(0, step);
    await page.waitForTimeout(16);
  }
  await page.waitForTimeout(300);
  const tasks = await page.evaluate<{ duration: number }[]>('window.__longTasks');
  const top = await page.evaluate<number>(`document.querySelector('.table-scroll').scrollTop`);
  return { longTasks: tasks.length, maxLongTask: Math.max(0, ...tasks.map((t) => t.duration)), scrolledPx: top };
}

async function chart(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(`[...document.querySelectorAll('figcaption')].some((f) => /points shown/.test(f.textContent))`, null, { timeout: 60_000 });
  // uPlot draws on the next animation frame after the data arrives.
  return page.evaluate<number>('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))');
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: {
    runs: { type: 'string', default: '10000' }, points: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '5' },
    'no-mlflow': { type: 'boolean', default: false },
  } });
  const runs = Number(args.runs);
  const points = Number(args.points);
  const reps = Number(args.reps);
  printMachine();
  await withTempDir('ui', async (dir) => {
    const dbFile = join(dir, 'cairn.db');
    const db = new SqliteDb(dbFile);
    let ids: { experimentId: string; bigRun: string };
    const t0 = performance.now();
    try {
      await migrate(db, MIGRATIONS);
      ids = await seed(new TrackingService({ store: new SqlTrackingStore(db), blobs: new LocalBlobStore(join(dir, 'artifacts')) }), runs, points);
    } finally {
      await db.close();
    }
    console.log(`seeded ${fmtInt(runs)} runs × 30 columns and a ${fmtInt(points)}-point metric in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const server = await startServerProcess({ db: dbFile, artifacts: join(dir, 'artifacts') });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const loads: PageTimes[] = [];
      const scrolls: ScrollResult[] = [];
      const flings: ScrollResult[] = [];
      const charts: number[] = [];
      for (let i = 0; i < reps + 1; i++) {
        // bypassCSP: the probes below are evaluated strings, which the UI's CSP (no eval) would refuse.
        const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, bypassCSP: true });
        await context.addInitScript(PROBE);
        const page = await context.newPage();
        const load = await experimentLoad(page, `${server.url}/experiments/${ids.experimentId}?cols=${encodeURIComponent(columns().join(','))}`, runs);
        // A mouse wheel (100 px a notch) through 1,000 rows, then flings of 1,200 px per event through all of them.
        const sc = await scroll(page, 100, 32_000);
        const fl = await scroll(page, 1_200, Number.POSITIVE_INFINITY);
        const ch = await chart(page, `${server.url}/runs/${ids.bigRun}?tab=metrics`);
        await context.close();
        if (i === 0) continue; // warm-up: the first load also compiles the bundle
        loads.push(load);
        scrolls.push(sc);
        flings.push(fl);
        charts.push(ch);
        console.log(`rep ${i}: rows ${fmtMs(load.firstRows)}, interactive ${fmtMs(load.interactive)}, all ${fmtInt(runs)} loaded ${fmtMs(load.allLoaded)} (long tasks while loading: ${load.longTasksDuringLoad}, max ${fmtMs(load.maxLongTaskDuringLoad)}); wheel ${fmtInt(sc.scrolledPx)} px: ${sc.longTasks} long tasks, max ${fmtMs(sc.maxLongTask)}; flings ${fmtInt(fl.scrolledPx)} px: ${fl.longTasks} long tasks, max ${fmtMs(fl.maxLongTask)}; 1M-point chart ${fmtMs(ch)}`);
      }
      const interactive = stats(loads.map((l) => l.interactive));
      const firstRows = stats(loads.map((l) => l.firstRows));
      const allLoaded = stats(loads.map((l) => l.allLoaded));
      const scrollMax = Math.max(...scrolls.map((s) => s.maxLongTask));
      const flingMax = Math.max(...flings.map((s) => s.maxLongTask));
      const chartStats = stats(charts);
      const met = { interactive: interactive.p50 <= TARGET_INTERACTIVE_MS, scroll: scrollMax <= TARGET_LONG_TASK_MS, chart: chartStats.p50 <= TARGET_CHART_MS };
      console.log(`\nexperiment page, ${fmtInt(runs)} runs × 30 columns: interactive p50 ${fmtMs(interactive.p50)} (target ≤ ${TARGET_INTERACTIVE_MS} ms: ${met.interactive ? 'met' : 'MISSED'}); first rows p50 ${fmtMs(firstRows.p50)}; all runs p50 ${fmtMs(allLoaded.p50)}`);
      console.log(`wheel scrolling (100 px notches, 60/s): longest task ${fmtMs(scrollMax)} (target none over ${TARGET_LONG_TASK_MS} ms: ${met.scroll ? 'met' : 'MISSED'}); flings (1,200 px per event, whole table): longest task ${fmtMs(flingMax)}`);
      console.log(`1,000,000-point chart: p50 ${fmtMs(chartStats.p50)}, p95 ${fmtMs(chartStats.p95)} (target ≤ ${TARGET_CHART_MS} ms: ${met.chart ? 'met' : 'MISSED'})`);
      const anchor = args['no-mlflow'] ? null : await mlflowAnchor(browser, dir, runs, reps);
      if (anchor) {
        console.log(`anchor: MLflow ${anchor.version} UI, same ${fmtInt(runs)} runs: interactive p50 ${fmtMs(anchor.interactive.p50)}, first rows p50 ${fmtMs(anchor.firstRows.p50)} `
          + `(${anchor.rowsShown}; longest task while loading ${fmtMs(anchor.maxLongTask)}); Cairn is ${(anchor.interactive.p50 / interactive.p50).toFixed(1)}× faster to interactive`);
      }
      const file = writeResult('ui', {
        runs, columns: 30, points, reps, browser: browser.version(),
        experimentPage: { interactive, firstRows, allLoaded, longTasksWhileLoading: loads.map((l) => l.longTasksDuringLoad), maxLongTaskWhileLoading: Math.max(...loads.map((l) => l.maxLongTaskDuringLoad)) },
        scrolling: { wheel: { stepPx: 100, maxLongTaskMs: scrollMax, longTasks: scrolls.map((s) => s.longTasks) }, flings: { stepPx: 1200, maxLongTaskMs: flingMax, longTasks: flings.map((s) => s.longTasks) } },
        chart: chartStats,
        targets: { interactiveMs: TARGET_INTERACTIVE_MS, longTaskMs: TARGET_LONG_TASK_MS, chartMs: TARGET_CHART_MS },
        anchor,
        met,
      });
      console.log(`wrote ${file}`);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
}

/** MLflow's experiment page over the same runs, reps + 1 loads (the first warms up), in fresh contexts like Cairn's. */
async function mlflowAnchor(browser: import('playwright-core').Browser, dir: string, runs: number, reps: number) {
  const ui = await startMlflowUi(join(dir, 'mlflow'), runs);
  try {
    const loads: MlflowLoad[] = [];
    for (let i = 0; i < reps + 1; i++) {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, bypassCSP: true });
      await context.addInitScript(mlflowProbe(runs));
      const load = await mlflowLoad(await context.newPage(), ui);
      await context.close();
      if (i === 0) continue;
      loads.push(load);
      console.log(`mlflow rep ${i}: rows ${fmtMs(load.firstRows)}, interactive ${fmtMs(load.interactive)} (${load.rowsShown}; long tasks while loading: ${load.longTasks}, max ${fmtMs(load.maxLongTask)})`);
    }
    return {
      tool: 'mlflow', version: ui.version, interactive: stats(loads.map((l) => l.interactive)), firstRows: stats(loads.map((l) => l.firstRows)),
      rowsShown: loads[0]?.rowsShown ?? '?', maxLongTask: Math.max(...loads.map((l) => l.maxLongTask)), longTasksWhileLoading: loads.map((l) => l.longTasks),
    };
  } finally {
    await ui.stop();
  }
}

/** The 30 columns: 10 params, 15 metrics, 5 tags. */
function columns(): string[] {
  return [
    ...Array.from({ length: 10 }, (_, i) => `params.p${i}`),
    ...Array.from({ length: 15 }, (_, i) => `metrics.m${i}`),
    ...Array.from({ length: 5 }, (_, i) => `tags.t${i}`),
  ];
}

await main();
