/**
 * MLflow model-registry routes (`/mlflow/registered-models/...`,
 * `/mlflow/model-versions/...`): parse proto-JSON, call the registry as the
 * request's actor, translate back. Gates, roles and audit apply as for
 * Cairn's own registry routes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidArgument, NotFound } from '../core/errors.js';
import { MLFLOW_STAGES, STAGES, fromMlflowStage, type ModelVersion, type RegisteredModel } from '../registry/domain.js';
import type { RegistryApi } from '../registry/registry-api.js';
import type { ActorScopedRegistry } from '../registry/registry-service.js';
import { actorOf } from '../server/request-actor.js';
import type { ApiFor } from '../server/route.js';
import type { LoggedModelApi } from '../tracking/logged-models/index.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { mlflowRoute } from './errors.js';
import { fieldsOf, keyValues, optInt, optString, reqString, stringList, type Fields } from './fields.js';
import { modelArtifactUri } from './translate-models.js';
import {
  flag, hasTags, latestPerMlflowStage, mlflowStagesOf, modelIdOfSource, parseModelFilter, parseVersionFilter,
  sourceTarget, toMlflowModelVersion, toMlflowRegisteredModel, underRoot, versionOf,
} from './translate-registry.js';
import { runArtifactUri } from './translate.js';

export interface MlflowRegistryDeps {
  readonly registry: ActorScopedRegistry;
  readonly tracking: ApiFor<TrackingApi>;
  /** Resolves `models:/<model_id>` sources (MLflow 3's); without it they are returned as they are. */
  readonly loggedModels?: ApiFor<LoggedModelApi>;
}

/** MLflow's defaults: registered models by name, 100 a page; model versions 10,000 a page. */
const MODEL_ORDER = ['name ASC'];
const MODEL_PAGE = 100;
const VERSION_PAGE = 10_000;

export function registerMlflowRegistryRoutes(app: FastifyInstance, deps: MlflowRegistryDeps): void {
  const api = (req: FastifyRequest): RegistryApi => deps.registry.as(actorOf(req));
  const f = (req: FastifyRequest): Fields => fieldsOf(req.method, req.query, req.body);
  const nameVersion = (b: Fields): [string, number] => [reqString(b, 'name'), versionOf(b.version)];

  /** A registered model with MLflow's `latest_versions`: the newest version in each of its four stages. */
  const withLatest = async (r: RegistryApi, m: RegisteredModel) =>
    toMlflowRegisteredModel(m, latestPerMlflowStage(await r.latestVersions(m.name, STAGES), MLFLOW_STAGES));
  const oneModel = async (req: FastifyRequest, name: string) => {
    const r = api(req);
    return { registered_model: await withLatest(r, await r.getModel(name)) };
  };
  const oneVersion = (v: ModelVersion) => ({ model_version: toMlflowModelVersion(v) });

  /** Where the client downloads a version's files: `mlflow-artifacts:` URIs for run and logged-model sources. */
  const downloadUri = async (req: FastifyRequest, v: ModelVersion): Promise<string> => {
    const target = sourceTarget(v.source);
    if (target.kind === 'run') {
      const run = await deps.tracking(req).getRun(target.runId);
      return underRoot(runArtifactUri(run.experimentId, run.id), target.path);
    }
    if (target.kind === 'logged-model' && deps.loggedModels) {
      const m = await deps.loggedModels(req).getLoggedModel(target.modelId, { allowDeleted: true });
      return modelArtifactUri(m.experimentId, m.id);
    }
    return v.source;
  };

  mlflowRoute(app, ['POST'], '/mlflow/registered-models/create', async (req) => {
    const b = f(req);
    const r = api(req);
    const m = await r.createModel({ name: reqString(b, 'name'), description: optString(b, 'description') ?? null, tags: keyValues(b, 'tags') });
    return { registered_model: await withLatest(r, m) };
  });
  mlflowRoute(app, ['GET'], '/mlflow/registered-models/get', async (req) => oneModel(req, reqString(f(req), 'name')));
  mlflowRoute(app, ['POST'], '/mlflow/registered-models/rename', async (req) => {
    const b = f(req);
    const r = api(req);
    return { registered_model: await withLatest(r, await r.updateModel(reqString(b, 'name'), { newName: reqString(b, 'new_name') })) };
  });
  mlflowRoute(app, ['PATCH'], '/mlflow/registered-models/update', async (req) => {
    const b = f(req);
    const r = api(req);
    return { registered_model: await withLatest(r, await r.updateModel(reqString(b, 'name'), { description: optString(b, 'description') ?? null })) };
  });
  mlflowRoute(app, ['DELETE'], '/mlflow/registered-models/delete', async (req) => (await api(req).deleteModel(reqString(f(req), 'name')), {}));
  mlflowRoute(app, ['GET', 'POST'], '/mlflow/registered-models/search', async (req) => {
    const b = f(req);
    const r = api(req);
    const query = parseModelFilter(optString(b, 'filter'));
    if (query.kind === 'exact') {
      const m = await r.getModel(query.name).catch((e: unknown) => {
        if (e instanceof NotFound) return null;
        throw e;
      });
      return { registered_models: m && hasTags(m, query.tags) && !optString(b, 'page_token') ? [await withLatest(r, m)] : [] };
    }
    const orderBy = stringList(b, 'order_by');
    const page = await r.searchModels({
      ...query.input,
      orderBy: orderBy.length > 0 ? orderBy : MODEL_ORDER,
      maxResults: optInt(b, 'max_results') ?? MODEL_PAGE,
      pageToken: optString(b, 'page_token') || undefined,
    });
    return {
      registered_models: await Promise.all(page.items.map((m) => withLatest(r, m))),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  });
  mlflowRoute(app, ['GET', 'POST'], '/mlflow/registered-models/get-latest-versions', async (req) => {
    const b = f(req);
    const wanted = mlflowStagesOf(stringList(b, 'stages'));
    const newest = await api(req).latestVersions(reqString(b, 'name'), STAGES);
    return { model_versions: latestPerMlflowStage(newest, wanted).map(toMlflowModelVersion) };
  });
  mlflowRoute(app, ['POST'], '/mlflow/registered-models/set-tag', async (req) => {
    const b = f(req);
    await api(req).setModelTag(reqString(b, 'name'), reqString(b, 'key'), optString(b, 'value') ?? '');
    return {};
  });
  mlflowRoute(app, ['DELETE'], '/mlflow/registered-models/delete-tag', async (req) => {
    const b = f(req);
    await api(req).deleteModelTag(reqString(b, 'name'), reqString(b, 'key'));
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow/registered-models/alias', async (req) => {
    const b = f(req);
    await api(req).setAlias(reqString(b, 'name'), reqString(b, 'alias'), versionOf(b.version));
    return {};
  });
  mlflowRoute(app, ['DELETE'], '/mlflow/registered-models/alias', async (req) => {
    const b = f(req);
    await api(req).deleteAlias(reqString(b, 'name'), reqString(b, 'alias'));
    return {};
  });
  mlflowRoute(app, ['GET'], '/mlflow/registered-models/alias', async (req) => {
    const b = f(req);
    return oneVersion(await api(req).getVersionByAlias(reqString(b, 'name'), reqString(b, 'alias')));
  });

  mlflowRoute(app, ['POST'], '/mlflow/model-versions/create', async (req) => {
    const b = f(req);
    const source = reqString(b, 'source');
    const modelId = optString(b, 'model_id') || null;
    const sourceModel = modelIdOfSource(source);
    if (modelId !== null && modelId !== sourceModel) {
      throw new InvalidArgument(`'model_id' ${modelId} does not match source '${source}'; register a logged model with source 'models:/${modelId}'`);
    }
    let runId = optString(b, 'run_id') || null;
    if (sourceModel !== null && deps.loggedModels) {
      // The logged model must exist; its source run is the version's run when none is given.
      runId ??= (await deps.loggedModels(req).getLoggedModel(sourceModel)).sourceRunId;
    }
    const v = await api(req).createVersion(reqString(b, 'name'), {
      source, runId, description: optString(b, 'description') ?? null, tags: keyValues(b, 'tags'),
    });
    return oneVersion(v);
  });
  mlflowRoute(app, ['GET'], '/mlflow/model-versions/get', async (req) => oneVersion(await api(req).getVersion(...nameVersion(f(req)))));
  mlflowRoute(app, ['PATCH'], '/mlflow/model-versions/update', async (req) => {
    const b = f(req);
    return oneVersion(await api(req).updateVersion(...nameVersion(b), { description: optString(b, 'description') ?? null }));
  });
  mlflowRoute(app, ['DELETE'], '/mlflow/model-versions/delete', async (req) => (await api(req).deleteVersion(...nameVersion(f(req))), {}));
  mlflowRoute(app, ['GET', 'POST'], '/mlflow/model-versions/search', async (req) => {
    const b = f(req);
    if (stringList(b, 'order_by').length > 0) {
      throw new InvalidArgument('ordering model versions is not supported; they come by model name, then newest version first');
    }
    const page = await api(req).searchVersions({
      ...parseVersionFilter(optString(b, 'filter')),
      maxResults: optInt(b, 'max_results') ?? VERSION_PAGE,
      pageToken: optString(b, 'page_token') || undefined,
    });
    return {
      model_versions: page.items.map(toMlflowModelVersion),
      ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
    };
  });
  mlflowRoute(app, ['POST'], '/mlflow/model-versions/transition-stage', async (req) => {
    const b = f(req);
    const to = fromMlflowStage(reqString(b, 'stage'));
    const result = await api(req).transition(...nameVersion(b), { to, archiveExisting: flag(b.archive_existing_versions, 'archive_existing_versions') });
    return oneVersion(result.version);
  });
  mlflowRoute(app, ['GET'], '/mlflow/model-versions/get-download-uri', async (req) => {
    const v = await api(req).getVersion(...nameVersion(f(req)));
    return { artifact_uri: await downloadUri(req, v) };
  });
  mlflowRoute(app, ['POST'], '/mlflow/model-versions/set-tag', async (req) => {
    const b = f(req);
    await api(req).setVersionTag(...nameVersion(b), reqString(b, 'key'), optString(b, 'value') ?? '');
    return {};
  });
  mlflowRoute(app, ['DELETE'], '/mlflow/model-versions/delete-tag', async (req) => {
    const b = f(req);
    await api(req).deleteVersionTag(...nameVersion(b), reqString(b, 'key'));
    return {};
  });
}
