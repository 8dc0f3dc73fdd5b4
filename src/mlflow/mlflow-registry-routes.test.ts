/** The MLflow model-registry routes in process (app.inject) over real SQLite tracking, logged models and registry. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { RegistryService } from '../registry/registry-service.js';
import { SqlRegistryStore } from '../registry/sql-registry-store.js';
import { createApp } from '../server/app.js';
import { RecordingAudit } from '../testing/registry-harness.js';
import { sqliteHarness, type ServiceStack } from '../testing/tracking-harness.js';

let app: FastifyInstance;
let stack: ServiceStack;
let audit: RecordingAudit;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const h = await sqliteHarness();
  stack = h;
  cleanup = h.cleanup;
  audit = new RecordingAudit();
  const registry = new RegistryService(
    { store: new SqlRegistryStore(h.db), runs: h.api, audit, roles: { roleOf: async () => 'admin' } }, { id: 'local', name: 'local' });
  app = createApp({ tracking: h.api, loggedModels: h.loggedModels, registry, version: 'test' });
});
afterAll(async () => { await app.close(); await cleanup(); });

type Body = Record<string, any>;
const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, fields: Body = {}, prefix = '/api/2.0') => {
  const get = method === 'GET';
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, String(x));
  const r = await app.inject({ method, url: `${prefix}/mlflow/${path}${get ? `?${qs}` : ''}`, ...(get ? {} : { payload: fields }) });
  return { status: r.statusCode, body: r.json() as Body };
};

describe('MLflow model-registry routes', () => {
  it('registers a run model, tags, aliases and moves it through MLflow stages', async () => {
    const run = await stack.api.createRun({ name: 'train' });
    expect((await call('POST', 'registered-models/create', { name: 'churn', description: 'd', tags: [{ key: 'team', value: 'ml' }] })).body)
      .toMatchObject({ registered_model: { name: 'churn', description: 'd', tags: [{ key: 'team', value: 'ml' }], latest_versions: [] } });
    const created = await call('POST', 'model-versions/create', { name: 'churn', source: `runs:/${run.id}/model`, run_id: run.id });
    expect(created.body.model_version).toMatchObject({ name: 'churn', version: '1', current_stage: 'None', run_id: run.id, status: 'READY' });
    const uri = await call('GET', 'model-versions/get-download-uri', { name: 'churn', version: '1' });
    expect(uri.body).toEqual({ artifact_uri: `mlflow-artifacts:/${run.experimentId}/${run.id}/artifacts/model` });

    expect((await call('POST', 'model-versions/set-tag', { name: 'churn', version: '1', key: 'k', value: 'v' })).status).toBe(200);
    expect((await call('POST', 'registered-models/alias', { name: 'churn', alias: 'champion', version: '1' })).status).toBe(200);
    const byAlias = await call('GET', 'registered-models/alias', { name: 'churn', alias: 'champion' }, '/ajax-api/2.0');
    expect(byAlias.body.model_version).toMatchObject({ version: '1', aliases: ['champion'], tags: [{ key: 'k', value: 'v' }] });

    await call('POST', 'model-versions/create', { name: 'churn', source: 's3://b/m2' });
    const moved = await call('POST', 'model-versions/transition-stage', { name: 'churn', version: '2', stage: 'Production', archive_existing_versions: false });
    expect(moved.body.model_version).toMatchObject({ version: '2', current_stage: 'Production' });
    const latest = await call('POST', 'registered-models/get-latest-versions', { name: 'churn', stages: ['Production', 'None'] });
    expect(latest.body.model_versions.map((v: Body) => [v.version, v.current_stage])).toEqual([['2', 'Production'], ['1', 'None']]);
    const got = await call('GET', 'registered-models/get', { name: 'churn' });
    expect(got.body.registered_model).toMatchObject({ aliases: [{ alias: 'champion', version: '1' }] });
    expect(got.body.registered_model.latest_versions).toHaveLength(2);
    expect(audit.events.map((e) => e.action)).toContain('model_version.transition');

    const found = await call('GET', 'model-versions/search', { filter: `run_id = '${run.id}'` });
    expect(found.body.model_versions.map((v: Body) => v.version)).toEqual(['1']);
    const models = await call('GET', 'registered-models/search', { filter: "name LIKE 'ch%' AND tag.`mlflow.prompt.is_prompt` != 'true'" });
    expect(models.body.registered_models.map((m: Body) => m.name)).toEqual(['churn']);
    expect((await call('GET', 'registered-models/search', { filter: "name = 'churn' AND tags.team = 'data'" })).body).toEqual({ registered_models: [] });

    expect((await call('DELETE', 'model-versions/delete-tag', { name: 'churn', version: '1', key: 'k' })).status).toBe(200);
    expect((await call('DELETE', 'registered-models/alias', { name: 'churn', alias: 'champion' })).status).toBe(200);
    const renamed = await call('POST', 'registered-models/rename', { name: 'churn', new_name: 'churn2' });
    expect(renamed.body.registered_model.name).toBe('churn2');
    expect((await call('PATCH', 'model-versions/update', { name: 'churn2', version: '1', description: 'first' })).body.model_version.description).toBe('first');
    expect((await call('DELETE', 'model-versions/delete', { name: 'churn2', version: '1' })).status).toBe(200);
    expect((await call('DELETE', 'registered-models/delete', { name: 'churn2' })).status).toBe(200);
    expect(await call('GET', 'registered-models/get', { name: 'churn2' })).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it('registers a logged model (MLflow 3) and resolves its download URI to the model\'s artifacts', async () => {
    const run = await stack.api.createRun({});
    const lm = await stack.loggedModels.createLoggedModel({ experimentId: run.experimentId, name: 'model', sourceRunId: run.id });
    await call('POST', 'registered-models/create', { name: 'lm' });
    const v = await call('POST', 'model-versions/create', { name: 'lm', source: `models:/${lm.id}`, model_id: lm.id });
    expect(v.body.model_version).toMatchObject({ source: `models:/${lm.id}`, model_id: lm.id, run_id: run.id });
    expect((await call('GET', 'model-versions/get-download-uri', { name: 'lm', version: 1 })).body)
      .toEqual({ artifact_uri: `mlflow-artifacts:/${run.experimentId}/models/${lm.id}/artifacts` });
    const mismatch = await call('POST', 'model-versions/create', { name: 'lm', source: 's3://x', model_id: lm.id });
    expect(mismatch).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(await call('POST', 'model-versions/create', { name: 'lm', source: 'models:/m-missing' })).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it('answers bad input with MLflow error codes', async () => {
    await call('POST', 'registered-models/create', { name: 'dup' });
    expect(await call('POST', 'registered-models/create', { name: 'dup' })).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    expect(await call('POST', 'registered-models/create', {})).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(await call('GET', 'model-versions/get', { name: 'dup', version: '9' })).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(await call('GET', 'model-versions/get', { name: 'dup', version: 'x' })).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    await call('POST', 'model-versions/create', { name: 'dup', source: 's3://b/1' });
    expect(await call('POST', 'model-versions/transition-stage', { name: 'dup', version: '1', stage: 'Prod' }))
      .toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(/None, Staging, Production, Archived/) } });
    expect(await call('GET', 'registered-models/search', { filter: "name != 'x'" })).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(await call('GET', 'model-versions/search', { order_by: ['version DESC'] })).toMatchObject({ status: 400 });
    expect(await call('POST', 'registered-models/alias', { name: 'dup', alias: 'latest', version: '1' })).toMatchObject({ status: 400 });
    expect(await call('POST', 'model-versions/create', { name: 'nope', source: 's3://b/1' })).toMatchObject({ status: 404 });
  });

  it('pages registered models with MLflow page tokens', async () => {
    for (const s of ['c', 'a', 'b']) await call('POST', 'registered-models/create', { name: `page-${s}` });
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await call('GET', 'registered-models/search', { filter: "name LIKE 'page-%'", max_results: 2, order_by: ['name DESC'], ...(token ? { page_token: token } : {}) });
      names.push(...r.body.registered_models.map((m: Body) => m.name));
      token = r.body.next_page_token;
      pages++;
    } while (token);
    expect([names, pages]).toEqual([['page-c', 'page-b', 'page-a'], 2]);
  });
});
