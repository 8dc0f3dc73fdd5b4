/**
 * The loop across slices, through the built CLI and a real server process:
 * a dataset version is added and validated against a contract (recorded on
 * the version), a training command runs with `cairn run --input`, its run is
 * registered as a model version, and the registry's `data_validation` gate
 * reads the recorded validation; a model evaluated (`--eval-input`) on a
 * version other than the validated one fails `eval_dataset` and is flagged
 * in its lineage. Run `npm run build` first.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAIRN_BIN, spawnServer, type ServerProcess } from '../support/server-process.js';

interface Result { readonly code: number; readonly stdout: string; readonly stderr: string }
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_') && !k.startsWith('MLFLOW_')));

const TRAIN = `
import json, os, urllib.request
rows = open("data/train.csv").read().splitlines()[1:]
body = json.dumps({"metrics": [{"key": "auc", "value": 0.5 + len(rows) / 100}]}).encode()
urllib.request.urlopen(urllib.request.Request(f"{os.environ['CAIRN_URL']}/api/v1/runs/{os.environ['CAIRN_RUN_ID']}/batch", data=body, method="POST", headers={"content-type": "application/json"})).read()
`;

describe('data → run → registry gate', () => {
  let home: string;
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cairn-loop-e2e-'));
    server = await spawnServer({ db: join(home, 'cairn.db'), artifacts: join(home, 'artifacts'), home });
    env = { ...cleanEnv, CAIRN_HOME: home, CAIRN_URL: server.url, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e.x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e.x' };
  }, 60_000);

  afterAll(async () => {
    await server?.kill();
    await rm(home, { recursive: true, force: true });
  });

  const cli = (cwd: string, ...args: string[]) => new Promise<Result>((done) => {
    execFile(process.execPath, [CAIRN_BIN, ...args], { cwd, env }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });

  it('lets the data_validation gate pass only once the run\'s dataset version validated', async () => {
    const ws = await mkdtemp(join(home, 'ws-'));
    await mkdir(join(ws, 'data'));
    await writeFile(join(ws, 'data', 'train.csv'), 'id,age,label\n1,34,0\n2,51,1\n3,29,0\n4,62,1\n');
    await writeFile(join(ws, 'train.py'), TRAIN);
    await writeFile(join(ws, '.gitignore'), 'data/\n.cairn/\n');
    const added = await cli(ws, 'data', 'add', 'data', '--name', 'churn');
    expect(added.code, added.stderr).toBe(0);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: ws, env });
    execFileSync('git', ['add', '.'], { cwd: ws, env });
    execFileSync('git', ['commit', '-qm', 'train'], { cwd: ws, env });

    const trained = await cli(ws, 'run', '-e', 'loop', '--seed', '1', '--', 'python3', 'train.py');
    expect(trained.code, trained.stderr).toBe(0);
    const runId = /cairn run: run ([0-9a-f]{32})/.exec(trained.stderr)?.[1] ?? '';
    const run = await (await fetch(`${server.url}/api/v1/runs/${runId}`)).json() as { run: { inputs: { name: string; digest: string }[] } };
    expect(run.run.inputs).toEqual([expect.objectContaining({ name: 'churn', digest: '1' })]);

    expect((await cli(ws, 'models', 'create', 'churn-model')).code).toBe(0);
    expect((await cli(ws, 'models', 'register', 'churn-model', '--run', runId)).code).toBe(0);
    const policy = join(ws, 'policy.yaml');
    await writeFile(policy, 'transitions:\n  - to: staging\n    gates:\n      - evidence: [data_validation]\n');
    expect((await cli(ws, 'models', 'policy', 'set', 'churn-model', policy)).code).toBe(0);

    const before = await cli(ws, 'gate', 'check', 'churn-model', '1', '--to', 'staging');
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/FAIL {2}evidence: data_validation {2}— churn@1 has no validation result/);

    const contract = join(ws, 'contract.yaml');
    await writeFile(contract, 'columns:\n  - name: age\n    type: integer\n    min: 18\n    max: 40\n');
    const failing = await cli(ws, 'data', 'validate', 'data/train.csv', '--contract', contract, '--record', 'churn@1');
    expect(failing.code).toBe(1);
    expect((await cli(ws, 'gate', 'check', 'churn-model', '1', '--to', 'staging')).stdout).toMatch(/FAIL {2}evidence: data_validation {2}— churn@1 failed validation/);

    await writeFile(contract, 'columns:\n  - name: age\n    type: integer\n    min: 18\n    max: 99\n');
    const passing = await cli(ws, 'data', 'validate', 'data/train.csv', '--contract', contract, '--record', 'churn@1');
    expect(passing.code, passing.stdout + passing.stderr).toBe(0);
    const after = await cli(ws, 'gate', 'check', 'churn-model', '1', '--to', 'staging');
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toMatch(/PASS {2}evidence: data_validation {2}— validated: churn@1/);
  }, 120_000);

  it('flags a model evaluated on a dataset version other than the validated one, in the gate and the lineage', async () => {
    const ws = await mkdtemp(join(home, 'ws-'));
    await mkdir(join(ws, 'data'));
    await mkdir(join(ws, 'holdout'));
    await writeFile(join(ws, 'data', 'train.csv'), 'id,age,label\n1,34,0\n2,51,1\n');
    await writeFile(join(ws, 'holdout', 'eval.csv'), 'id,age,label\n7,44,1\n');
    await writeFile(join(ws, 'train.py'), TRAIN);
    await writeFile(join(ws, '.gitignore'), 'data/\nholdout/\n.cairn/\n');
    const ok = async (...args: string[]) => {
      const r = await cli(ws, ...args);
      expect(r.code, `cairn ${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      return r;
    };
    await ok('data', 'add', 'data', '--name', 'wheat');
    await ok('data', 'add', 'holdout', '--name', 'holdout');
    const contract = join(ws, 'contract.yaml');
    await writeFile(contract, 'columns:\n  - name: age\n    type: integer\n');
    await ok('data', 'validate', 'holdout/eval.csv', '--contract', contract, '--record', 'holdout@1');
    await writeFile(join(ws, 'holdout', 'eval.csv'), 'id,age,label\n7,44,1\n8,23,0\n');
    await ok('data', 'add', 'holdout', '--name', 'holdout');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: ws, env });
    execFileSync('git', ['add', '.'], { cwd: ws, env });
    execFileSync('git', ['commit', '-qm', 'train'], { cwd: ws, env });

    // No version given: the evaluation input takes holdout.cairn's (2); wheat comes from data.cairn.
    const trained = await ok('run', '-e', 'loop-eval', '--eval-input', 'holdout', '--', 'python3', 'train.py');
    const runId = /cairn run: run ([0-9a-f]{32})/.exec(trained.stderr)?.[1] ?? '';
    await ok('models', 'create', 'wheat-model');
    await ok('models', 'register', 'wheat-model', '--run', runId);
    const policy = join(ws, 'policy.yaml');
    await writeFile(policy, 'transitions:\n  - to: staging\n    gates:\n      - evidence: [eval_dataset]\n');
    await ok('models', 'policy', 'set', 'wheat-model', policy);

    const flag = 'evaluated on holdout@2, but the validated version is holdout@1; evaluate on @1 or validate @2';
    const gate = await cli(ws, 'gate', 'check', 'wheat-model', '1', '--to', 'staging');
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain(`FAIL  evidence: eval_dataset  — ${flag}`);
    const moved = await cli(ws, 'models', 'transition', 'wheat-model', '1', '--to', 'staging');
    expect(moved.code).toBe(5); // InvalidState: blocked by its gates
    expect(moved.stderr).toContain(flag);
    const lineage = (await ok('models', 'lineage', 'wheat-model', '1')).stdout.split('\n');
    expect(lineage).toContain(`data     holdout@2  evaluation  holdout@2  FLAGGED: ${flag}`);
    expect(lineage).toContain('data     wheat@1  input  wheat@1');

    await ok('data', 'validate', 'holdout/eval.csv', '--contract', contract, '--record', 'holdout@2');
    expect((await ok('gate', 'check', 'wheat-model', '1', '--to', 'staging')).stdout).toContain('PASS  evidence: eval_dataset  — evaluation dataset version holdout@2');
    expect((await ok('models', 'lineage', 'wheat-model', '1')).stdout).not.toContain('FLAGGED');
  }, 120_000);
});
