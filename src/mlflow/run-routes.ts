/** MLflow run, metric and artifact-listing routes: parse proto-JSON, call TrackingApi, translate back. */
import type { FastifyInstance } from 'fastify';
import { InvalidArgument } from '../core/errors.js';
import { LIMITS, isRunStatus, type DatasetInput } from '../tracking/domain.js';
import type { ApiFor } from '../server/route.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { mlflowRoute } from './errors.js';
import {
  fieldsOf, keyValues, objectList, offsetOf, optInt, optString, reqNumber, reqString, runIdOf, stringList, viewType, type Fields,
} from './fields.js';
import { PARENT_RUN_TAG, RUN_NAME_TAG, USER_TAG, runArtifactUri, toMlflowFileInfo, toMlflowMetric, toMlflowRun, toMlflowRunInfo } from './translate.js';

const metricOf = (m: Fields) => ({
  key: reqString(m, 'key'), value: reqNumber(m, 'value'), step: optInt(m, 'step') ?? 0, timestamp: optInt(m, 'timestamp') ?? Date.now(),
});

/** A dataset input from MLflow's `{tags, dataset}`; the context travels as the `mlflow.data.context` tag. */
function datasetInputOf(d: Fields): DatasetInput {
  const tags = keyValues(d, 'tags');
  const ds = d.dataset;
  if (typeof ds !== 'object' || ds === null || Array.isArray(ds)) throw new InvalidArgument("each dataset input needs a 'dataset' object");
  const f = ds as Fields;
  const { 'mlflow.data.context': context, ...rest } = tags;
  return {
    name: reqString(f, 'name'), digest: reqString(f, 'digest'), sourceType: reqString(f, 'source_type'),
    source: reqString(f, 'source'), context: context ?? 'other', schema: optString(f, 'schema') ?? null,
    profile: optString(f, 'profile') ?? null, tags: rest,
  };
}

export function registerRunRoutes(app: FastifyInstance, t: ApiFor<TrackingApi>): void {
  const f = (req: { method: string; query: unknown; body: unknown }): Fields => fieldsOf(req.method, req.query, req.body);

  mlflowRoute(app, ['POST'], '/mlflow/runs/create', async (req) => {
    const b = f(req);
    const { [RUN_NAME_TAG]: tagName, [PARENT_RUN_TAG]: parent, ...tags } = keyValues(b, 'tags');
    const run = await t(req).createRun({
      experimentId: optString(b, 'experiment_id') || '0',
      name: optString(b, 'run_name') || tagName || undefined,
      startTime: optInt(b, 'start_time'),
      userId: optString(b, 'user_id') || tags[USER_TAG] || null,
      parentRunId: parent || null,
      tags: parent ? { ...tags, [PARENT_RUN_TAG]: parent } : tags,
    });
    return { run: toMlflowRun(run) };
  });
  mlflowRoute(app, ['GET'], '/mlflow/runs/get', async (req) => ({ run: toMlflowRun(await t(req).getRun(runIdOf(f(req)))) }));
  mlflowRoute(app, ['POST'], '/mlflow/runs/update', async (req) => {
    const b = f(req);
    const status = optString(b, 'status');
    if (status !== undefined && !isRunStatus(status)) throw new InvalidArgument(`'status' must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED; got '${status}'`);
    const run = await t(req).updateRun(runIdOf(b), { status, endTime: optInt(b, 'end_time'), name: optString(b, 'run_name') || undefined });
    return { run_info: toMlflowRunInfo(run) };
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/delete', async (req) => (await t(req).deleteRun(runIdOf(f(req))), {}));
  mlflowRoute(app, ['POST'], '/mlflow/runs/restore', async (req) => (await t(req).restoreRun(runIdOf(f(req))), {}));
  mlflowRoute(app, ['POST'], '/mlflow/runs/search', async (req) => {
    const b = f(req);
    const page = await t(req).searchRuns({
      experimentIds: stringList(b, 'experiment_ids'),
      filter: optString(b, 'filter') || undefined,
      orderBy: stringList(b, 'order_by'),
      lifecycle: viewType(b, 'run_view_type'),
      maxResults: optInt(b, 'max_results') ?? 1000,
      pageToken: optString(b, 'page_token') || undefined,
    });
    return { runs: page.items.map(toMlflowRun), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/log-metric', async (req) => {
    const b = f(req);
    await t(req).logBatch(runIdOf(b), { metrics: [metricOf(b)] });
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/log-parameter', async (req) => {
    const b = f(req);
    await t(req).logBatch(runIdOf(b), { params: { [reqString(b, 'key')]: optString(b, 'value') ?? '' } });
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/log-batch', async (req) => {
    const b = f(req);
    const runId = runIdOf(b);
    const metrics = objectList(b, 'metrics').map(metricOf);
    const { [RUN_NAME_TAG]: name, ...tags } = keyValues(b, 'tags');
    // Checked before writing, so a bad name leaves the batch unwritten too.
    if (name !== undefined && (name === '' || name.length > LIMITS.runNameLength)) {
      throw new InvalidArgument(`run name (tag '${RUN_NAME_TAG}') must be 1 to ${LIMITS.runNameLength} characters`);
    }
    await t(req).logBatch(runId, { metrics, params: keyValues(b, 'params'), tags });
    if (name) await t(req).updateRun(runId, { name });
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/set-tag', async (req) => {
    const b = f(req);
    const key = reqString(b, 'key');
    const value = optString(b, 'value') ?? '';
    if (key === RUN_NAME_TAG) await t(req).updateRun(runIdOf(b), { name: value });
    else await t(req).setTag(runIdOf(b), key, value);
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/delete-tag', async (req) => {
    const b = f(req);
    await t(req).deleteTag(runIdOf(b), reqString(b, 'key'));
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/log-inputs', async (req) => {
    const b = f(req);
    await t(req).logInputs(runIdOf(b), objectList(b, 'datasets').map(datasetInputOf));
    return {};
  });
  mlflowRoute(app, ['GET'], '/mlflow/metrics/get-history', async (req) => {
    const b = f(req);
    const key = reqString(b, 'metric_key');
    const start = offsetOf(b, 'page_token');
    const max = optInt(b, 'max_results');
    if (max !== undefined && max < 1) throw new InvalidArgument(`'max_results' must be at least 1; got ${max}`);
    const s = await t(req).getMetricHistory(runIdOf(b), key);
    const end = max === undefined ? s.values.length : Math.min(s.values.length, start + max);
    const metrics = [];
    for (let i = start; i < end; i++) {
      metrics.push(toMlflowMetric({ key, value: s.values[i] ?? NaN, step: s.steps[i] ?? 0, timestamp: s.timestamps[i] ?? 0 }));
    }
    return { metrics, ...(end < s.values.length ? { next_page_token: String(end) } : {}) };
  });
  // MLflow samples evenly spaced steps; Cairn's downsampling keeps each window's extremes instead.
  mlflowRoute(app, ['GET'], '/mlflow/metrics/get-history-bulk-interval', async (req) => {
    const b = f(req);
    const runIds = stringList(b, 'run_ids');
    if (runIds.length < 1 || runIds.length > 100) throw new InvalidArgument(`give 1 to 100 'run_ids'; got ${runIds.length}`);
    const key = reqString(b, 'metric_key');
    const maxPoints = optInt(b, 'max_results') ?? 320;
    if (maxPoints < 4 || maxPoints > 1000) throw new InvalidArgument(`'max_results' must be from 4 to 1000; got ${maxPoints}`);
    const opts = { xAxis: 'step' as const, maxPoints, xMin: optInt(b, 'start_step'), xMax: optInt(b, 'end_step') };
    const metrics = [];
    for (const runId of runIds) {
      const s = await t(req).getMetricHistory(runId, key, opts);
      for (let i = 0; i < s.values.length; i++) {
        metrics.push({ ...toMlflowMetric({ key, value: s.values[i] ?? NaN, step: s.steps[i] ?? 0, timestamp: s.timestamps[i] ?? 0 }), run_id: runId });
      }
    }
    return { metrics };
  });
  // Cairn has no logged models yet (log_model is not supported); MLflow 3 clients search them when
  // listing a run's artifacts, so the truthful answer is an empty page.
  mlflowRoute(app, ['POST'], '/mlflow/logged-models/search', async (req) => {
    for (const id of stringList(f(req), 'experiment_ids')) await t(req).getExperiment(id);
    return { models: [] };
  });
  mlflowRoute(app, ['GET'], '/mlflow/artifacts/list', async (req) => {
    const b = f(req);
    const runId = runIdOf(b);
    const run = await t(req).getRun(runId);
    const entries = await t(req).listArtifacts(runId, optString(b, 'path') ?? '');
    return {
      root_uri: runArtifactUri(run.experimentId, run.id),
      files: entries.map((e) => toMlflowFileInfo(e.path, e.isDir, e.size)),
    };
  });
}
