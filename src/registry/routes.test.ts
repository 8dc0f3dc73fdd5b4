/** The registry's HTTP edge in process (`app.inject`): bad input is a 4xx with a message that says what to do. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { registryApp } from '../testing/registry-harness.js';

describe('registry routes', () => {
  let app: FastifyInstance;
  let cleanup: () => Promise<void>;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object, user = 'admin') => {
    const res = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer test:${user}` }, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };

  beforeAll(async () => {
    ({ app, cleanup } = await registryApp());
    await call('POST', '/models', { name: 'churn' }, 'alice');
    await call('POST', '/models/churn/versions', { source: 's3://m/1' }, 'alice');
  });
  afterAll(async () => cleanup?.());

  it('answers unknown models and versions with 404 and the fix', async () => {
    expect(await call('GET', '/models/nope')).toEqual({ status: 404, body: { error_code: 'NOT_FOUND', message: "registered model 'nope' does not exist; list models with 'cairn models list'" } });
    expect((await call('GET', '/models/churn/versions/9')).status).toBe(404);
    expect((await call('POST', '/models/nope/versions/1/gate-check', { to: 'production' })).status).toBe(404);
  });

  it('answers a bad policy with 400 naming the line', async () => {
    const r = await call('PUT', '/models/churn/policy', { text: '{\n  "on_promote": "archive",\n  "stages": ["dev"]\n}' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error_code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^invalid policy at line 3: stages: 'dev' is not a stage/), details: { line: 3 } });
    const syntax = await call('PUT', '/models/churn/policy', { text: '{\n  "transitions": [,]\n}' });
    expect(syntax).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^invalid policy at line 2/) } });
  });

  it('validates paths and bodies against the schemas', async () => {
    expect(await call('GET', '/models/churn/versions/abc')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/params\.version/) } });
    expect(await call('POST', '/models/churn/versions/1/transition', { to: 'prod' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/body\.to/) } });
    expect((await call('POST', '/models', { name: 'x', colour: 'red' })).status).toBe(400);
    expect((await call('POST', '/models/churn/versions', { source: 's', format: 'pickle' })).status).toBe(400);
    expect(await call('POST', '/models/churn/versions', { source: 's', format: 'other' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/flavor/) } });
  });

  it('answers permission and state problems with 403 and 409', async () => {
    expect(await call('POST', '/models/churn/versions/1/decisions', { to: 'production', decision: 'approved' }, 'alice'))
      .toMatchObject({ status: 403, body: { error_code: 'PERMISSION_DENIED' } });
    expect(await call('POST', '/models', { name: 'churn' }, 'alice')).toMatchObject({ status: 409, body: { error_code: 'ALREADY_EXISTS' } });
    expect(await call('POST', '/models/churn/rollback', {})).toMatchObject({ status: 409, body: { error_code: 'INVALID_STATE' } });
  });

  it('lists the registry operations in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths['/api/v1/models/{name}/versions/{version}/transition']?.post?.operationId).toBe('transition');
    expect(doc.paths['/api/v1/models/{name}/rollback']?.post?.operationId).toBe('rollback');
  });
});
