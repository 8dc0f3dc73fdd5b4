/** MLflow run, metric and artifact-listing routes: parse proto-JSON, call TrackingApi, translate back. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidArgument } from '../core/errors.js';
import { LIMITS, isRunStatus, type DatasetInput, type Run } from '../tracking/domain.js';
import type { LoggedModelApi, LoggedModelMetric } from '../tracking/logged-models/index.js';
import type { ApiFor } from '../server/route.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { mlflowRoute } from './errors.js';
import {
  fieldsOf, keyValues, objectList, offsetOf, optInt, optString, reqNumber, reqString, runIdOf, stringList, viewType, type Fields,
} from './fields.js';
import { toMlflowModelLinks } from './translate-models.js';
import { PARENT_RUN_TAG, RUN_NAME_TAG, USER_TAG, runArtifactUri, toMlflowFileInfo, toMlflowMetric, toMlflowRun, toMlflowRunInfo } from './translate.js';

const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

function parseModelHistory(tag: string | undefined): unknown[] {
  if (!tag) return [];
  try {
    const v: unknown = JSON.parse(tag);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

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

/**
 * Splits metrics carrying a `model_id` off to their logged models, and
 * returns those the run should store: all of them, less points the run
 * already has (MLflow 3 re-logs a run's metrics against a model it logs).
 */
async function routeModelMetrics(t: TrackingApi, m: LoggedModelApi | undefined, runId: string, metrics: readonly Fields[]) {
  const forRun = metrics.map(metricOf);
  const withModel = metrics.flatMap((x, i) => (optString(x, 'model_id') ? [{ f: x, point: forRun[i] as ReturnType<typeof metricOf> }] : []));
  if (withModel.length === 0) return forRun;
  if (!m) throw new InvalidArgument('metrics with a model_id need logged models, which this server does not serve');
  const byModel = new Map<string, LoggedModelMetric[]>();
  for (const { f, point } of withModel) {
    const id = optString(f, 'model_id') as string;
    const xs = byModel.get(id) ?? [];
    xs.push({ ...point, runId, datasetName: optString(f, 'dataset_name') || null, datasetDigest: optString(f, 'dataset_digest') || null });
    byModel.set(id, xs);
  }
  for (const [id, xs] of byModel) await m.logLoggedModelMetrics(id, xs);
  const seen = new Set<string>();
  for (const key of new Set(withModel.map((x) => x.point.key))) {
    const s = await t.getMetricHistory(runId, key);
    s.values.forEach((v, i) => seen.add(JSON.stringify([key, s.steps[i], s.timestamps[i], v])));
  }
  return forRun.filter((p) => !seen.has(JSON.stringify([p.key, p.step, p.timestamp, p.value])));
}

export function registerRunRoutes(app: FastifyInstance, tFor: ApiFor<TrackingApi>, mFor?: ApiFor<LoggedModelApi>): void {
  const f = (req: { method: string; query: unknown; body: unknown }): Fields => fieldsOf(req.method, req.query, req.body);
  const withLinks = async (req: FastifyRequest, run: Run) => {
    const links = mFor ? await mFor(req).runModelLinks(run.id) : [];
    const { model_inputs, model_outputs } = toMlflowModelLinks(links);
    const r = toMlflowRun(run);
    return { ...r, inputs: { ...r.inputs, model_inputs }, outputs: { model_outputs } };
  };

  mlflowRoute(app, ['POST'], '/mlflow/runs/create', async (req) => {
    const b = f(req);
    const { [RUN_NAME_TAG]: tagName, [PARENT_RUN_TAG]: parent, ...tags } = keyValues(b, 'tags');
    const run = await tFor(req).createRun({
      experimentId: optString(b, 'experiment_id') || '0',
      name: optString(b, 'run_name') || tagName || undefined,
      startTime: optInt(b, 'start_time'),
      userId: optString(b, 'user_id') || tags[USER_TAG] || null,
      parentRunId: parent || null,
      tags: parent ? { ...tags, [PARENT_RUN_TAG]: parent } : tags,
    });
    return { run: toMlflowRun(run) };
  });
  mlflowRoute(app, ['GET'], '/mlflow/runs/get', async (req) => ({ run: await withLinks(req, await tFor(req).getRun(runIdOf(f(req)))) }));
  mlflowRoute(app, ['POST'], '/mlflow/runs/update', async (req) => {
    const b = f(req);
    const status = optString(b, 'status');
    if (status !== undefined && !isRunStatus(status)) throw new InvalidArgument(`'status' must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED; got '${status}'`);
    const run = await tFor(req).updateRun(runIdOf(b), { status, endTime: optInt(b, 'end_time'), name: optString(b, 'run_name') || undefined });
    return { run_info: toMlflowRunInfo(run) };
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/delete', async (req) => (await tFor(req).deleteRun(runIdOf(f(req))), {}));
  mlflowRoute(app, ['POST'], '/mlflow/runs/restore', async (req) => (await tFor(req).restoreRun(runIdOf(f(req))), {}));
  mlflowRoute(app, ['POST'], '/mlflow/runs/search', async (req) => {
    const b = f(req);
    const page = await tFor(req).searchRuns({
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
    const runId = runIdOf(b);
    const metrics = await routeModelMetrics(tFor(req), mFor?.(req), runId, [b]);
    if (metrics.length > 0) await tFor(req).logBatch(runId, { metrics });
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/log-parameter', async (req) => {
    const b = f(req);
    await tFor(req).logBatch(runIdOf(b), { params: { [reqString(b, 'key')]: optString(b, 'value') ?? '' } });
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/log-batch', async (req) => {
    const b = f(req);
    const runId = runIdOf(b);
    const { [RUN_NAME_TAG]: name, ...tags } = keyValues(b, 'tags');
    // Checked before writing, so a bad name leaves the batch unwritten too.
    if (name !== undefined && (name === '' || name.length > LIMITS.runNameLength)) {
      throw new InvalidArgument(`run name (tag '${RUN_NAME_TAG}') must be 1 to ${LIMITS.runNameLength} characters`);
    }
    const metrics = await routeModelMetrics(tFor(req), mFor?.(req), runId, objectList(b, 'metrics'));
    await tFor(req).logBatch(runId, { metrics, params: keyValues(b, 'params'), tags });
    if (name) await tFor(req).updateRun(runId, { name });
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/set-tag', async (req) => {
    const b = f(req);
    const key = reqString(b, 'key');
    const value = optString(b, 'value') ?? '';
    if (key === RUN_NAME_TAG) await tFor(req).updateRun(runIdOf(b), { name: value });
    else await tFor(req).setTag(runIdOf(b), key, value);
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/delete-tag', async (req) => {
    const b = f(req);
    await tFor(req).deleteTag(runIdOf(b), reqString(b, 'key'));
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/log-inputs', async (req) => {
    const b = f(req);
    const runId = runIdOf(b);
    const models = objectList(b, 'models').map((x) => ({ modelId: reqString(x, 'model_id'), step: 0 }));
    if (models.length > 0 && !mFor) throw new InvalidArgument('model inputs need logged models, which this server does not serve');
    const datasets = objectList(b, 'datasets').map(datasetInputOf);
    // An empty request still checks the run, as MLflow's server does.
    if (datasets.length > 0 || models.length === 0) await tFor(req).logInputs(runId, datasets);
    if (models.length > 0) await mFor?.(req).linkRunModels(runId, 'input', models);
    return {};
  });
  // MLflow keeps a run's logged-model metadata as a JSON list in one tag.
  mlflowRoute(app, ['POST'], '/mlflow/runs/log-model', async (req) => {
    const b = f(req);
    const runId = runIdOf(b);
    let model: unknown;
    try {
      model = JSON.parse(reqString(b, 'model_json'));
    } catch {
      throw new InvalidArgument("'model_json' must be a JSON object");
    }
    const run = await tFor(req).getRun(runId);
    const history = parseModelHistory(run.tags[LOG_MODEL_HISTORY_TAG]);
    await tFor(req).setTag(runId, LOG_MODEL_HISTORY_TAG, JSON.stringify([...history, model]));
    return {};
  });
  mlflowRoute(app, ['GET'], '/mlflow/metrics/get-history', async (req) => {
    const b = f(req);
    const key = reqString(b, 'metric_key');
    const start = offsetOf(b, 'page_token');
    const max = optInt(b, 'max_results');
    if (max !== undefined && max < 1) throw new InvalidArgument(`'max_results' must be at least 1; got ${max}`);
    const s = await tFor(req).getMetricHistory(runIdOf(b), key);
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
      const s = await tFor(req).getMetricHistory(runId, key, opts);
      for (let i = 0; i < s.values.length; i++) {
        metrics.push({ ...toMlflowMetric({ key, value: s.values[i] ?? NaN, step: s.steps[i] ?? 0, timestamp: s.timestamps[i] ?? 0 }), run_id: runId });
      }
    }
    return { metrics };
  });
  mlflowRoute(app, ['GET'], '/mlflow/artifacts/list', async (req) => {
    const b = f(req);
    const runId = runIdOf(b);
    const run = await tFor(req).getRun(runId);
    const entries = await tFor(req).listArtifacts(runId, optString(b, 'path') ?? '');
    return {
      root_uri: runArtifactUri(run.experimentId, run.id),
      files: entries.map((e) => toMlflowFileInfo(e.path, e.isDir, e.size)),
    };
  });
}
