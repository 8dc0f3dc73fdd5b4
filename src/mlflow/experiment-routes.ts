/** MLflow experiment routes: parse proto-JSON, call TrackingApi, translate back. */
import type { FastifyInstance } from 'fastify';
import type { ApiFor } from '../server/route.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { mlflowRoute } from './errors.js';
import { fieldsOf, keyValues, optInt, optString, reqString, stringList, viewType, type Fields } from './fields.js';
import { toMlflowExperiment } from './translate.js';

/** MLflow's default experiment order: the newest first, then by id. */
const MLFLOW_EXPERIMENT_ORDER = ['creation_time DESC', 'experiment_id ASC'];

export function registerExperimentRoutes(app: FastifyInstance, t: ApiFor<TrackingApi>): void {
  const f = (req: { method: string; query: unknown; body: unknown }): Fields => fieldsOf(req.method, req.query, req.body);

  mlflowRoute(app, ['POST'], '/mlflow/experiments/create', async (req) => {
    const b = f(req);
    const e = await t(req).createExperiment({ name: reqString(b, 'name'), tags: keyValues(b, 'tags') });
    return { experiment_id: e.id };
  });
  mlflowRoute(app, ['GET'], '/mlflow/experiments/get', async (req) => {
    const e = await t(req).getExperiment(reqString(f(req), 'experiment_id'));
    return { experiment: toMlflowExperiment(e) };
  });
  mlflowRoute(app, ['GET'], '/mlflow/experiments/get-by-name', async (req) => {
    return { experiment: toMlflowExperiment(await t(req).getExperimentByName(reqString(f(req), 'experiment_name'))) };
  });
  mlflowRoute(app, ['GET', 'POST'], '/mlflow/experiments/search', async (req) => {
    const b = f(req);
    const orderBy = stringList(b, 'order_by');
    const page = await t(req).listExperiments({
      lifecycle: viewType(b, 'view_type'),
      filter: optString(b, 'filter') || undefined,
      orderBy: orderBy.length > 0 ? orderBy : MLFLOW_EXPERIMENT_ORDER,
      maxResults: optInt(b, 'max_results') ?? 1000,
      pageToken: optString(b, 'page_token') || undefined,
    });
    return {
      experiments: page.items.map(toMlflowExperiment),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  });
  mlflowRoute(app, ['POST'], '/mlflow/experiments/update', async (req) => {
    const b = f(req);
    await t(req).updateExperiment(reqString(b, 'experiment_id'), { name: optString(b, 'new_name') });
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/experiments/delete', async (req) => {
    await t(req).deleteExperiment(reqString(f(req), 'experiment_id'));
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/experiments/restore', async (req) => {
    await t(req).restoreExperiment(reqString(f(req), 'experiment_id'));
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/experiments/set-experiment-tag', async (req) => {
    const b = f(req);
    await t(req).setExperimentTag(reqString(b, 'experiment_id'), reqString(b, 'key'), optString(b, 'value') ?? '');
    return {};
  });
  mlflowRoute(app, ['POST', 'DELETE'], '/mlflow/experiments/delete-experiment-tag', async (req) => {
    const b = f(req);
    await t(req).deleteExperimentTag(reqString(b, 'experiment_id'), reqString(b, 'key'));
    return {};
  });
}
