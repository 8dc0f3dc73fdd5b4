/**
 * `cairn data …` end to end: the built CLI as child processes against a real
 * `cairn server` child process, real files, a folder remote and a real
 * S3-compatible server (moto). Run `npm run build` first.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpDataClient, HttpTrackingClient } from '../../src/client/index.js';
import { startS3Server, type S3Server } from '../../src/testing/s3-server.js';
import { CAIRN_BIN, spawnServer, type ServerProcess } from '../support/server-process.js';

interface Result { readonly code: number; readonly stdout: string; readonly stderr: string }

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_') && !k.startsWith('MLFLOW_') && !k.startsWith('AWS_')));

async function listAll(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('cairn data against a live server', () => {
  let home: string;
  let server: ServerProcess;
  let env: NodeJS.ProcessEnv;
  let data: HttpDataClient;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cairn-data-e2e-'));
    server = await spawnServer({ db: join(home, 'cairn.db'), artifacts: join(home, 'artifacts'), home });
    data = new HttpDataClient({ url: server.url });
    env = { ...cleanEnv, CAIRN_HOME: home, CAIRN_URL: server.url, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  }, 60_000);

  afterAll(async () => {
    await server?.kill();
    await rm(home, { recursive: true, force: true });
  });

  function cli(args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Result> {
    return new Promise((done) => {
      execFile(process.execPath, [CAIRN_BIN, ...args], { cwd, env: { ...env, ...extraEnv }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  }
  async function ok(args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
    const r = await cli(args, cwd, extraEnv);
    if (r.code !== 0) throw new Error(`cairn ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  }

  /** A git repository with `data/` holding `n` small files. */
  async function workspace(n: number): Promise<string> {
    const dir = await mkdtemp(join(home, 'ws-'));
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir, env });
    await mkdir(join(dir, 'data', 'part'), { recursive: true });
    for (let i = 0; i < n; i++) await writeFile(join(dir, 'data', i % 2 ? 'part' : '', `f${i}.csv`), `id,v\n${i},${i * i}\n`);
    return dir;
  }

  it('adds, reports status, versions with dedup, tags, diffs and checks out exactly', async () => {
    const ws = await workspace(100);
    const added = await ok(['data', 'add', 'data', '--name', 'churn', '-m', 'first'], ws);
    expect(added).toMatch(/^churn@1: 100 files, .*hashed 100 .*uploaded 101 new blobs .*→ data\.cairn/);
    const pointer = await readFile(join(ws, 'data.cairn'), 'utf8');
    expect(pointer).toMatch(/^dataset: churn\nversion: 1\nmanifest: [0-9a-f]{64}\npath: data\nkind: folder\nfiles: 100\n/m);
    expect(await ok(['data', 'status'], ws)).toBe('churn@1 (data): up to date, 100 files\n');

    await writeFile(join(ws, 'data', 'f0.csv'), 'id,v\n0,changed\n');
    await writeFile(join(ws, 'data', 'new.csv'), 'id,v\n');
    await rm(join(ws, 'data', 'part', 'f1.csv'));
    const st = await ok(['data', 'status', 'data'], ws);
    expect(st).toBe('churn@1 (data): 1 added, 1 modified, 1 deleted\n  added:    new.csv\n  modified: f0.csv\n  deleted:  part/f1.csv\n');
    const json = JSON.parse(await ok(['data', 'status', '--json'], ws)) as { state: string; modified: string[] }[];
    expect(json[0]).toMatchObject({ state: 'changed', modified: ['f0.csv'] });

    // Status already hashed the two new contents (hash cache); only they and the manifest travel.
    expect(await ok(['data', 'add', 'data', '-m', 'second'], ws)).toMatch(/^churn@2: 100 files, .*hashed 0 .*uploaded 3 new blobs/);
    expect(await ok(['data', 'add', 'data'], ws)).toMatch(/^churn@2 \(unchanged\)/);
    expect(await ok(['data', 'tag', 'churn@1', 'v2.3'], ws)).toBe('churn@v2.3 → version 1\n');
    const diff = await ok(['data', 'diff', 'v2.3', 'latest'], ws);
    expect(diff.split('\n')[0]).toBe('churn 1 → 2: 1 added, 1 removed, 1 modified, 98 unchanged');
    expect(diff).toContain('+ new.csv');
    expect(diff).toContain('- part/f1.csv');
    // Tabular files also say how rows and schema changed.
    expect(diff).toMatch(/~ f0\.csv .* rows 1 → 1; v BIGINT → VARCHAR/);
    expect(await ok(['data', 'show', 'churn'], ws)).toMatch(/1\s+100 .*v2\.3 .*first\n2\s+100 .*second/);
    expect(await ok(['data', 'list'], ws)).toMatch(/churn\s+2\s+v2\.3→1/);

    const before = await listAll(join(ws, 'data'));
    expect(await ok(['data', 'checkout', 'v2.3'], ws)).toBe('churn@1 (data): 2 written, 1 removed, 98 unchanged\n');
    expect(await readFile(join(ws, 'data.cairn'), 'utf8')).toMatch(/^version: 1$/m);
    expect(await readFile(join(ws, 'data', 'f0.csv'), 'utf8')).toBe('id,v\n0,0\n');
    expect(await listAll(join(ws, 'data'))).not.toContain('new.csv');
    expect(await ok(['data', 'status'], ws)).toBe('churn@1 (data): up to date, 100 files\n');
    await ok(['data', 'checkout', 'churn@latest'], ws);
    expect(await listAll(join(ws, 'data'))).toEqual(before);
  });

  it('pulls a committed pointer into a fresh clone, and pushes/pulls through folder and S3 remotes', async () => {
    const ws = await workspace(20);
    await ok(['data', 'add', 'data', '--name', 'shared'], ws);
    const clone = await mkdtemp(join(home, 'clone-'));
    await mkdir(join(clone, '.cairn'));
    await cp(join(ws, 'data.cairn'), join(clone, 'data.cairn'));
    expect(await ok(['data', 'pull'], clone)).toMatch(/^shared@1: pulled from http:.* 20 written, 0 removed, 0 unchanged/);
    expect(await listAll(join(clone, 'data'))).toEqual(await listAll(join(ws, 'data')));

    const remote = join(home, 'remote-folder');
    expect(await ok(['data', 'push', '--remote', remote], ws)).toMatch(/^shared@1: pushed 21 blobs .*; 0 already there/);
    expect(await ok(['data', 'push', '--remote', remote], ws)).toMatch(/pushed 0 blobs .*; 21 already there/);
    const viaFolder = await mkdtemp(join(home, 'clone-'));
    await mkdir(join(viaFolder, '.cairn'));
    await cp(join(ws, 'data.cairn'), join(viaFolder, 'data.cairn'));
    expect(await ok(['data', 'pull', '--remote', remote], viaFolder)).toMatch(/20 written/);

    // A corrupt blob on the remote is refused on pull, and nothing is written.
    const blobs = (await listAll(join(remote, 'blobs'))).map((f) => join(remote, 'blobs', f));
    const manifestDigest = /^manifest: (\w+)$/m.exec(await readFile(join(ws, 'data.cairn'), 'utf8'))![1]!;
    const victim = blobs.find((f) => !f.endsWith(manifestDigest))!;
    await writeFile(victim, 'not the content\n');
    const viaBad = await mkdtemp(join(home, 'clone-'));
    await mkdir(join(viaBad, '.cairn'));
    await cp(join(ws, 'data.cairn'), join(viaBad, 'data.cairn'));
    const bad = await cli(['data', 'pull', '--remote', remote], viaBad);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/^error: blob [0-9a-f]{64} in file:\/\/.* is corrupt \(checksum mismatch\); it was refused and nothing was stored — push a good copy there again\n$/m);
    expect(existsSync(join(viaBad, 'data'))).toBe(false);

    let s3: S3Server | undefined;
    try {
      s3 = await startS3Server();
      const admin = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
      await admin.send(new CreateBucketCommand({ Bucket: 'data' }));
      admin.destroy();
      const s3env = { CAIRN_S3_ENDPOINT_URL: s3.endpoint, AWS_ACCESS_KEY_ID: 't', AWS_SECRET_ACCESS_KEY: 't', AWS_REGION: 'us-east-1' };
      expect(await ok(['data', 'push', '--remote', 's3://data/cairn'], ws, s3env)).toMatch(/pushed 21 blobs .* to s3:\/\/data\/cairn/);
      const viaS3 = await mkdtemp(join(home, 'clone-'));
      await mkdir(join(viaS3, '.cairn'));
      await cp(join(ws, 'data.cairn'), join(viaS3, 'data.cairn'));
      expect(await ok(['data', 'pull', '--remote', 's3://data/cairn'], viaS3, s3env)).toMatch(/20 written/);
      expect(await listAll(join(viaS3, 'data'))).toEqual(await listAll(join(ws, 'data')));
    } finally {
      await s3?.stop();
    }
  });

  it('an interrupted checkout leaves either the old or the new version, never a mix or temporary files', async () => {
    const ws = await mkdtemp(join(home, 'ws-'));
    await mkdir(join(ws, '.cairn'));
    await mkdir(join(ws, 'big'));
    const chunk = Buffer.alloc(256 * 1024);
    for (let i = 0; i < 400; i++) await writeFile(join(ws, 'big', `f${i}`), chunk.fill(i % 251));
    await ok(['data', 'add', 'big', '--name', 'interrupt'], ws);
    for (let i = 0; i < 400; i++) await writeFile(join(ws, 'big', `f${i}`), chunk.fill((i + 7) % 251));
    await ok(['data', 'add', 'big'], ws);
    const v2 = await listAll(join(ws, 'big'));
    const contentOf = async () => Promise.all(v2.map(async (f) => (await readFile(join(ws, 'big', f)))[0]));
    const newContent = await contentOf();
    // SIGINT the moment the first staged file appears: the checkout's own handler must clean up (exit 130).
    let interrupted = false;
    for (let attempt = 0; attempt < 5 && !interrupted; attempt++) {
      const child = spawn(process.execPath, [CAIRN_BIN, 'data', 'checkout', '1', '--link', 'copy'], { cwd: ws, env, stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      let running = true;
      void exited.then(() => { running = false; });
      while (running && !(await readdir(join(ws, 'big'))).some((n) => n.endsWith('.cairn-tmp'))) await new Promise((r) => setTimeout(r, 1));
      if (running) child.kill('SIGINT');
      const code = await exited;
      expect((await readdir(join(ws, 'big'))).filter((n) => n.endsWith('.cairn-tmp'))).toEqual([]);
      const pointerVersion = /^version: (\d+)$/m.exec(await readFile(join(ws, 'big.cairn'), 'utf8'))?.[1];
      if (code === 130) {
        interrupted = true;
        expect(pointerVersion).toBe('2');
        expect(await contentOf()).toEqual(newContent);
      } else {
        // Finished before the signal: the whole old version, then back to 2 for the next attempt.
        expect(pointerVersion).toBe('1');
        expect(await contentOf()).toEqual(v2.map((f) => Number(f.slice(1)) % 251));
        await ok(['data', 'checkout', '2'], ws);
      }
    }
    expect(interrupted).toBe(true);
  });

  it('refuses bad input with one line and writes nothing', async () => {
    const ws = await workspace(3);
    await symlink('/etc/hostname', join(ws, 'data', 'escape'));
    const r = await cli(['data', 'add', 'data', '--name', 'bad-links'], ws);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: symlink 'escape' points outside the dataset \(to \/etc\/hostname\); copy the file in or remove the link\n$/);
    await expect(readFile(join(ws, 'data.cairn'))).rejects.toThrow();
    await expect(data.getDataset('bad-links')).rejects.toThrow(/not found/);

    // An unreadable file (as root nothing is unreadable, so the CLI runs as 'nobody' there).
    const open = await mkdtemp(join(tmpdir(), 'cairn-unreadable-'));
    try {
      await mkdir(join(open, 'data'));
      await mkdir(join(open, '.cairn'));
      await writeFile(join(open, 'data', 'ok.csv'), 'a\n');
      await writeFile(join(open, 'data', 'secret.csv'), 'b\n');
      await chmod(open, 0o777);
      await chmod(join(open, 'data'), 0o777);
      await chmod(join(open, '.cairn'), 0o777);
      await chmod(join(open, 'data', 'secret.csv'), 0o000);
      const argv = [process.execPath, CAIRN_BIN, 'data', 'add', 'data', '--name', 'unreadable'];
      const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--', ...argv] : argv;
      const r2 = await new Promise<Result>((done) => execFile(asUser[0]!, asUser.slice(1), { cwd: open, env }, (err, stdout, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })));
      expect(r2.stderr).toBe("error: cannot read 'secret.csv' (permission denied); fix its permissions or move it out of the dataset\n");
      expect(r2.code).toBe(2);
      await expect(readFile(join(open, 'data.cairn'))).rejects.toThrow();
      await expect(data.getDataset('unreadable')).rejects.toThrow(/not found/);
    } finally {
      await rm(open, { recursive: true, force: true });
    }

    const missing = await cli(['data', 'add', 'nope'], ws);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe("error: 'nope' does not exist; check the path\n");
    const noPointer = await cli(['data', 'status'], await mkdtemp(join(home, 'empty-')));
    expect(noPointer.code).toBe(3);
    expect(noPointer.stderr).toMatch(/^error: no \.cairn pointer files below/);
  });

  it('cairn run records the dataset versions its pointer files track as inputs', async () => {
    const ws = await workspace(2);
    await ok(['data', 'add', 'data', '--name', 'train-set'], ws);
    execFileSync('git', ['add', 'data.cairn'], { cwd: ws, env });
    execFileSync('git', ['commit', '-qm', 'pointer'], { cwd: ws, env });
    const r = await cli(['run', '--sample-interval', '0.1', '--', process.execPath, '-e', '1'], ws);
    expect(r.code).toBe(0);
    const runId = /cairn run: run ([0-9a-f]{32})/.exec(r.stderr)?.[1];
    const run = await new HttpTrackingClient({ url: server.url }).getRun(runId!);
    expect(run.inputs.map((i) => [i.name, i.tags.version])).toEqual([['train-set', '1']]);
  });
});
