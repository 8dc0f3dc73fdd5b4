/**
 * The access-control matrix, generated from the app's own route table, so a
 * route added later is covered without editing this file: anonymous gets
 * 401 on every non-public route, a global viewer gets 403 on every route that
 * needs more than viewer, and passes the check on the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governedApp, type GovernedApp } from '../testing/governance-harness.js';
import type { RouteInfo } from './route-guard.js';

let g: GovernedApp;
let adminToken: string;
let adminActor: { id: string; name: string };
let viewerToken: string;
let routes: RouteInfo[];
const admin = { id: 'setup', name: 'setup' };

beforeAll(async () => {
  g = await governedApp({ authEnabled: true });
  const root = await g.governance.auth.as(admin).createUser({ name: 'root', role: 'admin' });
  adminToken = root.token;
  adminActor = { id: root.user.id, name: root.user.name };
  viewerToken = (await g.governance.auth.as(admin).createUser({ name: 'vera', role: 'viewer' })).token;
  routes = g.app.cairnRoutes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
});
afterAll(async () => g?.cleanup());

// `::` is a literal ':' in a Fastify path (MLflow's `logged-models:batchGet`); `:name` is a parameter.
const concrete = (url: string) => url.replace(/::/g, '\u0000').replace(/:\w+/g, 'x').replace(/\u0000/g, ':').replace(/\*$/, '0/x/artifacts/f.txt');
const call = (r: RouteInfo, token?: string) => g.app.inject({
  method: r.method as 'GET',
  url: concrete(r.url),
  headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { 'content-type': 'application/json' }) },
  ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: '{}' }),
});
const label = (r: RouteInfo) => `${r.method} ${r.url} (${r.permission.role})`;

describe('permission matrix over every registered route', () => {
  it('covers every slice the server serves: tracking, MLflow, registry, data, HPO, logged models, governance', () => {
    const mutating = routes.filter((r) => !['public', 'signed-in', 'viewer'].includes(r.permission.role)).map((r) => `${r.method} ${r.url}`);
    expect(mutating).toEqual(expect.arrayContaining([
      'POST /api/v1/runs/:id/batch', 'PUT /api/v1/runs/:id/artifacts/*', 'POST /api/2.0/mlflow/runs/log-batch',
      'POST /ajax-api/2.0/mlflow/experiments/delete', 'PUT /api/2.0/mlflow-artifacts/artifacts/*', 'POST /api/v1/users', 'DELETE /api/v1/webhooks/:id',
      // registry
      'POST /api/v1/models', 'POST /api/v1/models/:name/versions', 'POST /api/v1/models/:name/versions/:version/transition',
      'POST /api/v1/models/:name/versions/:version/decisions', 'POST /api/v1/models/:name/rollback', 'PUT /api/v1/models/:name/policy',
      // data
      'POST /api/v1/datasets/:name/versions', 'PUT /api/v1/blobs/:digest',
      // HPO
      'POST /api/v1/studies', 'POST /api/v1/studies/:name/trials/:number/tell',
      // logged models and MLflow multipart uploads
      'POST /api/v1/logged-models', 'POST /api/2.0/mlflow-artifacts/mpu/create/*',
      // retention and gc
      'POST /api/v1/retention/apply', 'POST /api/v1/gc',
    ]));
    expect(mutating.length).toBeGreaterThan(100);
    expect(routes.find((r) => r.url === '/api/v1/runs/search')?.permission.role).toBe('viewer');
    expect(routes.find((r) => r.url === '/api/v1/audit/verify')?.permission.role).toBe('admin');
    expect(routes.find((r) => r.url === '/api/v1/experiments/stats')?.permission.role).toBe('viewer');
    expect(routes.find((r) => r.url === '/api/v1/gc')?.permission.role).toBe('admin');
    expect(routes.find((r) => r.url === '/api/v1/models/:name/versions/:version/gate-check')?.permission.role).toBe('viewer');
  });

  it('lets a viewer check the gates of a transition (the CI step), but not make it', async () => {
    await g.services.registry.as(adminActor).createModel({ name: 'churn' });
    await g.services.registry.as(adminActor).createVersion('churn', { source: 's3://models/churn/1', format: 'onnx' });
    const auth = { authorization: `Bearer ${viewerToken}`, 'content-type': 'application/json' };
    const check = await g.app.inject({ method: 'POST', url: '/api/v1/models/churn/versions/1/gate-check', headers: auth, payload: { to: 'staging' } });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().report).toMatchObject({ passed: true });
    const move = await g.app.inject({ method: 'POST', url: '/api/v1/models/churn/versions/1/transition', headers: auth, payload: { to: 'staging' } });
    expect(move.statusCode).toBe(403);
  });

  it('answers 401 to anonymous requests on every non-public route', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.permission.role !== 'public')) {
      const res = await call(r);
      if (res.statusCode !== 401 || !/UNAUTHENTICATED/.test(res.body)) wrong.push(`${label(r)} → ${res.statusCode} ${res.body.slice(0, 100)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers 401 to a wrong token, and serves public routes to anyone', async () => {
    const r = await g.app.inject({ method: 'GET', url: '/api/v1/experiments', headers: { authorization: 'Bearer cairn_wrong' } });
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toMatch(/not valid/);
    expect(r.headers['www-authenticate']).toMatch(/^Bearer realm="cairn", Basic realm="cairn"/);
    expect((await g.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    const mlflow = await g.app.inject({ method: 'GET', url: '/ajax-api/2.0/mlflow/experiments/search' });
    expect(mlflow.statusCode).toBe(401);
    expect(mlflow.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    expect(mlflow.headers['www-authenticate']).toMatch(/Basic realm="cairn"/);
  });

  it('answers 403 to a viewer on every route that needs more than viewer', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => !['public', 'signed-in', 'viewer'].includes(x.permission.role))) {
      const res = await call(r, viewerToken);
      if (res.statusCode !== 403 || !/PERMISSION_DENIED/.test(res.body)) wrong.push(`${label(r)} → ${res.statusCode} ${res.body.slice(0, 100)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets a viewer through the permission check on read routes', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.permission.role === 'viewer' || x.permission.role === 'signed-in')) {
      const res = await call(r, viewerToken);
      if (res.statusCode === 401 || res.statusCode === 403) wrong.push(`${label(r)} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets an admin through everywhere', async () => {
    const wrong: string[] = [];
    for (const r of routes.filter((x) => x.permission.role !== 'public')) {
      const res = await call(r, adminToken);
      if (res.statusCode === 401 || res.statusCode === 403) wrong.push(`${label(r)} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});
