/** MLflow 3 logged-model routes, artifact deletion and multipart uploads, in process over real SQLite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../server/app.js';
import { sqliteHarness, type ServiceStack } from '../testing/tracking-harness.js';

let app: FastifyInstance;
let h: ServiceStack & { cleanup(): Promise<void> };

beforeAll(async () => {
  h = await sqliteHarness();
  app = createApp({ tracking: h.api, loggedModels: h.loggedModels, multipart: h.multipart, version: 'test' });
});
afterAll(async () => { await app.close(); await h.cleanup(); });

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
async function call(method: Method, url: string, payload?: unknown) {
  const r = await app.inject({ method, url: `/api/2.0/${url}`, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: r.statusCode, body: (r.body ? r.json() : {}) as Record<string, any>, headers: r.headers };
}

describe('MLflow logged-model routes', () => {
  it('create, get, finalize, tags, params, search, outputs and delete as the MLflow 3 client calls them', async () => {
    const run = await h.api.createRun({ experimentName: 'lm-routes' });
    const created = await call('POST', 'mlflow/logged-models', {
      experiment_id: run.experimentId, name: 'clf', source_run_id: run.id, model_type: 'sklearn',
      params: [{ key: 'C', value: '1' }], tags: [{ key: 'mlflow.source.name', value: 'train.py' }],
    });
    expect(created.status).toBe(200);
    const id = created.body.model.info.model_id as string;
    expect(created.body.model.info).toMatchObject({
      experiment_id: run.experimentId, name: 'clf', status: 'LOGGED_MODEL_PENDING', source_run_id: run.id, model_type: 'sklearn',
      artifact_uri: `mlflow-artifacts:/${run.experimentId}/models/${id}/artifacts`,
    });
    expect(created.body.model.data.params).toEqual([{ key: 'C', value: '1' }]);
    expect((await call('PATCH', `mlflow/logged-models/${id}`, { model_id: id, status: 'LOGGED_MODEL_READY' })).body.model.info.status)
      .toBe('LOGGED_MODEL_READY');
    expect((await call('PATCH', `mlflow/logged-models/${id}`, { status: 'SOMETIMES' })).status).toBe(400);
    await call('PATCH', `mlflow/logged-models/${id}/tags`, { tags: [{ key: 'k/x', value: 'v' }] });
    expect((await call('DELETE', `mlflow/logged-models/${id}/tags/k%2Fx`)).status).toBe(200);
    expect((await call('POST', `mlflow/logged-models/${id}/params`, { model_id: id, params: [{ key: 'depth', value: '3' }] })).status).toBe(200);
    expect((await call('POST', 'mlflow/runs/outputs', { run_id: run.id, models: [{ model_id: id, step: 2 }] })).status).toBe(200);
    expect((await call('POST', 'mlflow/runs/log-inputs', { run_id: run.id, models: [{ model_id: id }] })).status).toBe(200);
    const got = await call('GET', `mlflow/runs/get?run_id=${run.id}`);
    expect(got.body.run.outputs).toEqual({ model_outputs: [{ model_id: id, step: 2 }] });
    expect(got.body.run.inputs.model_inputs).toEqual([{ model_id: id }]);

    // MLflow 3 re-logs a run's metrics against the model: the model gets them, the run's history stays single.
    const metric = { key: 'acc', value: 0.5, timestamp: 7, step: 0 };
    await call('POST', 'mlflow/runs/log-batch', { run_id: run.id, metrics: [metric] });
    await call('POST', 'mlflow/runs/log-batch', { run_id: run.id, metrics: [{ ...metric, model_id: id, dataset_name: 'iris', dataset_digest: 'd1' }] });
    expect((await h.api.getMetricHistory(run.id, 'acc')).values).toEqual([0.5]);
    const one = await call('GET', `mlflow/logged-models/${id}`);
    expect(one.body.model.data.metrics).toEqual([{ ...metric, model_id: id, run_id: run.id, dataset_name: 'iris', dataset_digest: 'd1' }]);
    expect(one.body.model.data.params).toEqual([{ key: 'C', value: '1' }, { key: 'depth', value: '3' }]);

    const other = (await call('POST', 'mlflow/logged-models', { experiment_id: run.experimentId, name: 'other' })).body.model.info.model_id as string;
    const batch = await call('GET', `mlflow/logged-models:batchGet?model_ids=${other}&model_ids=${id}`);
    expect(batch.body.models.map((m: any) => [m.info.model_id, m.info.name])).toEqual([[other, 'other'], [id, 'clf']]);
    expect((await call('GET', 'mlflow/logged-models:batchGet')).body).toEqual({ models: [] });
    expect(await call('GET', `mlflow/logged-models:batchGet?model_ids=${id}&model_ids=m-nope`)).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    await call('DELETE', `mlflow/logged-models/${other}`);

    const search = (body: object) => call('POST', 'mlflow/logged-models/search', { experiment_ids: [run.experimentId], ...body });
    expect((await search({ filter: "name = 'clf'" })).body.models.map((m: any) => m.info.model_id)).toEqual([id]);
    expect((await search({ filter: "name = 'other'" })).body).toEqual({ models: [] });
    expect((await search({ order_by: [{ field_name: 'name', ascending: false }], max_results: 1 })).body.models).toHaveLength(1);
    expect((await search({ datasets: [{ dataset_name: 'iris' }] })).status).toBe(400);
    expect((await search({ order_by: [{ field_name: 'metrics.acc' }] })).status).toBe(400);
    expect((await call('POST', 'mlflow/logged-models/search', { experiment_ids: ['404'] })).status).toBe(404);

    expect((await call('DELETE', `mlflow/logged-models/${id}`)).status).toBe(200);
    expect((await call('GET', `mlflow/logged-models/${id}`)).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await call('GET', `mlflow/logged-models/${id}?allow_deleted=true`)).body.model.info.model_id).toBe(id);
    expect((await search({})).body.models).toEqual([]);
  });

  it('records log-model metadata as the run\'s mlflow.log-model.history tag', async () => {
    const run = await h.api.createRun({});
    for (const path of ['a', 'b']) {
      expect((await call('POST', 'mlflow/runs/log-model', { run_id: run.id, model_json: JSON.stringify({ artifact_path: path }) })).status).toBe(200);
    }
    expect(JSON.parse((await h.api.getRun(run.id)).tags['mlflow.log-model.history'] ?? '')).toEqual([{ artifact_path: 'a' }, { artifact_path: 'b' }]);
    expect((await call('POST', 'mlflow/runs/log-model', { run_id: run.id, model_json: '{' })).status).toBe(400);
  });
});

describe('MLflow proxied artifacts: models, DELETE, multipart', () => {
  it('serves a logged model\'s files under <experiment>/models/<id>/artifacts and lists them by directory', async () => {
    const run = await h.api.createRun({});
    const m = await h.loggedModels.createLoggedModel({ experimentId: run.experimentId, sourceRunId: run.id });
    const base = `mlflow-artifacts/artifacts/${run.experimentId}/models/${m.id}/artifacts`;
    expect((await app.inject({ method: 'PUT', url: `/api/2.0/${base}/sub/MLmodel`, payload: 'flavors: {}' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/2.0/${base}/sub/MLmodel` })).body).toBe('flavors: {}');
    expect((await call('GET', `mlflow-artifacts/artifacts?path=${run.experimentId}/models/${m.id}/artifacts/sub`)).body.files)
      .toEqual([{ path: 'MLmodel', is_dir: false, file_size: 11 }]);
    expect((await call('GET', `mlflow/logged-models/${m.id}/artifacts/directories?artifact_directory_path=sub`)).body).toEqual({
      root_uri: `mlflow-artifacts:/${run.experimentId}/models/${m.id}/artifacts`, files: [{ path: 'MLmodel', is_dir: false, file_size: 11 }],
    });
    expect((await call('GET', `mlflow-artifacts/artifacts/999/models/${m.id}/artifacts/sub/MLmodel`)).status).toBe(404);
    expect((await call('DELETE', `${base}/sub`)).status).toBe(200);
    expect(await h.loggedModels.listModelArtifacts(m.id)).toEqual([]);
  });

  it('deletes a run\'s file or folder; the bytes another run shares stay readable', async () => {
    const a = await h.api.createRun({});
    const b = await h.api.createRun({});
    await h.api.logArtifact(a.id, 'd/x.txt', Buffer.from('same'));
    await h.api.logArtifact(b.id, 'x.txt', Buffer.from('same'));
    const base = `mlflow-artifacts/artifacts/${a.experimentId}/${a.id}/artifacts`;
    expect((await call('DELETE', `${base}/d/x.txt`)).status).toBe(200);
    expect((await call('GET', `${base}/d/x.txt`)).status).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${b.experimentId}/${b.id}/artifacts/x.txt` })).body).toBe('same');
    expect((await call('DELETE', `${base}/..%2F..%2Fx`)).status).toBe(400);
  });

  it('stages parts at the URLs it hands out and completes them in order into one artifact; abort forgets them', async () => {
    const run = await h.api.createRun({});
    const dir = `${run.experimentId}/${run.id}/artifacts/big`;
    const create = await call('POST', `mlflow-artifacts/mpu/create/${dir}`, { path: '/tmp/local/data.bin', num_parts: 3 });
    expect(create.status).toBe(200);
    const { upload_id: uploadId, credentials } = create.body as { upload_id: string; credentials: { url: string; part_number: number }[] };
    expect(credentials.map((c) => c.part_number)).toEqual([1, 2, 3]);
    const parts = [];
    for (const [i, text] of ['cc', 'aa', 'bb'].entries()) {
      const c = credentials[[2, 0, 1][i] as number] as { url: string; part_number: number };
      const r = await app.inject({ method: 'PUT', url: new URL(c.url).pathname, payload: text });
      expect(r.statusCode).toBe(200);
      parts.push({ part_number: c.part_number, etag: String(r.headers.etag), url: c.url });
    }
    expect((await call('POST', `mlflow-artifacts/mpu/complete/${dir}`, { path: 'data.bin', upload_id: uploadId, parts: parts.slice(1) })).status).toBe(400);
    expect((await call('POST', `mlflow-artifacts/mpu/complete/${dir}`, { path: 'data.bin', upload_id: uploadId, parts })).status).toBe(200);
    const chunks: Uint8Array[] = [];
    for await (const c of await h.api.openArtifact(run.id, 'big/data.bin')) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('aabbcc');
    expect((await call('POST', `mlflow-artifacts/mpu/complete/${dir}`, { path: 'data.bin', upload_id: uploadId, parts })).status).toBe(404);

    const other = await call('POST', `mlflow-artifacts/mpu/create/${dir}`, { path: 'other.bin', num_parts: 1 });
    const otherId = other.body.upload_id as string;
    expect((await call('POST', `mlflow-artifacts/mpu/abort/${dir}`, { path: 'other.bin', upload_id: otherId })).status).toBe(200);
    expect((await app.inject({ method: 'PUT', url: new URL(other.body.credentials[0].url).pathname, payload: 'x' })).statusCode).toBe(404);
    expect((await call('POST', `mlflow-artifacts/mpu/create/${dir}`, { path: 'x.bin', num_parts: 0 })).status).toBe(400);
    expect(await h.api.listArtifacts(run.id, 'big')).toHaveLength(1);
  });
});
