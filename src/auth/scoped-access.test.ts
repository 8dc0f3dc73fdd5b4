/** Scoped roles and MLflow credentials over the real app (inject), with the audit trail they leave. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governedApp, type GovernedApp } from '../testing/governance-harness.js';

let g: GovernedApp;
let adminToken: string;
const setup = { id: 'setup', name: 'setup' };
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

beforeAll(async () => {
  g = await governedApp({ authEnabled: true });
  adminToken = (await g.governance.auth.as(setup).createUser({ name: 'root', role: 'admin' })).token;
});
afterAll(async () => g?.cleanup());

const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, auth: string, payload?: object) =>
  g.app.inject({ method, url, headers: { authorization: auth }, ...(payload ? { payload } : {}) });

describe('user names for display', () => {
  it('turns user ids into names for any viewer, leaves unknown ids out, and caps the batch', async () => {
    const admin = `Bearer ${adminToken}`;
    const vi = (await req('POST', '/api/v1/users', admin, { name: 'vi', role: 'viewer' })).json() as { token: string; user: { id: string } };
    const root = (await req('GET', '/api/v1/users/root', admin)).json().user as { id: string };
    const r = await req('GET', `/api/v1/user-names?ids=${root.id},${vi.user.id},nobody`, `Bearer ${vi.token}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ names: { [root.id]: 'root', [vi.user.id]: 'vi' } });
    expect((await req('GET', `/api/v1/user-names?ids=${root.id}`, 'Bearer nope')).statusCode).toBe(401);
    const many = await req('GET', `/api/v1/user-names?ids=${Array.from({ length: 101 }, (_, i) => `u${i}`).join(',')}`, admin);
    expect(many.statusCode).toBe(400);
    expect(many.json().message).toMatch(/at most 100/);
  });
});

describe('scoped roles', () => {
  it('lets an experiment editor write runs there and nowhere else, with MLflow Basic credentials', async () => {
    const mine = await g.tracking.createExperiment({ name: 'mine' });
    const theirs = await g.tracking.createExperiment({ name: 'theirs' });
    const runMine = await g.tracking.createRun({ experimentId: mine.id });
    const runTheirs = await g.tracking.createRun({ experimentId: theirs.id });

    const admin = `Bearer ${adminToken}`;
    const created = await req('POST', '/api/v1/users', admin, { name: 'ed', role: 'viewer' });
    expect(created.statusCode).toBe(200);
    const edToken = created.json().token as string;
    expect((await req('PUT', '/api/v1/users/ed/roles', admin, { scope: { kind: 'experiment', id: mine.id }, role: 'editor' })).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/me', `Bearer ${edToken}`)).json()).toMatchObject({
      actor: { name: 'ed' }, user: { name: 'ed', grants: expect.arrayContaining([{ scope: { kind: 'experiment', id: mine.id }, role: 'editor' }]) },
    });

    // MLflow clients: MLFLOW_TRACKING_USERNAME=ed, MLFLOW_TRACKING_PASSWORD=<token>
    const ed = basic('ed', edToken);
    const batch = (runId: string) => req('POST', '/api/2.0/mlflow/runs/log-batch', ed, {
      run_id: runId, metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 1 }, { key: 'acc', value: 0.9, timestamp: 1, step: 1 }], params: [{ key: 'lr', value: '0.1' }],
    });
    expect((await batch(runMine.id)).statusCode).toBe(200);
    const denied = await batch(runTheirs.id);
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ error_code: 'PERMISSION_DENIED', message: expect.stringMatching(`experiment:${theirs.id}`) });
    expect((await req('POST', `/api/v1/runs`, `Bearer ${edToken}`, { experimentId: mine.id })).statusCode).toBe(200);
    expect((await req('POST', `/api/v1/runs`, `Bearer ${edToken}`, { experimentId: theirs.id })).statusCode).toBe(403);
    expect((await req('GET', `/api/v1/runs/${runTheirs.id}`, `Bearer ${edToken}`)).statusCode).toBe(200);
    expect((await req('PATCH', `/api/v1/experiments/${mine.id}`, `Bearer ${edToken}`, { description: 'ok' })).statusCode).toBe(200);
    expect((await req('DELETE', `/api/v1/experiments/${theirs.id}`, `Bearer ${edToken}`)).statusCode).toBe(403);

    const entries = await g.governance.audit.list();
    expect(entries.find((e) => e.action === 'run.log_batch')).toMatchObject({
      actor: 'ed', targetType: 'run', targetId: runMine.id,
      after: { metrics: { count: 2, keys: ['acc', 'loss'] }, params: { lr: '0.1' }, tags: {} },
    });
    expect(entries.find((e) => e.action === 'experiment.update')).toMatchObject({
      actor: 'ed', before: { description: null }, after: { description: 'ok' },
    });
    expect(entries.filter((e) => e.action === 'run.log_batch')).toHaveLength(1);
    expect(entries.find((e) => e.action === 'role.set')).toMatchObject({ actor: 'root', targetId: 'ed' });
    expect(entries.some((e) => JSON.stringify(e).includes(edToken))).toBe(false);
  });

  it('rejects a disabled user and a revoked token on the next request', async () => {
    const admin = `Bearer ${adminToken}`;
    const t = (await req('POST', '/api/v1/users', admin, { name: 'tmp', role: 'editor' })).json().token as string;
    expect((await req('GET', '/api/v1/experiments', `Bearer ${t}`)).statusCode).toBe(200);
    expect((await req('PATCH', '/api/v1/users/tmp', admin, { disabled: true })).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/experiments', `Bearer ${t}`)).statusCode).toBe(401);
    const tokens = (await req('GET', '/api/v1/tokens?user=root', admin)).json().items as { id: string }[];
    expect(tokens.length).toBeGreaterThan(0);
    const extra = (await req('POST', '/api/v1/tokens', admin, { user: 'root', name: 'extra' })).json() as { token: { id: string }; secret: string };
    expect((await req('DELETE', `/api/v1/tokens/${extra.token.id}`, `Bearer ${extra.secret}`)).statusCode).toBe(200);
    expect((await req('GET', '/api/v1/experiments', `Bearer ${extra.secret}`)).statusCode).toBe(401);
  });

  it('audits as the local user when auth is off', async () => {
    const off = await governedApp({ authEnabled: false });
    try {
      const r = await off.app.inject({ method: 'POST', url: '/api/v1/experiments', payload: { name: 'solo' } });
      expect(r.statusCode).toBe(200);
      expect((await off.governance.audit.list()).at(-1)).toMatchObject({ actor: 'local', action: 'experiment.create', after: { name: 'solo' } });
      expect((await off.app.inject({ method: 'GET', url: '/api/v1/audit/verify' })).json()).toMatchObject({ ok: true, count: 1 });
    } finally {
      await off.cleanup();
    }
  });
});
