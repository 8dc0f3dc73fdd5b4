/** Two `cairn server --auth` processes over one PostgreSQL database write one valid audit chain. */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpTrackingClient } from '../../src/client/index.js';
import { tempDir } from '../../src/testing/tracking-harness.js';
import { createTestPostgres, type TestPostgres } from '../../src/testing/postgres.js';
import { CAIRN_BIN, ROOT, spawnServer, type ServerProcess } from '../support/server-process.js';

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_')));
const cairn = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
  execFile(process.execPath, [CAIRN_BIN, ...args], { cwd: ROOT, env: cleanEnv }, (err, stdout, stderr) =>
    done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
});

describe('audit chain across two server replicas', () => {
  let dir: string;
  let pg: TestPostgres;
  let a: ServerProcess;
  let b: ServerProcess;
  const token = 'cairn_replica-test-admin-token-0123456789';

  beforeAll(async () => {
    dir = await tempDir('cairn-audit-replicas-');
    pg = await createTestPostgres();
    const opts = { db: pg.url, artifacts: join(dir, 'artifacts'), home: dir, env: { CAIRN_AUTH: '1', CAIRN_ADMIN_TOKEN: token } };
    // Both bootstrap the same admin token on an empty database at once.
    [a, b] = await Promise.all([spawnServer(opts), spawnServer(opts)]);
  });
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await pg?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('interleaves concurrent mutations from both servers into one verifiable chain', async () => {
    const ca = new HttpTrackingClient({ url: a.url, token, retries: 1 });
    const cb = new HttpTrackingClient({ url: b.url, token, retries: 1 });
    const exp = await ca.createExperiment({ name: 'replicas' });
    const run = await cb.createRun({ experimentId: exp.id });
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? ca : cb).setTag(run.id, `k${i}`, String(i))));
    const r = await cairn('audit', 'verify', '--db', pg.url);
    expect(r.code, r.stderr).toBe(0);
    const count = Number(/(\d+) entries/.exec(r.stdout)?.[1]);
    // Bootstrap (user.create and its token.create, once or twice when the race is close; the bootstrap
    // token.create), experiment.create, run.create, 60 tags.
    expect(count).toBeGreaterThanOrEqual(3 + 2 + 60);
    expect(count).toBeLessThanOrEqual(4 + 2 + 60);
  });
});
