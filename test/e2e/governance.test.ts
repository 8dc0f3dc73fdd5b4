/**
 * Governance through the built CLI and a real `cairn server --auth` process:
 * bootstrap of the first admin on the database, 401/403 over HTTP (Cairn and
 * MLflow routes), the CLI with CAIRN_TOKEN, and `cairn audit verify` exiting
 * 1 after a row is edited directly in SQLite or PostgreSQL, or, with
 * `--expect-head`, after the newest rows are deleted. Run
 * `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAIRN_BIN, ROOT, spawnServer, type ServerProcess } from '../support/server-process.js';
import { createTestPostgres, type TestPostgres } from '../../src/testing/postgres.js';

interface CliResult { readonly code: number; readonly stdout: string; readonly stderr: string }

const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CAIRN_')));

function cairn(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [CAIRN_BIN, ...args], { cwd: ROOT, env: { ...cleanEnv, ...env } }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('cairn server --auth with the CLI', () => {
  let home: string;
  let db: string;
  let server: ServerProcess;
  let env: Record<string, string>;
  let aliceToken: string;
  let vicToken: string;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('cairn is not built: run `npm run build` first');
    home = await mkdtemp(join(tmpdir(), 'cairn-gov-e2e-'));
    db = join(home, 'cairn.db');
    env = { CAIRN_HOME: home };
    const alice = await cairn(env, 'users', 'create', 'alice', '--role', 'admin', '--db', db);
    expect(alice.code, alice.stderr).toBe(0);
    aliceToken = alice.stdout.trim();
    expect(aliceToken).toMatch(/^cairn_\S{43}$/);
    expect(alice.stderr).toMatch(/shown once/);
    vicToken = (await cairn(env, 'users', 'create', 'vic', '--role', 'viewer', '--db', db)).stdout.trim();
    server = await spawnServer({ db, artifacts: join(home, 'artifacts'), home, env: { CAIRN_AUTH: '1' } });
    env = { ...env, CAIRN_URL: server.url };
  });
  afterAll(async () => {
    await server?.kill();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('answers 401 without credentials and 403 to a viewer, on Cairn and MLflow routes', async () => {
    const post = (path: string, body: object, auth?: string) => fetch(`${server.url}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body),
    });
    expect((await fetch(`${server.url}/api/v1/experiments`)).status).toBe(401);
    expect((await post('/api/2.0/mlflow/experiments/create', { name: 'x' })).status).toBe(401);
    expect((await post('/api/v1/experiments', { name: 'x' }, `Bearer ${vicToken}`)).status).toBe(403);
    const basicVic = `Basic ${Buffer.from(`vic:${vicToken}`).toString('base64')}`;
    const denied = await post('/api/2.0/mlflow/experiments/create', { name: 'x' }, basicVic);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    expect((await post('/api/2.0/mlflow/experiments/search', { max_results: 10 }, basicVic)).status).toBe(200);
    const basicAlice = `Basic ${Buffer.from(`alice:${aliceToken}`).toString('base64')}`;
    expect((await post('/api/2.0/mlflow/experiments/create', { name: 'from-mlflow' }, basicAlice)).status).toBe(200);
  });

  it('runs client commands with CAIRN_TOKEN and maps 401/403 to exit codes 6/7', async () => {
    const ok = await cairn({ ...env, CAIRN_TOKEN: aliceToken }, 'experiments', 'create', 'cli-made');
    expect(ok.code, ok.stderr).toBe(0);
    const anon = await cairn(env, 'experiments', 'list');
    expect(anon.code).toBe(6);
    expect(anon.stderr).toMatch(/^error: this server requires authentication/);
    const viewer = await cairn({ ...env, CAIRN_TOKEN: vicToken }, 'experiments', 'create', 'nope');
    expect(viewer.code).toBe(7);
    expect((await cairn({ ...env, CAIRN_TOKEN: vicToken }, 'whoami')).stdout).toBe('vic: viewer@global\n');
    // A viewer token is enough for the CI step `cairn gate check`, not for the move itself.
    expect((await cairn({ ...env, CAIRN_TOKEN: aliceToken }, 'models', 'create', 'gated')).code).toBe(0);
    expect((await cairn({ ...env, CAIRN_TOKEN: aliceToken }, 'models', 'register', 'gated', '--source', 's3://models/gated/1', '--format', 'onnx')).code).toBe(0);
    const check = await cairn({ ...env, CAIRN_TOKEN: vicToken }, 'gate', 'check', 'gated', '1', '--to', 'staging');
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/all gates pass/);
    expect((await cairn({ ...env, CAIRN_TOKEN: vicToken }, 'models', 'transition', 'gated', '1', '--to', 'staging')).code).toBe(7);
    // Who registered and who moved a version read as names, not user ids; JSON keeps the ids.
    expect((await cairn({ ...env, CAIRN_TOKEN: aliceToken }, 'models', 'transition', 'gated', '1', '--to', 'staging')).code).toBe(0);
    const versions = await cairn({ ...env, CAIRN_TOKEN: vicToken }, 'models', 'versions', 'gated');
    expect(versions.stdout.split('\n')[1]).toMatch(/^1\s+staging\s+-\s+-\s+alice\s/);
    const history = await cairn({ ...env, CAIRN_TOKEN: vicToken }, 'models', 'history', 'gated');
    expect(history.stdout).toMatch(/v1 {2}development → staging {2}\w+ {2}by alice/);
    const raw = JSON.parse((await cairn({ ...env, CAIRN_TOKEN: vicToken }, 'models', 'versions', 'gated', '--json')).stdout) as { author: string }[];
    expect(raw[0]?.author).not.toBe('alice');
    const users = await cairn({ ...env, CAIRN_TOKEN: aliceToken }, 'users', 'list');
    expect(users.stdout).toMatch(/alice\s+active\s+admin@global/);
    expect((await cairn({ ...env, CAIRN_TOKEN: vicToken }, 'users', 'list')).code).toBe(7);
    const hook = await cairn({ ...env, CAIRN_TOKEN: aliceToken }, 'webhooks', 'add', 'http://127.0.0.1:9/hook', '--event', 'rollback');
    expect(hook.code, hook.stderr).toBe(0);
    expect(hook.stdout.trim()).toMatch(/^whsec_/);
  });

  it('audit verify passes, then fails with exit 1 naming the row edited in SQLite; export writes JSON lines', async () => {
    await server.kill();
    const good = await cairn(env, 'audit', 'verify', '--db', db);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^audit trail OK: \d+ entries, head seq \d+ hash [0-9a-f]{64}\n$/);
    const out = join(home, 'audit.jsonl');
    expect((await cairn(env, 'audit', 'export', '--db', db, '--out', out)).code).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { seq: number; action: string; actor: string });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i + 1));
    expect(lines).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'experiment.create', actor: 'alice' }),
      expect.objectContaining({ action: 'webhook.create', actor: 'alice' }),
      expect.objectContaining({ action: 'user.create' }),
    ]));
    // Deleting the newest entries: the head row catches it; moved back as well, only the head kept elsewhere does.
    const head = /head seq (\d+) hash ([0-9a-f]{64})/.exec(good.stdout)!;
    expect((await cairn(env, 'audit', 'verify', '--db', db, '--expect-head', head[2]!)).code).toBe(0);
    const raw = new DatabaseSync(db);
    raw.prepare('DELETE FROM audit_log WHERE seq >= ?').run(Number(head[1]) - 1);
    const cut = await cairn(env, 'audit', 'verify', '--db', db);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(new RegExp(`^error: audit trail broken at seq ${Number(head[1]) - 1}: entries ${Number(head[1]) - 1} to ${head[1]} are missing`));
    raw.prepare('UPDATE audit_head SET seq = l.seq, prev_hash = l.prev_hash, hash = l.hash FROM (SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1) l WHERE audit_head.id = 1').run();
    expect((await cairn(env, 'audit', 'verify', '--db', db)).code).toBe(0);
    const truncated = await cairn(env, 'audit', 'verify', '--db', db, '--expect-head', head[2]!);
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(new RegExp(`^error: audit trail head is seq ${Number(head[1]) - 2} with hash [0-9a-f]{64}, not the expected ${head[2]}: entries after it were removed`));
    raw.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").run();
    raw.close();
    const bad = await cairn(env, 'audit', 'verify', '--db', db);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: audit trail broken at seq 3: entry 3 was modified[^\n]*\n$/);
  });
});

describe('CAIRN_ADMIN_TOKEN bootstrap', () => {
  it('makes the configured token an admin of a fresh database', async () => {
    const home = await mkdtemp(join(tmpdir(), 'cairn-gov-boot-'));
    const token = 'cairn_bootstrap-e2e-token-0123456789abcdef';
    const s = await spawnServer({ db: join(home, 'cairn.db'), artifacts: join(home, 'artifacts'), home, env: { CAIRN_AUTH: 'true', CAIRN_ADMIN_TOKEN: token } });
    try {
      const users = await cairn({ CAIRN_HOME: home, CAIRN_URL: s.url, CAIRN_TOKEN: token }, 'users', 'list', '--json');
      expect(users.code, users.stderr).toBe(0);
      expect(JSON.parse(users.stdout)).toEqual([expect.objectContaining({ name: 'admin', grants: [{ scope: { kind: 'global' }, role: 'admin' }] })]);
      expect(s.output()).not.toContain(token);
    } finally {
      await s.kill();
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('cairn audit verify on PostgreSQL', () => {
  let pgdb: TestPostgres;
  beforeAll(async () => { pgdb = await createTestPostgres(); });
  afterAll(async () => pgdb?.drop());

  it('fails with exit 1 after a row is edited directly, and after one is deleted', async () => {
    const env = { CAIRN_HOME: join(tmpdir(), 'cairn-unused-home') };
    for (const name of ['p1', 'p2', 'p3']) expect((await cairn(env, 'users', 'create', name, '--role', 'viewer', '--db', pgdb.url)).code).toBe(0);
    expect((await cairn(env, 'audit', 'verify', '--db', pgdb.url)).code).toBe(0);
    const c = new pg.Client({ connectionString: pgdb.url });
    await c.connect();
    try {
      await c.query(`UPDATE audit_log SET after_json = '{"name":"p9"}' WHERE seq = 3`);
      const edited = await cairn(env, 'audit', 'verify', '--db', pgdb.url);
      expect(edited.code).toBe(1);
      expect(edited.stderr).toMatch(/broken at seq 3/);
      await c.query('DELETE FROM audit_log WHERE seq >= 3');
      const cut = await cairn(env, 'audit', 'verify', '--db', pgdb.url);
      expect(cut.code).toBe(1);
      expect(cut.stderr).toMatch(/broken at seq 3: entries 3 to \d+ are missing: the head row \(audit_head\) names entry/);
      await c.query('UPDATE audit_head SET seq = 2, prev_hash = l.prev_hash, hash = l.hash FROM (SELECT prev_hash, hash FROM audit_log WHERE seq = 2) l WHERE audit_head.id = 1');
      expect((await cairn(env, 'audit', 'verify', '--db', pgdb.url)).code).toBe(0);
      await c.query('DELETE FROM audit_log WHERE seq = 1');
      const deleted = await cairn(env, 'audit', 'verify', '--db', pgdb.url);
      expect(deleted.code).toBe(1);
      expect(deleted.stderr).toMatch(/broken at seq 1: entry 1 is missing/);
    } finally {
      await c.end();
    }
  });
});
