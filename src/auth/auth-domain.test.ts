import { describe, expect, it } from 'vitest';
import { effectiveRole, formatScope, parseAuthorization, parseScope, validateUserName, type Grant } from './auth-domain.js';
import { permissionFor, scopeFromRequest } from './permissions.js';

describe('parseAuthorization', () => {
  it('reads Bearer and Basic (user name and token or password, colons allowed in the secret)', () => {
    expect(parseAuthorization('Bearer cairn_abc')).toEqual({ kind: 'bearer', token: 'cairn_abc' });
    expect(parseAuthorization(`Basic ${btoa('alice:pa:ss')}`)).toEqual({ kind: 'basic', user: 'alice', secret: 'pa:ss' });
    expect(parseAuthorization(`basic ${Buffer.from('zoë:x').toString('base64')}`)).toEqual({ kind: 'basic', user: 'zoë', secret: 'x' });
    for (const bad of [undefined, '', 'Bearer', 'Digest x', 'Basic !!!', `Basic ${btoa('nocolon')}`]) expect(parseAuthorization(bad)).toBeNull();
  });
});

describe('scopes and roles', () => {
  it('parses and formats scopes', () => {
    for (const s of ['global', 'experiment:12', 'model:churn:v2']) expect(formatScope(parseScope(s))).toBe(s);
    expect(() => parseScope('run:1')).toThrow(/must be 'global'/);
  });
  it('lets a scoped grant override the global default, except for global admins', () => {
    const grants: Grant[] = [{ scope: { kind: 'global' }, role: 'editor' }, { scope: { kind: 'experiment', id: '1' }, role: 'viewer' }, { scope: { kind: 'model', name: 'm' }, role: 'approver' }];
    expect(effectiveRole(grants, { kind: 'experiment', id: '1' })).toBe('viewer');
    expect(effectiveRole(grants, { kind: 'experiment', id: '2' })).toBe('editor');
    expect(effectiveRole(grants, { kind: 'model', name: 'm' })).toBe('approver');
    expect(effectiveRole([{ scope: { kind: 'global' }, role: 'admin' }, { scope: { kind: 'experiment', id: '1' }, role: 'viewer' }], { kind: 'experiment', id: '1' })).toBe('admin');
    expect(effectiveRole([], { kind: 'global' })).toBeNull();
  });
  it('validates user names', () => {
    expect(validateUserName('alice@example.com')).toBe('alice@example.com');
    for (const bad of ['', ' a', 'a b', '-a', 'x'.repeat(101)]) expect(() => validateUserName(bad)).toThrow(/user name/);
  });
});

describe('route permissions', () => {
  it('derives roles from method and URL unless a route declares one', () => {
    expect(permissionFor('GET', '/api/v1/health').role).toBe('public');
    expect(permissionFor('GET', '/api/v1/runs/:id').role).toBe('viewer');
    expect(permissionFor('POST', '/api/v1/runs/search').role).toBe('viewer');
    expect(permissionFor('POST', '/api/2.0/mlflow/runs/log-batch').role).toBe('editor');
    expect(permissionFor('GET', '/api/v1/users').role).toBe('admin');
    expect(permissionFor('POST', '/api/v1/models/:name/versions/:version/approve').role).toBe('approver');
    expect(permissionFor('POST', '/api/v1/anything-new').role).toBe('editor');
    expect(permissionFor('POST', '/api/2.0/mlflow/registered-models/get-latest-versions').role).toBe('viewer');
    expect(permissionFor('POST', '/api/2.0/mlflow/model-versions/transition-stage').role).toBe('editor');
    expect(permissionFor('POST', '/x', { role: 'admin' }).role).toBe('admin');
  });
  it('finds the scope in paths, bodies and queries', () => {
    const p = (params: object, body: unknown = undefined, query: object = {}) => ({ params, body, query });
    expect(scopeFromRequest('/api/v1/experiments/:id/tags', p({ id: '7' }))).toEqual({ kind: 'experiment', id: '7' });
    expect(scopeFromRequest('/api/v1/runs/:id/batch', p({ id: 'r1' }))).toEqual({ kind: 'run', id: 'r1' });
    expect(scopeFromRequest('/api/v1/runs', p({}, { experimentId: '3' }))).toEqual({ kind: 'experiment', id: '3' });
    expect(scopeFromRequest('/api/2.0/mlflow/runs/update', p({}, { run_uuid: 'r2' }))).toEqual({ kind: 'run', id: 'r2' });
    expect(scopeFromRequest('/api/2.0/mlflow/runs/get', p({}, undefined, { run_id: 'r3' }))).toEqual({ kind: 'run', id: 'r3' });
    expect(scopeFromRequest('/api/2.0/mlflow-artifacts/artifacts/*', p({ '*': '1/r4/artifacts/a.txt' }))).toEqual({ kind: 'run', id: 'r4' });
    expect(scopeFromRequest('/api/v1/models/:name', p({ name: 'churn' }))).toEqual({ kind: 'model', name: 'churn' });
    expect(scopeFromRequest('/api/2.0/mlflow/registered-models/create', p({}, { name: 'churn' }))).toEqual({ kind: 'model', name: 'churn' });
    const fromRun = p({}, { name: 'churn', source: 'runs:/r5/model', run_id: 'r5' });
    expect(scopeFromRequest('/api/2.0/mlflow/model-versions/create', fromRun)).toEqual({ kind: 'model', name: 'churn' });
    expect(scopeFromRequest('/api/v1/runs', p({}, 'not an object'))).toEqual({ kind: 'global' });
  });
});
