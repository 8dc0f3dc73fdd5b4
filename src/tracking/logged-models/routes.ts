/** /api/v1 logged-model routes: parse, call the service, serialise. */
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { endpoints as E } from '../../api/endpoints.js';
import { decodeNumber, encodeLoggedModel } from '../../api/wire.js';
import { route, type ApiFor } from '../../server/route.js';
import type { LoggedModelApi } from './logged-model-api.js';
import type { LoggedModel, LoggedModelMetric, LoggedModelStatus, RunModelDirection } from './logged-model.js';

type Id = { id: string };
type Wild = { id: string; '*': string };
const q = <T>(x: unknown) => x as T;

export function registerLoggedModelRoutes(app: FastifyInstance, m: ApiFor<LoggedModelApi>): void {
  const model = (x: LoggedModel) => ({ model: encodeLoggedModel(x) });
  route(app, E.createLoggedModel, async (req) => model(await m(req).createLoggedModel(q(req.body))));
  route(app, E.searchLoggedModels, async (req) => {
    const page = await m(req).searchLoggedModels(q(req.body));
    return { items: page.items.map(encodeLoggedModel), nextPageToken: page.nextPageToken };
  });
  route(app, E.getLoggedModel, async (req) =>
    model(await m(req).getLoggedModel(q<Id>(req.params).id, { allowDeleted: q<{ allowDeleted?: boolean }>(req.query).allowDeleted })));
  route(app, E.finalizeLoggedModel, async (req) => {
    const b = q<{ status: LoggedModelStatus; message?: string | null }>(req.body);
    return model(await m(req).finalizeLoggedModel(q<Id>(req.params).id, b.status, b.message ?? null));
  });
  route(app, E.deleteLoggedModel, async (req) => (await m(req).deleteLoggedModel(q<Id>(req.params).id), {}));
  route(app, E.setLoggedModelTags, async (req) =>
    (await m(req).setLoggedModelTags(q<Id>(req.params).id, q<{ tags: Record<string, string> }>(req.body).tags), {}));
  route(app, E.deleteLoggedModelTag, async (req) =>
    (await m(req).deleteLoggedModelTag(q<Id>(req.params).id, q<{ key: string }>(req.query).key), {}));
  route(app, E.logLoggedModelParams, async (req) =>
    (await m(req).logLoggedModelParams(q<Id>(req.params).id, q<{ params: Record<string, string> }>(req.body).params), {}));
  route(app, E.logLoggedModelMetrics, async (req) => {
    const metrics = q<{ metrics: (Omit<LoggedModelMetric, 'value'> & { value: number | string })[] }>(req.body).metrics
      .map((x) => ({ ...x, value: decodeNumber(x.value, `metric '${x.key}' value`) }));
    await m(req).logLoggedModelMetrics(q<Id>(req.params).id, metrics);
    return {};
  });
  route(app, E.linkRunModels, async (req) => {
    const b = q<{ direction: RunModelDirection; models: { modelId: string; step: number }[] }>(req.body);
    await m(req).linkRunModels(q<Id>(req.params).id, b.direction, b.models);
    return {};
  });
  route(app, E.runModelLinks, async (req) => ({ items: await m(req).runModelLinks(q<Id>(req.params).id) }));

  route(app, E.logModelArtifact, async (req) => {
    const p = q<Wild>(req.params);
    return { artifact: await m(req).logModelArtifact(p.id, p['*'], req.body as Readable) };
  });
  route(app, E.listModelArtifacts, async (req) => ({
    items: await m(req).listModelArtifacts(q<Id>(req.params).id, q<{ path?: string }>(req.query).path ?? ''),
  }));
  route(app, E.getModelArtifact, async (req, reply) => {
    const p = q<Wild>(req.params);
    const body = await m(req).openModelArtifact(p.id, p['*']);
    return reply.type('application/octet-stream').send(body);
  });
  route(app, E.deleteModelArtifact, async (req) => {
    const p = q<Wild>(req.params);
    await m(req).deleteModelArtifact(p.id, p['*']);
    return {};
  });
}
