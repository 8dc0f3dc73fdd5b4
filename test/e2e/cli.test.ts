/**
 * Drives the built `cairn` CLI (bin/cairn.js → dist/) as child processes
 * against a real server child process. Run `npm run build` first.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTrackingClient } from '../../src/client/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/cairn.js');
const OLD_NODE = '/usr/bin/node';

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly bytes: Buffer;
}

/** The environment without the developer's own CAIRN_* settings. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_')));

function runNode(node: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((done) => {
    execFile(node, [BIN, ...args], { cwd: ROOT, env, encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout: stdout.toString(), stderr: stderr.toString(), bytes: stdout });
    });
  });
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const addr = srv.address();
  await new Promise((ok) => srv.close(ok));
  if (typeof addr !== 'object' || addr === null) throw new Error('no port');
  return addr.port;
}

async function waitForHealth(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}: ${log()}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer /api/v1/health in 30 s: ${log()}`);
}

describe('cairn CLI against a live server', () => {
  let home: string;
  let url: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess;
  let serverOut = '';
  let api: HttpTrackingClient;
  const cli = (...args: string[]) => runNode(process.execPath, args, env);

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('cairn is not built: run `npm run build` first');
    home = await mkdtemp(join(tmpdir(), 'cairn-cli-e2e-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = { ...cleanEnv, CAIRN_HOME: home, CAIRN_URL: url };
    server = spawn(process.execPath, [BIN, 'server', '--port', String(port)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout?.on('data', (d: Buffer) => (serverOut += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (serverOut += d.toString()));
    await waitForHealth(url, server, () => serverOut);
    api = new HttpTrackingClient({ url });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise<number | null>((ok) => server.once('exit', (code) => ok(code)));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('prints one line saying where it listens', () => {
    expect(serverOut).toMatch(new RegExp(`^Cairn \\S+ listening on ${url} \\(db: .*cairn\\.db, artifacts: .*artifacts\\)\\n`));
  });

  it('answers --help with the command list', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['server', 'db', 'experiments', 'runs', 'artifacts', 'sync']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('stops quietly when the reader of its output goes away (cairn … | head)', async () => {
    const node = process.execPath;
    const child = spawn(node, [BIN, 'worker', '--help'], { cwd: ROOT, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first write
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('exits 2 on usage errors', async () => {
    const r = await cli('runs', 'list', '--max', 'abc');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: option '--max <n>' argument 'abc' is invalid/);
  });

  it('sync uploads runs logged offline by the SDK, once', async () => {
    const { Cairn } = await import('../../src/sdk/index.js');
    const offline = new Cairn({ offline: true, offlineDir: join(home, 'offline'), url: 'http://127.0.0.1:9' });
    const run = await offline.startRun({ experiment: 'cli-offline', name: 'offline-run', params: { seed: 1 } });
    for (let step = 0; step < 50; step++) run.log({ loss: 1 / (step + 1) }, { step });
    await run.end();
    const first = await cli('sync');
    expect(first.code).toBe(0);
    expect(first.stderr + first.stdout).toMatch(/1 run/);
    const again = await cli('sync');
    expect(again.code).toBe(0);
    const exp = await api.getExperimentByName('cli-offline');
    const runs = (await api.searchRuns({ experimentIds: [exp.id] })).items;
    expect(runs.map((r) => r.name)).toEqual(['offline-run']);
    expect((await api.getMetricHistory(runs[0]!.id, 'loss')).values).toHaveLength(50);
  });

  describe('with an experiment and two runs', () => {
    const name = `cli-e2e-${randomBytes(3).toString('hex')}`;
    let good: string;
    let bad: string;

    beforeAll(async () => {
      const created = await cli('experiments', 'create', name, '--tag', 'team=ml', '--description', 'e2e');
      expect(created.stderr).toBe('');
      expect(created.stdout).toMatch(new RegExp(`^created experiment \\S+ '${name}'\\n$`));
      const runs = [];
      for (const acc of [0.9, 0.3]) {
        const run = await api.createRun({ experimentName: name, params: { lr: '0.1', epochs: '10' } });
        await api.logBatch(run.id, { metrics: [{ key: 'acc', value: acc, step: 1 }, { key: 'loss', value: 0.25, step: 1 }] });
        runs.push(run.id);
      }
      [good = '', bad = ''] = runs;
    });

    it('lists experiments and runs', async () => {
      expect((await cli('experiments', 'list')).stdout).toMatch(new RegExp(`^\\S+\\s+${name}\\s+active\\s`, 'm'));
      const table = await cli('runs', 'list', '--experiment', name);
      expect(table.code).toBe(0);
      expect(table.stdout.split('\n')[0]).toMatch(/^RUN ID\s+NAME\s+EXPERIMENT\s+STATUS/);
      expect(table.stdout).toContain(good);
      expect(table.stdout).toContain(bad);
      const json = JSON.parse((await cli('runs', 'list', '--experiment', name, '--json')).stdout) as { id: string }[];
      expect(json.map((r) => r.id).sort()).toEqual([good, bad].sort());
    });

    it('searches with the filter language', async () => {
      const r = await cli('runs', 'search', '--filter', 'metrics.acc > 0.5', '--experiment', name);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(good);
      expect(r.stdout).not.toContain(bad);
      expect(r.stdout.split('\n')[0]).toMatch(/metrics\.acc$/);
    });

    it('shows a run', async () => {
      const r = await cli('runs', 'show', good);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^status\s+RUNNING$/m);
      expect(r.stdout).toMatch(/^ {2}lr\s+0\.1$/m);
      expect(r.stdout).toMatch(/^ {2}acc\s+0\.9\s+step 1/m);
    });

    it('compares runs, marking only the rows that differ', async () => {
      const r = await cli('runs', 'compare', good, bad);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('\x1b');
      const row = (label: string) => r.stdout.split('\n').find((l) => l.slice(3).startsWith(`${label} `)) ?? '';
      expect(row('metrics.acc')).toMatch(/^\* {2}metrics\.acc\s+0\.9\s+0\.3$/);
      expect(row('params.lr')).toMatch(/^ {3}params\.lr\s+0\.1\s+0\.1$/);
      expect(row('metrics.loss')).toMatch(/^ {3}metrics\.loss/);
    });

    it('round-trips an artifact through put, ls and get', async () => {
      const data = randomBytes(300_000);
      const local = join(home, 'model.bin');
      await writeFile(local, data);
      const put = await cli('artifacts', 'put', good, local, '--path', 'models/');
      expect(put.code).toBe(0);
      expect(put.stdout).toMatch(/^uploaded models\/model\.bin \(293\.0 KiB, [0-9a-f]{64}\)\n$/);
      expect((await cli('artifacts', 'ls', good)).stdout).toMatch(/^models\/$/m);
      expect((await cli('artifacts', 'ls', good, 'models')).stdout).toMatch(/^models\/model\.bin\s+293\.0 KiB\s+[0-9a-f]{64}$/m);

      const outDir = await mkdtemp(join(home, 'get-'));
      const get = await cli('artifacts', 'get', good, 'models/model.bin', '-o', join(outDir, 'copy.bin'));
      expect(get.code).toBe(0);
      expect(Buffer.compare(await readFile(join(outDir, 'copy.bin')), data)).toBe(0);
      const piped = await cli('artifacts', 'get', good, 'models/model.bin');
      expect(Buffer.compare(piped.bytes, data)).toBe(0);

      const missing = await cli('artifacts', 'get', good, 'models/none.bin', '-o', join(outDir, 'none.bin'));
      expect(missing.code).toBe(3);
      expect(await readdir(outDir)).toEqual(['copy.bin']);

      const rm = await cli('artifacts', 'rm', good, 'models');
      expect(rm.stdout).toBe(`removed models from run ${good}\n`);
      expect((await cli('artifacts', 'ls', good)).stdout).not.toMatch(/models/);
    });

    it('rejects a bad filter with one line naming the position', async () => {
      const r = await cli('runs', 'search', '--filter', 'metrics.acc >> 1', '--experiment', name);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^error: .*position \d+.*\n$/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it('exits 3 with a NOT_FOUND message for an unknown run', async () => {
    const r = await cli('runs', 'show', 'nope');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: run 'nope' does not exist.*\n$/);
  });

  it('upgrades a fresh SQLite database', async () => {
    const db = join(home, 'fresh', 'cairn.db');
    const first = await cli('db', 'upgrade', '--db', db);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^applied migration 0001 tracking$/m);
    const again = await cli('db', 'upgrade', '--db', db);
    expect(again.stdout).toMatch(/already at schema \d+$/m);
  });
});

describe('cairn on an old Node', () => {
  const major = (node: string) => Number(execFileSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }));
  const oldNode = existsSync(OLD_NODE) && major(OLD_NODE) < 24 ? OLD_NODE : null;
  it.skipIf(oldNode === null)('prints one line naming Node 24 and exits 1', async () => {
    const r = await runNode(oldNode as string, ['--help'], cleanEnv);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Node\.js 24/);
  });
});
