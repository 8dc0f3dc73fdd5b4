/**
 * `cairn retention apply` and `cairn gc` through the built CLI against a real
 * `cairn server` process: a dry run first, then the apply, a restore, and gc
 * deleting the blobs of the deleted runs only. Run `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTrackingClient } from '../../src/client/index.js';
import { CAIRN_BIN, ROOT, spawnServer, type ServerProcess } from '../support/server-process.js';

interface CliResult { readonly code: number; readonly stdout: string; readonly stderr: string }
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_')));

async function blobFiles(root: string): Promise<number> {
  const files = await readdir(join(root, 'blobs'), { recursive: true, withFileTypes: true }).catch(() => []);
  return files.filter((f) => f.isFile()).length;
}

describe('cairn retention and cairn gc against a live server', () => {
  let home: string;
  let server: ServerProcess;
  let cli: (...args: string[]) => Promise<CliResult>;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('cairn is not built: run `npm run build` first');
    home = await mkdtemp(join(tmpdir(), 'cairn-retention-e2e-'));
    server = await spawnServer({ db: join(home, 'cairn.db'), artifacts: join(home, 'artifacts'), home });
    const env = { ...cleanEnv, CAIRN_HOME: home, CAIRN_URL: server.url };
    cli = (...args) => new Promise((done) => {
      execFile(process.execPath, [CAIRN_BIN, ...args], { cwd: ROOT, env }, (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  });
  afterAll(async () => {
    await server?.kill();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('dry-runs, applies, restores, then collects the deleted runs\' blobs', async () => {
    const api = new HttpTrackingClient({ url: server.url, retries: 1 });
    const exp = await api.createExperiment({ name: 'sweep' });
    const ids: string[] = [];
    for (const [i, loss] of [0.3, 0.1, 0.7, 0.5].entries()) {
      const r = await api.createRun({ experimentId: exp.id, name: `r${i}` });
      await api.logBatch(r.id, { metrics: [{ key: 'val_loss', value: loss }] });
      await api.logArtifact(r.id, 'weights.bin', Buffer.from(`weights of run ${i}`));
      await api.updateRun(r.id, { status: 'FINISHED' });
      ids.push(r.id);
    }
    const dry = await cli('retention', 'apply', '--experiment', 'sweep', '--keep', '2', '--metric', 'val_loss', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^experiment sweep: keep the best 2 runs by val_loss \(min\); 2 of 4 runs would be deleted \(dry run\)\n/);
    expect(dry.stdout).toMatch(new RegExp(`delete  ${ids[2]}  r2  val_loss=0.7  outranked`));
    expect((await api.getRun(ids[2]!)).lifecycle).toBe('active');

    const applied = await cli('retention', 'apply', '--experiment', 'sweep', '--keep', '2', '--metric', 'val_loss', '--json');
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ deleted: 2, dryRun: false });
    expect((await api.getRun(ids[2]!)).lifecycle).toBe('deleted');
    expect((await api.getRun(ids[3]!)).lifecycle).toBe('deleted');
    expect((await cli('runs', 'restore', ids[3]!)).code).toBe(0);

    const artifacts = join(home, 'artifacts');
    expect(await blobFiles(artifacts)).toBe(4);
    const gcDry = await cli('gc', '--dry-run', '--grace', '0s');
    expect(gcDry.code, gcDry.stderr).toBe(0);
    expect(gcDry.stdout).toMatch(/^dry run: would purge 1 artifact entries of 1 deleted runs\nwould delete 1 unreferenced blobs/);
    expect(await blobFiles(artifacts)).toBe(4);
    const gc = await cli('gc', '--grace', '0s');
    expect(gc.code, gc.stderr).toBe(0);
    expect(gc.stdout).toMatch(/^purged 1 artifact entries of 1 deleted runs\ndeleted 1 unreferenced blobs \(0\.0 MiB\); kept 3 referenced/);
    expect(await blobFiles(artifacts)).toBe(3);

    const bad = await cli('retention', 'apply', '--experiment', 'sweep', '--keep', '0', '--metric', 'val_loss');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--keep.*positive integer/);
  });
});
