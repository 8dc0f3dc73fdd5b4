/**
 * `cairn run`, `cairn repro` and `cairn runs check` end to end: the built CLI
 * as a child process, a real server process, real git repositories and real
 * Python and Node training scripts. Run `npm run build` first.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTrackingClient } from '../../src/client/index.js';
import type { Run } from '../../src/tracking/domain.js';
import { CAIRN_BIN, ROOT, spawnServer, type ServerProcess } from '../support/server-process.js';

interface Result { readonly code: number; readonly stdout: string; readonly stderr: string }

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_') && !k.startsWith('MLFLOW_')));

/** A Python script with only the standard library: logs through Cairn's REST API and through MLflow's, via the env. */
const PY_SEEDED = `
import json, os, random, sys, time, urllib.request
def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={"content-type": "application/json"})
    urllib.request.urlopen(req).read()
lr = float(sys.argv[sys.argv.index("--lr") + 1])
rng = random.Random(int(os.environ["CAIRN_SEED"]))
acc = sum(rng.random() for _ in range(1000)) / 1000 * lr * SCALE
post(f"{os.environ['CAIRN_URL']}/api/v1/runs/{os.environ['CAIRN_RUN_ID']}/batch", {"metrics": [{"key": "acc", "value": acc, "step": 1}]})
post(f"{os.environ['MLFLOW_TRACKING_URI']}/api/2.0/mlflow/runs/log-metric", {"run_id": os.environ["MLFLOW_RUN_ID"], "key": "loss", "value": 1 - acc, "timestamp": int(time.time() * 1000), "step": 1})
post(f"{os.environ['MLFLOW_TRACKING_URI']}/api/2.0/mlflow/runs/log-parameter", {"run_id": os.environ["MLFLOW_RUN_ID"], "key": "hash_seed", "value": os.environ["PYTHONHASHSEED"]})
time.sleep(0.4)
print("trained: acc", acc, "param", os.environ.get("CAIRN_PARAM_LR"))
`;

/** A Node script: Cairn's SDK attached to CAIRN_RUN_ID, and MLflow's REST API through MLFLOW_*. */
const NODE_SEEDED = (sdk: string) => `
import { Cairn } from ${JSON.stringify(sdk)};
let s = Number(process.env.CAIRN_SEED) >>> 0;
const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
let sum = 0;
for (let i = 0; i < 1000; i++) sum += next();
const cairn = new Cairn({ url: process.env.CAIRN_URL });
const run = await cairn.attachRun(process.env.CAIRN_RUN_ID);
run.log({ mean: sum / 1000 }, { step: 0 });
await run.flush();
const res = await fetch(process.env.MLFLOW_TRACKING_URI + '/api/2.0/mlflow/runs/log-metric', {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ run_id: process.env.MLFLOW_RUN_ID, key: 'first', value: sum, timestamp: Date.now(), step: 0 }),
});
if (!res.ok) throw new Error('mlflow log-metric failed: ' + res.status);
console.log('node mean', sum / 1000);
`;

const PY_UNSEEDED = `
import json, os, random, urllib.request
value = random.SystemRandom().random()
req = urllib.request.Request(f"{os.environ['CAIRN_URL']}/api/v1/runs/{os.environ['CAIRN_RUN_ID']}/batch",
    data=json.dumps({"metrics": [{"key": "score", "value": value}, {"key": "constant", "value": 1}]}).encode(),
    method="POST", headers={"content-type": "application/json"})
urllib.request.urlopen(req).read()
`;

const PY_READS_UNTRACKED = `
import json, os, urllib.request
rows = open("data.csv").read().splitlines()
req = urllib.request.Request(f"{os.environ['CAIRN_URL']}/api/v1/runs/{os.environ['CAIRN_RUN_ID']}/batch",
    data=json.dumps({"metrics": [{"key": "rows", "value": len(rows)}]}).encode(), method="POST", headers={"content-type": "application/json"})
urllib.request.urlopen(req).read()
`;

/** Reads a CSV that is git-ignored and tracked by a pointer file (data.csv.cairn). */
const PY_READS_POINTER_DATA = `
import json, os, urllib.request
rows = [line.split(",") for line in open("data.csv").read().splitlines()[1:]]
total = sum(float(r[1]) for r in rows)
req = urllib.request.Request(f"{os.environ['CAIRN_URL']}/api/v1/runs/{os.environ['CAIRN_RUN_ID']}/batch",
    data=json.dumps({"metrics": [{"key": "rows", "value": len(rows)}, {"key": "total", "value": total}]}).encode(),
    method="POST", headers={"content-type": "application/json"})
urllib.request.urlopen(req).read()
`;

/** Reads a file named by an environment variable that is not recorded (not allow-listed). */
const PY_READS_UNRECORDED = `
import json, os, urllib.request
value = float(open(os.environ["EXTRA_INPUT"]).read())
req = urllib.request.Request(f"{os.environ['CAIRN_URL']}/api/v1/runs/{os.environ['CAIRN_RUN_ID']}/batch",
    data=json.dumps({"metrics": [{"key": "value", "value": value}]}).encode(), method="POST", headers={"content-type": "application/json"})
urllib.request.urlopen(req).read()
`;

/** Uses the real mlflow client: start_run() picks up MLFLOW_RUN_ID, so everything lands in cairn run's run. */
const PY_MLFLOW = `
import mlflow
with mlflow.start_run() as run:
    mlflow.log_param("alpha", 0.5)
    for step in range(3):
        mlflow.log_metric("rmse", 1.0 / (step + 1), step=step)
    mlflow.set_tag("framework", "mlflow")
    print("mlflow run", run.info.run_id)
`;

const PY_CRASH = `
import sys
print("about to fail", file=sys.stderr)
1 / 0
`;

const PY_WAITS_FOR_SIGINT = `
import os, sys, time
try:
    print("ready", flush=True)  # inside the try: Python may raise the interrupt as soon as print returns
    time.sleep(60)
except KeyboardInterrupt:
    open(os.environ["MARKER"], "w").write("got SIGINT")
    sys.exit(130)
`;

describe('cairn run and cairn repro', () => {
  let home: string;
  let server: ServerProcess;
  let api: HttpTrackingClient;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cairn-repro-e2e-'));
    server = await spawnServer({ db: join(home, 'cairn.db'), artifacts: join(home, 'artifacts'), home });
    api = new HttpTrackingClient({ url: server.url });
    env = { ...cleanEnv, CAIRN_HOME: home, CAIRN_URL: server.url, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  }, 60_000);

  afterAll(async () => {
    await server?.kill();
    await rm(home, { recursive: true, force: true });
  });

  /** A fresh git repository holding `files`, committed. */
  async function repo(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(home, 'repo-'));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    execFileSync('git', ['add', '.'], { cwd: dir, env });
    execFileSync('git', ['commit', '-qm', 'initial'], { cwd: dir, env });
    return dir;
  }

  function cli(args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Result> {
    return new Promise((done) => {
      execFile(process.execPath, [CAIRN_BIN, ...args], { cwd, env: { ...env, ...extraEnv }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  }

  /** The run id `cairn run` announced on stderr. */
  const runIdOf = (r: Result): string => {
    const m = /cairn run: run ([0-9a-f]{32})/.exec(r.stderr);
    if (!m?.[1]) throw new Error(`no run id in: ${r.stderr}`);
    return m[1];
  };

  async function artifactText(runId: string, path: string): Promise<string> {
    const chunks: Uint8Array[] = [];
    for await (const c of await api.openArtifact(runId, path)) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  }

  const metric = (r: Run, key: string): number | undefined => r.metrics.find((m) => m.key === key)?.value;

  it('captures a seeded Python run and reproduces it', async () => {
    const dir = await repo({ 'train.py': PY_SEEDED.replace('SCALE', '1'), '.gitignore': 'outputs/\n' });
    const r = await cli(['run', '-e', 'py-seeded', '--seed', '7', '-p', 'lr=0.5', '--sample-interval', '0.1',
      '--env', 'SAFE_SETTING', '--env', 'MY_API_KEY', '--', 'python3', 'train.py', '--lr', '{lr}'], dir,
    { SAFE_SETTING: 'visible', MY_API_KEY: 'sk-very-secret', HF_TOKEN: 'hf-secret', OMP_NUM_THREADS: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('trained: acc');
    expect(r.stdout).toContain('param 0.5');
    const id = runIdOf(r);
    const run = await api.getRun(id);
    expect(run.status).toBe('FINISHED');
    expect(run.params).toMatchObject({ lr: '0.5', hash_seed: '7' });
    expect(metric(run, 'acc')).toBeGreaterThan(0);
    expect(metric(run, 'loss')).toBeCloseTo(1 - (metric(run, 'acc') ?? 0), 12);
    expect(run.metrics.some((m) => m.key === 'system/rss_mb')).toBe(true);
    expect(run.metrics.some((m) => m.key === 'system/cpu_percent')).toBe(true);
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
    expect(run.tags).toMatchObject({
      'cairn.git.commit': commit, 'cairn.git.branch': 'main', 'cairn.git.dirty': 'false', 'cairn.seed': '7',
      'cairn.run.exit_code': '0', 'cairn.run.cwd': '.', 'mlflow.source.git.commit': commit,
    });
    expect(JSON.parse(run.tags['cairn.run.command'] ?? '[]')).toEqual(['python3', 'train.py', '--lr', '{lr}']);
    const manifest = JSON.parse(await artifactText(id, 'cairn/manifest.json'));
    expect(manifest.env).toMatchObject({ SAFE_SETTING: 'visible', OMP_NUM_THREADS: '1' });
    const everything = JSON.stringify(manifest) + JSON.stringify(run.tags) + JSON.stringify(run.params);
    expect(everything).not.toContain('sk-very-secret');
    expect(everything).not.toContain('hf-secret');
    expect(manifest.machine.cpuCores).toBeGreaterThan(0);
    expect(manifest.runtimes.python).toMatch(/^3\./);
    expect(await artifactText(id, 'logs/output.log')).toContain('trained: acc');

    const check = await cli(['runs', 'check', id], dir);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout.split('\n').filter((l) => l.startsWith('yes')).length).toBe(5);

    const rep = await cli(['repro', id, '--sample-interval', '0.1'], dir);
    expect(rep.code, rep.stdout + rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(/^REPRODUCED: run /);
    const original = await api.getRun(id);
    const rerunId = original.tags['cairn.repro.run'] ?? '';
    const rerun = await api.getRun(rerunId);
    expect(original.tags['cairn.repro.verdict']).toBe('REPRODUCED');
    expect(rerun.tags['cairn.repro.verdict']).toBe('REPRODUCED');
    expect(rerun.tags['cairn.repro.of']).toBe(id);
    expect(rerun.params.lr).toBe('0.5');
    expect(metric(rerun, 'acc')).toBe(metric(run, 'acc'));
    const found = await api.searchRuns({ experimentIds: [run.experimentId], filter: "tags.`cairn.repro.verdict` = 'REPRODUCED'" });
    expect(found.items.map((x) => x.id).sort()).toEqual([id, rerunId].sort());
  }, 120_000);

  it('captures a seeded Node run that logs through the SDK and MLflow, and reproduces it', async () => {
    const sdk = pathToFileURL(join(ROOT, 'dist/src/sdk/index.js')).href;
    const dir = await repo({ 'train.mjs': NODE_SEEDED(sdk), 'package-lock.json': '{"lockfileVersion":3}' });
    const r = await cli(['run', '-e', 'node-seeded', '--seed', '11', '--', 'node', 'train.mjs'], dir);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdOf(r);
    const run = await api.getRun(id);
    expect(metric(run, 'mean')).toBeGreaterThan(0);
    expect(metric(run, 'first')).toBeCloseTo((metric(run, 'mean') ?? 0) * 1000, 9);
    const manifest = JSON.parse(await artifactText(id, 'cairn/manifest.json'));
    expect(manifest.packages.node.lockfile).toBe('package-lock.json');
    const rep = await cli(['repro', id, '--json'], dir);
    expect(rep.code, rep.stderr).toBe(0);
    const verdict = JSON.parse(rep.stdout);
    expect(verdict.verdict).toBe('REPRODUCED');
    expect(verdict.metrics.map((m: { key: string }) => m.key)).toEqual(['first', 'mean']);
  }, 120_000);

  it('says DIVERGED, naming the metric, when the script draws from an unseeded generator', async () => {
    const dir = await repo({ 'train.py': PY_UNSEEDED });
    const r = await cli(['run', '--seed', '1', '--', 'python3', 'train.py'], dir);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdOf(r);
    const rep = await cli(['repro', id], dir);
    expect(rep.code).toBe(1);
    expect(rep.stdout).toMatch(/^DIVERGED: /);
    expect(rep.stdout).toMatch(/score: [\d.e-]+ → [\d.e-]+/);
    expect(rep.stdout).not.toMatch(/constant:/);
    const original = await api.getRun(id);
    expect(original.tags['cairn.repro.verdict']).toBe('DIVERGED');
    expect(original.tags['cairn.repro.detail']).toContain('score');
    // A loose enough tolerance accepts the difference.
    const loose = await cli(['repro', id, '--metric-tolerance', 'score=abs:1'], dir);
    expect(loose.code, loose.stdout).toBe(0);
  }, 120_000);

  it('applies the recorded patch of a dirty tree and reproduces', async () => {
    const dir = await repo({ 'train.py': PY_SEEDED.replace('SCALE', '1') });
    await writeFile(join(dir, 'train.py'), PY_SEEDED.replace('SCALE', '3'));
    const r = await cli(['run', '--seed', '5', '-p', 'lr=1', '--', 'python3', 'train.py', '--lr', '{lr}'], dir);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdOf(r);
    const run = await api.getRun(id);
    expect(run.tags['cairn.git.dirty']).toBe('true');
    expect(await artifactText(id, 'cairn/patch.diff')).toContain('* 3');
    // Throw the change away: only the recorded patch still has it.
    execFileSync('git', ['checkout', '--', 'train.py'], { cwd: dir });
    const rep = await cli(['repro', id, '--json'], dir);
    expect(rep.code, rep.stderr).toBe(0);
    const v = JSON.parse(rep.stdout);
    expect(v.verdict).toBe('REPRODUCED');
    expect(metric(await api.getRun(v.rerun), 'acc')).toBe(metric(run, 'acc'));
    // The user's tree is untouched and no worktree is left behind.
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
    expect(execFileSync('git', ['worktree', 'list'], { cwd: dir, encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('says NOT REPRODUCIBLE, naming them, when the run read untracked files', async () => {
    const dir = await repo({ 'train.py': PY_READS_UNTRACKED });
    await writeFile(join(dir, 'data.csv'), 'a,b\n1,2\n');
    const r = await cli(['run', '--seed', '3', '--', 'python3', 'train.py'], dir);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdOf(r);
    const manifest = JSON.parse(await artifactText(id, 'cairn/manifest.json'));
    expect(manifest.git.untracked).toEqual([expect.objectContaining({ path: 'data.csv', size: 8 })]);
    const before = (await api.searchRuns({ experimentIds: [(await api.getRun(id)).experimentId] })).items.length;
    const rep = await cli(['repro', id], dir);
    expect(rep.code).toBe(1);
    expect(rep.stdout).toMatch(/^NOT REPRODUCIBLE: /);
    expect(rep.stdout).toContain('data.csv');
    expect((await api.searchRuns({ experimentIds: [(await api.getRun(id)).experimentId] })).items.length).toBe(before);
    expect((await api.getRun(id)).tags['cairn.repro.verdict']).toBe('NOT REPRODUCIBLE');
    const check = await cli(['runs', 'check', id], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^no +Is its data versioned\?.*untracked/m);
    // require_clean turns the untracked file into a refusal, before any run is made.
    const refused = await cli(['run', '--require-clean', '--', 'python3', 'train.py'], dir);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/require_clean.*untracked.*commit or stash/);
  }, 120_000);

  it('checks out the recorded dataset versions of pointer-tracked, git-ignored data and reproduces', async () => {
    const dir = await repo({ 'train.py': PY_READS_POINTER_DATA, '.gitignore': 'data.csv\n.cairn/\n' });
    await writeFile(join(dir, 'data.csv'), 'id,x\n1,2.5\n2,4\n');
    const added = await cli(['data', 'add', 'data.csv', '--name', 'points'], dir);
    expect(added.code, added.stderr).toBe(0);
    execFileSync('git', ['add', 'data.csv.cairn'], { cwd: dir, env });
    execFileSync('git', ['commit', '-qm', 'track data'], { cwd: dir, env });
    const r = await cli(['run', '--seed', '4', '--', 'python3', 'train.py'], dir);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdOf(r);
    expect(metric(await api.getRun(id), 'total')).toBe(6.5);
    const manifest = JSON.parse(await artifactText(id, 'cairn/manifest.json'));
    expect(manifest.inputs).toEqual([{ name: 'points', version: '1' }]);
    // Pointer-tracked data and Cairn's cache are versioned, not unversioned inputs.
    expect(manifest.git.untracked).toEqual([]);
    expect(manifest.git.ignored).toEqual({ files: [], total: 0 });
    // The user's copy changes afterwards; the rerun must still read version 1, from the server.
    await writeFile(join(dir, 'data.csv'), 'id,x\n1,100\n');
    const rep = await cli(['repro', id], dir);
    expect(rep.code, rep.stdout + rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(/^REPRODUCED: /);
    expect(rep.stderr).toMatch(/points@1 \(1 files\) checked out at data\.csv/);
    expect(await readFile(join(dir, 'data.csv'), 'utf8')).toBe('id,x\n1,100\n');

    // A tag or `latest` is recorded as the version it names at run time (tags move; `latest` grows), with what was asked for.
    expect((await cli(['data', 'tag', 'points@1', 'gold'], dir)).code).toBe(0);
    const tagged = await cli(['run', '--seed', '4', '--input', 'points@gold', '--', 'python3', 'train.py'], dir);
    expect(tagged.code, tagged.stderr).toBe(0);
    expect(JSON.parse(await artifactText(runIdOf(tagged), 'cairn/manifest.json')).inputs).toEqual([{ name: 'points', version: '1', ref: 'gold' }]);
    expect((await api.getRun(runIdOf(tagged))).inputs.map((i) => [i.digest, i.context, i.tags])).toEqual([['1', 'input', { version: '1', ref: 'gold' }]]);
    const latest = await cli(['run', '--seed', '4', '--eval-input', 'points@latest', '--', 'python3', 'train.py'], dir);
    expect(latest.code, latest.stderr).toBe(0);
    expect(JSON.parse(await artifactText(runIdOf(latest), 'cairn/manifest.json')).inputs).toEqual([{ name: 'points', version: '1', ref: 'latest', context: 'evaluation' }]);

    // A recorded version the server does not have is named: noted at run time, reported by repro.
    const missing = await cli(['run', '--seed', '4', '--input', 'points@9', '--', 'python3', 'train.py'], dir);
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.stderr).toMatch(/cairn run: dataset 'points' has no version 9 \(latest is 1\); points@9 is recorded as given, and cairn repro will report it missing/);
    const no = await cli(['repro', runIdOf(missing)], dir);
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/^NOT REPRODUCIBLE: /);
    expect(no.stdout).toContain('dataset version points@9 is not on');

    // Without a recorded seed a match proves nothing: NOT REPRODUCIBLE, though the rerun matched.
    await writeFile(join(dir, 'data.csv'), 'id,x\n1,2.5\n2,4\n');
    const unseeded = await cli(['run', '--', 'python3', 'train.py'], dir);
    expect(unseeded.code, unseeded.stderr).toBe(0);
    const noSeed = await cli(['repro', runIdOf(unseeded)], dir);
    expect(noSeed.code).toBe(1);
    expect(noSeed.stdout).toMatch(/^NOT REPRODUCIBLE: [^\n]*\n {2}- no seed was recorded; pass --seed/);
    expect(noSeed.stdout).not.toMatch(/total:/);
  }, 120_000);

  it('says NOT REPRODUCIBLE, quoting stderr, when the rerun fails where the original finished', async () => {
    const dir = await repo({ 'train.py': PY_READS_UNRECORDED });
    const outside = join(home, 'outside-the-repo.txt');
    await writeFile(outside, '42\n');
    const r = await cli(['run', '--seed', '1', '--', 'python3', 'train.py'], dir, { EXTRA_INPUT: outside });
    expect(r.code, r.stderr).toBe(0);
    const rep = await cli(['repro', runIdOf(r)], dir);
    expect(rep.code).toBe(1);
    expect(rep.stdout).toMatch(/^NOT REPRODUCIBLE: /);
    expect(rep.stdout).toMatch(/the rerun FAILED where the original FINISHED.*stderr ended: .*KeyError: 'EXTRA_INPUT'/);
    expect(rep.stdout).toContain('status: FINISHED → FAILED');
  }, 120_000);

  it('says NOT REPRODUCIBLE, naming it, when the run could read a git-ignored file', async () => {
    const dir = await repo({ 'train.py': PY_READS_UNTRACKED, '.gitignore': 'data.csv\n__pycache__/\n' });
    await writeFile(join(dir, 'data.csv'), 'a,b\n1,2\n');
    await mkdir(join(dir, '__pycache__'));
    await writeFile(join(dir, '__pycache__', 'helpers.cpython-312.pyc'), 'compiled');
    const r = await cli(['run', '--seed', '3', '--', 'python3', 'train.py'], dir);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdOf(r);
    const manifest = JSON.parse(await artifactText(id, 'cairn/manifest.json'));
    expect(manifest.git.untracked).toEqual([]);
    expect(manifest.git.ignored).toEqual({ files: [{ path: 'data.csv', size: 8 }], total: 1 });
    const rep = await cli(['repro', id], dir);
    expect(rep.code).toBe(1);
    expect(rep.stdout).toMatch(/^NOT REPRODUCIBLE: /);
    expect(rep.stdout).toMatch(/git-ignored files that the run may have read: data\.csv; version them as a dataset/);
    const check = await cli(['runs', 'check', id], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^no +Is its data versioned\?.*1 git-ignored file/m);
  }, 120_000);

  it('lets a script log with the real mlflow client into the same run', async () => {
    const setup = execFileSync('bash', [join(ROOT, 'test', 'compat', 'setup.sh')], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    expect(setup).toBe('');
    const python = join(ROOT, '.cairn', 'venv-mlflow3', 'bin', 'python');
    const dir = await repo({ 'train.py': PY_MLFLOW });
    const r = await cli(['run', '-e', 'with-mlflow', '--seed', '2', '--', python, 'train.py'], dir);
    expect(r.code, r.stderr).toBe(0);
    const id = runIdOf(r);
    expect(r.stdout).toContain(`mlflow run ${id}`);
    const run = await api.getRun(id);
    expect(run.status).toBe('FINISHED');
    expect(run.params.alpha).toBe('0.5');
    expect(run.tags.framework).toBe('mlflow');
    expect((await api.getMetricHistory(id, 'rmse')).values).toEqual([1, 0.5, 1 / 3]);
    const manifest = JSON.parse(await artifactText(id, 'cairn/manifest.json'));
    expect(manifest.packages.python.count).toBeGreaterThan(5);
    expect(await artifactText(id, 'cairn/requirements.txt')).toMatch(/^mlflow-skinny==3\./m);
  }, 600_000);

  it('records FAILED with the stderr tail when the command crashes, and passes its exit status on', async () => {
    const dir = await repo({ 'train.py': PY_CRASH });
    const r = await cli(['run', '--', 'python3', 'train.py'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ZeroDivisionError');
    const run = await api.getRun(runIdOf(r));
    expect(run.status).toBe('FAILED');
    expect(run.endTime).not.toBeNull();
    expect(run.tags['cairn.run.exit_code']).toBe('1');
    expect(run.tags['cairn.run.stderr_tail']).toMatch(/about to fail[\s\S]*ZeroDivisionError: division by zero$/);
    const missing = await cli(['run', '--', 'no-such-program-xyz'], dir);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('command not found: no-such-program-xyz');
    expect((await api.getRun(runIdOf(missing))).status).toBe('FAILED');
  }, 60_000);

  it('forwards Ctrl-C to the command and records KILLED', async () => {
    const dir = await repo({ 'train.py': PY_WAITS_FOR_SIGINT });
    const marker = join(dir, 'marker.txt');
    const child = spawn(process.execPath, [CAIRN_BIN, 'run', '--', 'python3', 'train.py'], {
      cwd: dir, env: { ...env, MARKER: marker }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const ready = new Promise<void>((ok) => child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('ready')) ok();
    }));
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    await ready;
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await readFile(marker, 'utf8')).toBe('got SIGINT');
    const run = await api.getRun(runIdOf({ code: 0, stdout, stderr }));
    expect(run.status).toBe('KILLED');
    expect(run.endTime).not.toBeNull();
  }, 60_000);

  it('answers bad flags with one line naming the fix', async () => {
    const dir = await mkdtemp(join(home, 'plain-'));
    await mkdir(join(dir, 'sub'));
    for (const [args, pattern] of [
      [['run', '-p', 'novalue', '--', 'true'], /--param 'novalue' is not key=value/],
      [['run', '-p', 'a=1', '-p', 'a=2', '--', 'true'], /given twice/],
      [['run', '--input', '@v1', '--', 'true'], /no dataset name/],
      [['repro', 'abc', '--tolerance', 'lots'], /tolerance 'lots' is not a number/],
      [['run', '--sample-interval', '0', '--', 'true'], /--sample-interval must be seconds/],
    ] as const) {
      const r = await cli(args, dir);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
    // Outside git the run still works; repro then says why it cannot rerun it.
    await writeFile(join(dir, 'sub', 'ok.py'), 'print("hi")\n');
    const r = await cli(['run', '--', 'python3', 'ok.py'], join(dir, 'sub'));
    expect(r.code, r.stderr).toBe(0);
    const rep = await cli(['repro', runIdOf(r)], dir);
    expect(rep.code).toBe(1);
    expect(rep.stdout).toMatch(/NOT REPRODUCIBLE[\s\S]*not started inside a git repository/);
  }, 60_000);
});
