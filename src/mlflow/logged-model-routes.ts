/** MLflow 3 logged-model routes (`/mlflow/logged-models/...`) and run outputs: parse proto-JSON, call LoggedModelApi, translate back. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidArgument } from '../core/errors.js';
import type { LoggedModelApi } from '../tracking/logged-models/index.js';
import type { ApiFor } from '../server/route.js';
import { mlflowRoute } from './errors.js';
import { fieldsOf, keyValues, objectList, optInt, optString, reqString, runIdOf, stringList, type Fields } from './fields.js';
import { modelArtifactUri, statusFromMlflow, toMlflowLoggedModel } from './translate-models.js';
import { toMlflowFileInfo } from './translate.js';

type Req = { method: string; query: unknown; body: unknown; params: unknown };
/** The most models one `logged-models:batchGet` returns (MLflow's UI asks in chunks of 100). */
const BATCH_GET_LIMIT = 100;
const idOf = (req: Req): string => (req.params as { model_id: string }).model_id;

/** MLflow's `[{field_name, ascending}]` as order_by items; dataset-scoped ordering is refused. */
function orderByOf(b: Fields): string[] {
  return objectList(b, 'order_by').map((o) => {
    if (optString(o, 'dataset_name')) throw new InvalidArgument('ordering logged models by a dataset\'s metric is not supported; drop dataset_name');
    return `${reqString(o, 'field_name')} ${o.ascending === false || o.ascending === 'false' ? 'DESC' : 'ASC'}`;
  });
}

export function registerLoggedModelRoutes(app: FastifyInstance, m: ApiFor<LoggedModelApi>): void {
  const f = (req: Req): Fields => fieldsOf(req.method, req.query, req.body);
  const one = async (req: FastifyRequest, id: string, allowDeleted = false) => ({ model: toMlflowLoggedModel(await m(req).getLoggedModel(id, { allowDeleted })) });

  mlflowRoute(app, ['POST'], '/mlflow/logged-models', async (req) => {
    const b = f(req);
    const model = await m(req).createLoggedModel({
      experimentId: reqString(b, 'experiment_id'),
      name: optString(b, 'name') || undefined,
      sourceRunId: optString(b, 'source_run_id') || null,
      modelType: optString(b, 'model_type') || null,
      params: keyValues(b, 'params'),
      tags: keyValues(b, 'tags'),
    });
    return { model: toMlflowLoggedModel(model) };
  });
  mlflowRoute(app, ['POST'], '/mlflow/logged-models/search', async (req) => {
    const b = f(req);
    if (objectList(b, 'datasets').length > 0) {
      throw new InvalidArgument('filtering logged models by dataset is not supported; drop datasets and filter on metrics.<key>');
    }
    const page = await m(req).searchLoggedModels({
      experimentIds: stringList(b, 'experiment_ids'),
      filter: optString(b, 'filter') || undefined,
      orderBy: orderByOf(b),
      maxResults: optInt(b, 'max_results') ?? 100,
      pageToken: optString(b, 'page_token') || undefined,
    });
    return { models: page.items.map(toMlflowLoggedModel), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
  });
  // `::` is a literal ':' in a Fastify path: MLflow's UI asks for `logged-models:batchGet?model_ids=…`.
  mlflowRoute(app, ['GET'], '/mlflow/logged-models::batchGet', async (req) => {
    const ids = stringList(f(req), 'model_ids');
    if (ids.length > BATCH_GET_LIMIT) throw new InvalidArgument(`'model_ids' lists ${ids.length} models; ask for at most ${BATCH_GET_LIMIT} at a time`);
    return { models: await Promise.all(ids.map(async (id) => toMlflowLoggedModel(await m(req).getLoggedModel(id, { allowDeleted: false })))) };
  });
  mlflowRoute(app, ['GET'], '/mlflow/logged-models/:model_id', async (req) => {
    const allow = optString(f(req), 'allow_deleted');
    return one(req, idOf(req), allow === 'true' || allow === '1');
  });
  mlflowRoute(app, ['PATCH'], '/mlflow/logged-models/:model_id', async (req) => {
    const b = f(req);
    const model = await m(req).finalizeLoggedModel(idOf(req), statusFromMlflow(b.status), optString(b, 'status_message') ?? null);
    return { model: toMlflowLoggedModel(model) };
  });
  mlflowRoute(app, ['DELETE'], '/mlflow/logged-models/:model_id', async (req) => (await m(req).deleteLoggedModel(idOf(req)), {}));
  mlflowRoute(app, ['PATCH'], '/mlflow/logged-models/:model_id/tags', async (req) => {
    await m(req).setLoggedModelTags(idOf(req), keyValues(f(req), 'tags'));
    return one(req, idOf(req));
  });
  mlflowRoute(app, ['DELETE'], '/mlflow/logged-models/:model_id/tags/*', async (req) => {
    await m(req).deleteLoggedModelTag(idOf(req), (req.params as { '*': string })['*']);
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/logged-models/:model_id/params', async (req) => {
    await m(req).logLoggedModelParams(idOf(req), keyValues(f(req), 'params'));
    return {};
  });
  mlflowRoute(app, ['GET'], '/mlflow/logged-models/:model_id/artifacts/directories', async (req) => {
    const b = f(req);
    const model = await m(req).getLoggedModel(idOf(req), { allowDeleted: true });
    const dir = optString(b, 'artifact_directory_path') ?? '';
    const prefix = dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
    const entries = await m(req).listModelArtifacts(model.id, dir);
    return {
      root_uri: modelArtifactUri(model.experimentId, model.id),
      files: entries.map((e) => toMlflowFileInfo(e.path.slice(prefix.length), e.isDir, e.size)),
    };
  });
  mlflowRoute(app, ['POST'], '/mlflow/runs/outputs', async (req) => {
    const b = f(req);
    const models = objectList(b, 'models').map((x) => ({ modelId: reqString(x, 'model_id'), step: optInt(x, 'step') ?? 0 }));
    await m(req).linkRunModels(runIdOf(b), 'output', models);
    return {};
  });
}
