/**
 * `cairn sweep` and `cairn worker` as real processes against real servers:
 * a parallel sweep whose pruner stops bad trials' processes; two workers on
 * one PostgreSQL study (through two servers) claiming trials without
 * duplicates; a killed worker's trial failed by heartbeat and retried.
 */
import { execFile, spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HttpStudyClient, HttpTrackingClient } from '../../src/client/index.js';
import { tempDir } from '../../src/testing/tracking-harness.js';
import { createTestPostgres } from '../../src/testing/postgres.js';
import { CAIRN_BIN, ROOT, spawnServer, type ServerProcess } from '../support/server-process.js';

const TRAIN = join(ROOT, 'test/e2e/sweep/train.py');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_')));

function cairn(args: readonly string[], url: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CAIRN_BIN, '--url', url, ...args], { cwd, env: { ...env, CAIRN_HOME: cwd } }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => { for (const c of cleanups.reverse()) await c().catch(() => undefined); });

async function sqliteServer(): Promise<{ dir: string; server: ServerProcess }> {
  const dir = await tempDir('cairn-sweep-');
  const server = await spawnServer({ db: join(dir, 'cairn.db'), artifacts: join(dir, 'artifacts'), home: dir });
  cleanups.push(async () => { await server.kill(); await rm(dir, { recursive: true, force: true }); });
  return { dir, server };
}

describe('cairn sweep', () => {
  it('runs trials two at a time, prunes bad ones by stopping their process, and records every trial as a run', async () => {
    const { dir, server } = await sqliteServer();
    await writeFile(join(dir, 'sweep.yaml'), [
      'study: e2e-sweep', 'direction: minimize', 'metric: loss', 'trials: 10',
      'sampler: {name: random, seed: 4}', 'pruner: {name: median, nStartupTrials: 2}',
      'params:', '  x: {type: float, low: -3, high: 3}', '',
    ].join('\n'));
    const r = await cairn(['sweep', '--config', 'sweep.yaml', '--parallel', '2', '--poll-interval', '0.03', '--', 'python3', TRAIN, '--x', '{x}'], server.url, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/e2e-sweep: 10 trial\(s\) run here; best: trial \d+/);
    const hpo = new HttpStudyClient({ url: server.url, retries: 1 });
    const tracking = new HttpTrackingClient({ url: server.url, retries: 1 });
    const trials = await hpo.listTrials('e2e-sweep');
    expect(trials).toHaveLength(10);
    expect(new Set(trials.map((t) => t.worker)).size).toBe(1);
    const pruned = trials.filter((t) => t.state === 'PRUNED');
    const complete = trials.filter((t) => t.state === 'COMPLETE');
    expect(pruned.length).toBeGreaterThan(0);
    expect(complete.length).toBeGreaterThanOrEqual(2);
    for (const t of pruned) {
      const run = await tracking.getRun(t.runId as string);
      expect(run.status).toBe('KILLED');
      expect(run.tags['cairn.trial.state']).toBe('PRUNED');
      expect((await tracking.getMetricHistory(run.id, 'loss')).steps.length).toBeLessThan(6);
    }
    for (const t of complete) {
      const run = await tracking.getRun(t.runId as string);
      expect(run.status).toBe('FINISHED');
      expect(run.params.x).toBe(String(t.params.x));
      expect(run.metrics.find((m) => m.key === 'loss')?.value).toBe(t.values?.[0]);
    }
    const report = await cairn(['sweep', 'report', 'e2e-sweep'], server.url, dir);
    expect(report.stdout).toMatch(/trials: 0 WAITING, 0 RUNNING, \d+ COMPLETE, \d+ PRUNED, 0 FAIL/);
    expect((await cairn(['studies', 'list'], server.url, dir)).stdout).toMatch(/e2e-sweep\s+minimize\s+random\s+median/);
  });
});

describe('cairn sweep with a final JSON line', () => {
  it('takes the objective from the last stdout line when no metric was logged, and fails a trial whose last line is not JSON', async () => {
    const { dir, server } = await sqliteServer();
    const printer = join(ROOT, 'test/e2e/sweep/print_result.py');
    for (const name of ['e2e-json', 'e2e-garbled']) {
      await writeFile(join(dir, `${name}.yaml`), [
        `study: ${name}`, 'direction: minimize', 'metric: loss', `trials: ${name === 'e2e-json' ? 5 : 1}`,
        'sampler: {name: random, seed: 2}', 'params:', '  x: {type: float, low: -3, high: 3}', '  unused: {type: int, low: 1, high: 5}', '',
      ].join('\n'));
    }
    const ok = await cairn(['sweep', '--config', 'e2e-json.yaml', '--', 'python3', printer, '--x', '{x}'], server.url, dir);
    expect(ok.code, ok.stderr.split('\n').filter((l) => !l.startsWith('epoch')).join('\n')).toBe(0);
    const hpo = new HttpStudyClient({ url: server.url, retries: 1 });
    const tracking = new HttpTrackingClient({ url: server.url, retries: 1 });
    const trials = await hpo.listTrials('e2e-json');
    expect(trials.map((t) => t.state)).toEqual(new Array(5).fill('COMPLETE'));
    for (const t of trials) {
      expect(t.values?.[0]).toBeCloseTo(((t.params.x as number) - 0.3) ** 2, 12);
      const run = await tracking.getRun(t.runId as string);
      expect(run.metrics.find((m) => m.key === 'loss')?.value).toBe(t.values?.[0]);
    }
    // Five complete trials are enough for the server's importance evaluator.
    const importances = (await hpo.studyReport('e2e-json')).importances;
    expect(Object.keys(importances ?? {}).sort()).toEqual(['unused', 'x']);
    expect(Object.values(importances ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const report = await cairn(['sweep', 'report', 'e2e-json'], server.url, dir);
    expect(report.stdout).toMatch(/^importances: (x|unused)=[01]\.\d{3}, (x|unused)=[01]\.\d{3}$/m);

    const bad = await cairn(['sweep', '--config', 'e2e-garbled.yaml', '--', 'python3', printer, '--x', '{x}', '--mode', 'garbled'], server.url, dir);
    expect(bad.stderr).toMatch(/logged no finite 'loss' metric, and its last output line is not JSON: done, loss was small/);
    const [failed] = await hpo.listTrials('e2e-garbled');
    expect(failed?.state).toBe('FAIL');
    const run = await tracking.getRun(failed?.runId as string);
    expect(run.tags['cairn.trial.fail_reason']).toMatch(/not JSON: done, loss was small; log 'loss' to CAIRN_RUN_ID or print \{"loss": <number>\}/);
  });
});

describe('cairn worker over one PostgreSQL study', () => {
  it('two workers (through two servers) run every enqueued trial exactly once', async () => {
    const dir = await tempDir('cairn-workers-');
    const pg = await createTestPostgres();
    const opts = { db: pg.url, artifacts: join(dir, 'artifacts'), home: dir };
    const [a, b] = await Promise.all([spawnServer(opts), spawnServer(opts)]);
    cleanups.push(async () => { await a.kill(); await b.kill(); await pg.drop(); await rm(dir, { recursive: true, force: true }); });
    const hpo = new HttpStudyClient({ url: a.url, retries: 1 });
    await hpo.createStudy({ name: 'pg-workers', metricNames: ['loss'], space: { x: { type: 'float', low: -3, high: 3 } } });
    const xs = Array.from({ length: 12 }, (_, i) => i / 4 - 1.5);
    for (const x of xs) await hpo.enqueue('pg-workers', { x });
    const cmd = ['--', 'python3', TRAIN, '--x', '{x}', '--steps', '2', '--delay', '0.05'];
    const [ra, rb] = await Promise.all([
      cairn(['worker', '--study', 'pg-workers', '--trials', '12', '--worker', 'wa', ...cmd], a.url, dir),
      cairn(['worker', '--study', 'pg-workers', '--trials', '12', '--worker', 'wb', ...cmd], b.url, dir),
    ]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const trials = await hpo.listTrials('pg-workers');
    expect(trials).toHaveLength(12);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(trials.map((t) => t.params.x).sort((p, q) => (p as number) - (q as number))).toEqual(xs);
    expect(new Set(trials.map((t) => t.runId)).size).toBe(12);
    expect(new Set(trials.map((t) => t.worker))).toEqual(new Set(['wa', 'wb']));
  });

  it('a killed worker\'s trial becomes FAIL after the heartbeat timeout and is retried with its params', async () => {
    const { dir, server } = await sqliteServer();
    const hpo = new HttpStudyClient({ url: server.url, retries: 1 });
    await hpo.createStudy({ name: 'hb', metricNames: ['loss'], heartbeatTimeoutMs: 800, maxRetries: 1, space: { x: { type: 'float', low: -3, high: 3 } } });
    const pidfile = join(dir, 'child.pid');
    const worker = spawn(process.execPath, [CAIRN_BIN, '--url', server.url, 'worker', '--study', 'hb', '--max-trials', '1', '--',
      'python3', TRAIN, '--x', '{x}', '--steps', '100', '--delay', '0.2', '--pidfile', pidfile], { cwd: dir, env: { ...env, CAIRN_HOME: dir }, stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    let childPid = 0;
    while (!childPid && Date.now() < deadline) {
      childPid = Number(await readFile(pidfile, 'utf8').catch(() => '0'));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(childPid).toBeGreaterThan(0);
    worker.kill('SIGKILL');
    process.kill(childPid, 'SIGKILL');
    const [running] = await hpo.listTrials('hb');
    expect(running?.state).toBe('RUNNING');
    await new Promise((r) => setTimeout(r, 1200));
    // The next ask (any worker's) reaps the silent trial and claims its retry.
    const retry = await hpo.ask('hb', { worker: 'rescuer' });
    const [failed] = await hpo.listTrials('hb', ['FAIL']);
    expect(failed?.number).toBe(0);
    expect(retry).toMatchObject({ number: 1, retryOf: 0, params: failed?.params, state: 'RUNNING' });
    expect((await new HttpTrackingClient({ url: server.url, retries: 1 }).getRun(failed?.runId as string)).status).toBe('FAILED');
  });
});

describe('cairn sweep and cairn worker through the shared store itself (--db, no server)', () => {
  const run = (args: readonly string[], cwd: string, extra: Record<string, string> = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [CAIRN_BIN, ...args], { cwd, env: { ...env, CAIRN_HOME: cwd, ...extra } }, (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });

  it('two workers share one PostgreSQL study without duplicates, audited as the token\'s user; bad credentials, roles and schemas are refused', async () => {
    const dir = await tempDir('cairn-direct-workers-');
    const pg = await createTestPostgres();
    const empty = await createTestPostgres();
    cleanups.push(async () => { await pg.drop(); await empty.drop(); await rm(dir, { recursive: true, force: true }); });
    const store = ['--db', pg.url, '--artifacts', join(dir, 'artifacts')];

    const ana = await run(['users', 'create', 'ana', '--role', 'editor', '--db', pg.url], dir);
    expect(ana.code, ana.stderr).toBe(0);
    const token = ana.stdout.trim();
    const viewer = (await run(['users', 'create', 'vic', '--role', 'viewer', '--db', pg.url], dir)).stdout.trim();

    await writeFile(join(dir, 'direct.yaml'), [
      'study: direct', 'direction: minimize', 'metric: loss', 'trials: 2', 'sampler: {name: tpe, seed: 4}',
      'params:', '  x: {type: float, low: -3, high: 3}', '',
    ].join('\n'));
    // No server anywhere: the trials print their result as a final JSON line.
    const printer = ['python3', join(ROOT, 'test/e2e/sweep/print_result.py'), '--x', '{x}'];
    const sweep = await run(['sweep', ...store, '--config', 'direct.yaml', '--', ...printer], dir, { CAIRN_TOKEN: token });
    expect(sweep.code, sweep.stderr.split('\n').filter((l) => !l.startsWith('epoch')).join('\n')).toBe(0);
    const [wa, wb] = await Promise.all(['wa', 'wb'].map((w) =>
      run(['worker', ...store, '--study', 'direct', '--trials', '10', '--worker', w], dir, { CAIRN_TOKEN: token })));
    expect(wa?.code, wa?.stderr).toBe(0);
    expect(wb?.code, wb?.stderr).toBe(0);

    // Read back through a server over the same store: what the workers wrote is ordinary Cairn data.
    const server = await spawnServer({ db: pg.url, artifacts: join(dir, 'artifacts'), home: dir, env: { CAIRN_AUTH: '1' } });
    cleanups.push(() => server.kill());
    const hpo = new HttpStudyClient({ url: server.url, token, retries: 1 });
    const tracking = new HttpTrackingClient({ url: server.url, token, retries: 1 });
    const trials = await hpo.listTrials('direct');
    expect(trials).toHaveLength(10);
    expect(trials.map((t) => t.number)).toEqual([...Array(10).keys()]);
    expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
    expect(new Set(trials.map((t) => t.runId)).size).toBe(10);
    expect(new Set(trials.slice(2).map((t) => t.worker))).toEqual(new Set(['wa', 'wb']));
    for (const t of trials) {
      expect(t.values?.[0]).toBeCloseTo(((t.params.x as number) - 0.3) ** 2, 12);
      const r = await tracking.getRun(t.runId as string);
      expect(r.status).toBe('FINISHED');
      expect(r.metrics.find((m) => m.key === 'loss')?.value).toBe(t.values?.[0]);
      expect((await tracking.listArtifacts(r.id)).length).toBeGreaterThan(0);
    }
    const exported = join(dir, 'audit.jsonl');
    expect((await run(['audit', 'export', '--db', pg.url, '--out', exported], dir)).code).toBe(0);
    const audit = (await readFile(exported, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { action: string; actor: string; targetId: string });
    const told = audit.filter((e) => e.action === 'trial.tell');
    expect(told.map((e) => e.targetId).sort()).toEqual(trials.map((t) => `direct/${t.number}`).sort());
    expect(new Set(audit.filter((e) => e.action.startsWith('trial.') || e.action.startsWith('study.')).map((e) => e.actor))).toEqual(new Set(['ana']));
    expect((await run(['audit', 'verify', '--db', pg.url], dir)).code).toBe(0);
    // One trial's history, read by target.
    const one = await run(['audit', 'export', '--db', pg.url, '--target', `trial:direct/${trials[3]!.number}`], dir);
    expect(one.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(['trial.ask', 'trial.tell']);
    const badTarget = await run(['audit', 'export', '--db', pg.url, '--target', 'trial'], dir);
    expect(badTarget.code).toBe(2);
    expect(badTarget.stderr).toMatch(/^error: --target must be kind:id, e\.g\. run:<run id>/);

    // Each refusal is one line naming the fix, and nothing is written.
    const worker = ['worker', ...store, '--study', 'direct', '--trials', '11'];
    const cases: [Record<string, string>, readonly string[], RegExp][] = [
      [{}, worker, /^error: database postgres:\/\/[^\n]* has users; set CAIRN_TOKEN to one of your tokens/],
      [{ CAIRN_TOKEN: 'cairn_not-a-real-token-0000000000000000' }, worker, /^error: CAIRN_TOKEN is not a live token in [^\n]*; create one with 'cairn tokens create'/],
      [{ CAIRN_TOKEN: viewer }, worker, /^error: user 'vic' has role viewer in scope experiment:\S+ and needs editor; ask an admin: cairn users grant vic editor/],
      [{}, ['worker', '--db', empty.url, '--study', 'direct'], /^error: database [^\n]* has no Cairn schema; start 'cairn server --db/],
      [{}, ['worker', '--artifacts', dir, '--study', 'direct'], /^error: --artifacts goes with --db/],
    ];
    for (const [extra, args, message] of cases) {
      const r = await run(args, dir, extra);
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toContain('cairn:cairn@');
    }
    expect(await hpo.listTrials('direct')).toHaveLength(10);
  });
});
