/** The MLflow routes in process (app.inject) over a real SQLite tracking service. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../server/app.js';
import { sqliteHarness } from '../testing/tracking-harness.js';
import type { TrackingApi } from '../tracking/tracking-api.js';

let app: FastifyInstance;
let api: TrackingApi;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const h = await sqliteHarness();
  api = h.api;
  cleanup = h.cleanup;
  app = createApp({ tracking: api, loggedModels: h.loggedModels, multipart: h.multipart, version: 'test' });
});
afterAll(async () => { await app.close(); await cleanup(); });

const post = async (url: string, payload: unknown) => {
  const r = await app.inject({ method: 'POST', url: `/api/2.0/mlflow/${url}`, payload: payload as object });
  return { status: r.statusCode, body: r.json() as Record<string, any> };
};
const get = async (url: string) => {
  const r = await app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.json() as Record<string, any> };
};

describe('MLflow tracking routes', () => {
  it('creates a run with MLflow tags, logs int64-as-string metrics and NaN, and reads them back', async () => {
    const { body: e } = await post('experiments/create', { name: 'inject' });
    const { body: c } = await post('runs/create', {
      experiment_id: e.experiment_id, start_time: '1700000000000',
      tags: [{ key: 'mlflow.runName', value: 'named' }, { key: 'mlflow.user', value: 'ada' }],
    });
    const id = c.run.info.run_id as string;
    expect(c.run.info).toMatchObject({ run_name: 'named', user_id: 'ada', start_time: 1_700_000_000_000, lifecycle_stage: 'active',
      artifact_uri: `mlflow-artifacts:/${e.experiment_id}/${id}/artifacts` });
    expect((await post('runs/log-metric', { run_id: id, key: 'm', value: 'NaN', timestamp: '5', step: '2' })).status).toBe(200);
    const h = await get(`/ajax-api/2.0/mlflow/metrics/get-history?run_id=${id}&metric_key=m`);
    expect(h.body.metrics).toEqual([{ key: 'm', value: 'NaN', timestamp: 5, step: 2 }]);
  });

  it('answers MLflow error codes and writes nothing on bad input', async () => {
    expect(await get('/api/2.0/mlflow/runs/get?run_id=nope')).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    await post('experiments/create', { name: 'dup' });
    expect(await post('experiments/create', { name: 'dup' })).toMatchObject({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS' } });
    expect(await post('experiments/create', { name: 7 })).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect(await post('runs/search', { experiment_ids: ['0'], run_view_type: 'SOMETIMES' })).toMatchObject({ status: 400 });
    const run = await api.createRun({});
    const bad = await post('runs/log-batch', { run_id: run.id, params: [{ key: 'p', value: 'v' }], metrics: [{ key: 'm', value: 'abc', timestamp: 1 }] });
    expect(bad).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE' } });
    expect((await api.getRun(run.id)).params).toEqual({});
    const longName = { run_id: run.id, params: [{ key: 'p', value: 'v' }], tags: [{ key: 'mlflow.runName', value: 'x'.repeat(300) }] };
    expect((await post('runs/log-batch', longName)).status).toBe(400);
    expect((await api.getRun(run.id)).params).toEqual({});
    const r = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/runs/create', headers: { 'content-type': 'application/json' }, payload: '{' });
    expect(r.statusCode).toBe(400);
  });

  it('stores proxied artifacts as the run\'s logical artifacts, whatever their content type', async () => {
    const run = await api.createRun({});
    const base = `/api/2.0/mlflow-artifacts/artifacts/${run.experimentId}/${run.id}/artifacts`;
    const put = await app.inject({ method: 'PUT', url: `${base}/d/x.json`, headers: { 'content-type': 'application/json' }, payload: '{"a":1}' });
    expect(put.statusCode).toBe(200);
    const chunks: Uint8Array[] = [];
    for await (const c of await api.openArtifact(run.id, 'd/x.json')) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('{"a":1}');
    expect((await app.inject({ method: 'GET', url: `${base}/d/x.json` })).body).toBe('{"a":1}');
    const list = await get(`/api/2.0/mlflow-artifacts/artifacts?path=${run.experimentId}/${run.id}/artifacts/d`);
    expect(list.body.files).toEqual([{ path: 'x.json', is_dir: false, file_size: 7 }]);
    expect((await get(`/api/2.0/mlflow-artifacts/artifacts?path=../x`)).status).toBe(400);
    expect((await get(`/api/2.0/mlflow-artifacts/artifacts?path=999/${run.id}/artifacts`)).status).toBe(404);
  });
});

describe('MLflow metric history routes', () => {
  it('pages a history with max_results and page_token, and samples many runs in a step interval', async () => {
    const a = await api.createRun({});
    const b = await api.createRun({});
    const points = Array.from({ length: 50 }, (_, i) => ({ key: 'loss', value: i, step: i, timestamp: 1000 + i }));
    await api.logBatch(a.id, { metrics: points });
    await api.logBatch(b.id, { metrics: points.slice(0, 10) });
    const first = await get(`/api/2.0/mlflow/metrics/get-history?run_id=${a.id}&metric_key=loss&max_results=30`);
    expect(first.body.metrics).toHaveLength(30);
    const rest = await get(`/api/2.0/mlflow/metrics/get-history?run_id=${a.id}&metric_key=loss&max_results=30&page_token=${first.body.next_page_token}`);
    expect(rest.body.metrics.map((m: { step: number }) => m.step)).toEqual(Array.from({ length: 20 }, (_, i) => 30 + i));
    expect(rest.body.next_page_token).toBeUndefined();
    expect((await get(`/api/2.0/mlflow/metrics/get-history?run_id=${a.id}&metric_key=loss&page_token=zz`)).status).toBe(400);
    const bulk = await get(`/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=${a.id}&run_ids=${b.id}&metric_key=loss&start_step=5&end_step=40&max_results=10`);
    expect(bulk.status).toBe(200);
    const steps = (id: string) => bulk.body.metrics.filter((m: { run_id: string }) => m.run_id === id).map((m: { step: number }) => m.step);
    expect(steps(a.id).length).toBeLessThanOrEqual(10);
    expect(Math.min(...steps(a.id))).toBeGreaterThanOrEqual(5);
    expect(Math.max(...steps(a.id))).toBeLessThanOrEqual(40);
    expect(steps(b.id)).toEqual([5, 6, 7, 8, 9]);
  });
});
