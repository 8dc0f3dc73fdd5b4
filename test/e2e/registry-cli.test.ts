/**
 * Drives the built `cairn` CLI against a real server child process: gates
 * checked with `cairn gate check` (exit 0 when every gate passes, 1 when one
 * fails) and `cairn models rollback`. Run `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRegistryClient, HttpTrackingClient } from '../../src/client/index.js';
import { CAIRN_BIN, ROOT, spawnServer, type ServerProcess } from '../support/server-process.js';

interface CliResult { readonly code: number; readonly stdout: string; readonly stderr: string }

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_')));

describe('cairn models and cairn gate against a live server', () => {
  let home: string;
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;
  let tracking: HttpTrackingClient;
  let registry: HttpRegistryClient;
  const cli = (...args: string[]) => new Promise<CliResult>((done) => {
    execFile(process.execPath, [CAIRN_BIN, ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
  const file = async (name: string, text: string) => {
    const p = join(home, name);
    await writeFile(p, text);
    return p;
  };
  async function runWithAuc(auc: number): Promise<string> {
    const r = await tracking.createRun({ experimentName: 'registry-e2e', params: { seed: '1' }, tags: { 'mlflow.source.git.commit': 'feedbeef' } });
    await tracking.logBatch(r.id, { metrics: [{ key: 'auc', value: auc, step: 1 }] });
    await tracking.logInputs(r.id, [{ name: 'holdout', digest: 'h1', sourceType: 'local', source: 'holdout.csv', context: 'evaluation', schema: null, profile: null, tags: {} }]);
    return r.id;
  }

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('cairn is not built: run `npm run build` first');
    home = await mkdtemp(join(tmpdir(), 'cairn-registry-e2e-'));
    server = await spawnServer({ db: join(home, 'cairn.db'), artifacts: join(home, 'artifacts'), home });
    env = { ...cleanEnv, CAIRN_HOME: home, CAIRN_URL: server.url };
    tracking = new HttpTrackingClient({ url: server.url });
    registry = new HttpRegistryClient({ url: server.url });
  });

  afterAll(async () => {
    await server?.kill();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('lists the registry commands in --help', async () => {
    const r = await cli('--help');
    for (const c of ['models', 'gate']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('checks gates (exit 1, then 0), promotes, and rolls back in one call', async () => {
    expect((await cli('models', 'create', 'churn', '--description', 'churn classifier')).stdout).toBe("created model 'churn'\n");
    const sig = await file('sig.json', JSON.stringify({ inputs: [{ name: 'x', type: 'float32', shape: [-1, 3] }], outputs: [{ name: 'p', type: 'float32', shape: [-1] }] }));
    const reg = await cli('models', 'register', 'churn', '--run', await runWithAuc(0.9), '--format', 'onnx', '--signature', sig);
    expect(reg.stderr).toBe('');
    expect(reg.stdout).toMatch(/^registered churn v1 \(development\) from runs:\/\w+\/model\n$/);

    const policy = await file('policy.yaml', JSON.stringify({
      transitions: [{ to: 'production', gates: ['metrics.auc >= 0.85', 'candidate.auc >= production.auc - 0.005', { evidence: ['model_card', 'signature', 'eval_dataset'] }] }],
    }, null, 2));
    expect((await cli('models', 'policy', 'set', 'churn', policy)).stdout).toBe('stored policy version 1 of churn\n');

    const blocked = await cli('gate', 'check', 'churn', '1', '--to', 'production');
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/^churn v1: development → production: blocked\n/);
    expect(blocked.stdout).toMatch(/^ {2}PASS {2}metrics\.auc >= 0\.85 {2}— candidate\.auc = 0\.9: 0\.9 >= 0\.85$/m);
    expect(blocked.stdout).toMatch(/^ {2}FAIL {2}evidence: model_card {2}— no model card/m);

    const refused = await cli('models', 'transition', 'churn', '1', '--to', 'production');
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/^error: cannot move churn v1 to production: failing gates: evidence: model_card/);

    expect((await cli('models', 'card', 'churn', '1', '--generate', '--intended-use', 'weekly churn scoring')).code).toBe(0);
    const card = await cli('models', 'card', 'churn', '1');
    expect(card.stdout).toMatch(/^# churn v1\n/);
    expect(card.stdout).toContain('weekly churn scoring');

    const open = await cli('gate', 'check', 'churn', '1', '--to', 'production');
    expect(open.code).toBe(0);
    expect(open.stdout).toMatch(/all gates pass/);
    expect(open.stdout).not.toMatch(/FAIL/);

    expect((await cli('models', 'transition', 'churn', '1', '--to', 'production')).stdout).toMatch(/moved churn v1 to production\n$/);
    await cli('models', 'register', 'churn', '--run', await runWithAuc(0.92), '--signature', sig);
    await cli('models', 'card', 'churn', '2', '--generate');
    const promoted = await cli('models', 'transition', 'churn', '2', '--to', 'production');
    expect(promoted.stdout).toMatch(/moved churn v2 to production; v1 is now archived\n$/);

    const t0 = Date.now();
    const rolled = await cli('models', 'rollback', 'churn', '--reason', 'v2 latency regression');
    expect(Date.now() - t0).toBeLessThan(5_000); // a whole CLI process; the server call itself is sub-second
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toBe('rolled back churn: v1 is in production, v2 is now archived\n');
    expect((await registry.latestVersions('churn', ['production'])).map((v) => v.version)).toEqual([1]);

    const lineage = await cli('models', 'lineage', 'churn', '1');
    expect(lineage.stdout.split('\n').map((l) => l.split(' ')[0])).toEqual(['code', 'data', 'run', 'version', 'stages', 'stages', 'stages', '']);
    expect(lineage.stdout).toMatch(/^code {5}feedbeef/);
    expect(lineage.stdout).toMatch(/rollback {2}by local {2}"v2 latency regression"/);
  });

  it('maps bad input to messages and exit codes', async () => {
    const bad = await cli('models', 'policy', 'set', 'churn', await file('bad.yaml', '{\n  "transitions": [\n    {"to": "production", "gates": ["metrics.auc >== 1"]}\n  ]\n}'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid policy at line 3: /);
    const missing = await cli('gate', 'check', 'nope', '1', '--to', 'production');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/registered model 'nope' does not exist/);
    expect((await cli('gate', 'check', 'churn', '1', '--to', 'prod')).stderr).toMatch(/unknown stage 'prod'/);
  });
});
