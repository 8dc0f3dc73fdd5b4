/** /api/v1 registry routes: parse, call the service as the request's actor, serialise. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registryEndpoints as E } from '../api/registry-endpoints.js';
import { route } from '../server/route.js';
import { actorOf } from '../server/request-actor.js';
import { parseStage, parseTagFilters } from './domain.js';
import type { ActorScopedRegistry } from './registry-access.js';
import type { RegistryApi } from './registry-api.js';

type M = { name: string };
type V = { name: string; version: number };
const q = <T>(x: unknown) => x as T;

export function registerRegistryRoutes(app: FastifyInstance, registry: ActorScopedRegistry): void {
  const api = (req: FastifyRequest): RegistryApi => registry.as(actorOf(req));
  const name = (req: FastifyRequest) => q<M>(req.params).name;
  const ver = (req: FastifyRequest) => q<V>(req.params);

  route(app, E.createModel, async (req) => ({ model: await api(req).createModel(q(req.body)) }));
  route(app, E.searchModels, async (req) => {
    const { orderBy, tags, ...rest } = q<{ orderBy?: string; tags?: string }>(req.query);
    return api(req).searchModels({
      ...rest, orderBy: orderBy?.split(',').filter((s) => s.trim()), tags: tags === undefined ? undefined : parseTagFilters(tags),
    });
  });
  route(app, E.getModel, async (req) => ({ model: await api(req).getModel(name(req)) }));
  route(app, E.updateModel, async (req) => ({ model: await api(req).updateModel(name(req), q(req.body)) }));
  route(app, E.deleteModel, async (req) => (await api(req).deleteModel(name(req)), {}));
  route(app, E.setModelTag, async (req) => {
    const b = q<{ key: string; value: string }>(req.body);
    return (await api(req).setModelTag(name(req), b.key, b.value), {});
  });
  route(app, E.deleteModelTag, async (req) => (await api(req).deleteModelTag(name(req), q<{ key: string }>(req.query).key), {}));
  route(app, E.setAlias, async (req) => {
    const b = q<{ alias: string; version: number }>(req.body);
    return (await api(req).setAlias(name(req), b.alias, b.version), {});
  });
  route(app, E.getVersionByAlias, async (req) => {
    const p = q<{ name: string; alias: string }>(req.params);
    return { version: await api(req).getVersionByAlias(p.name, p.alias) };
  });
  route(app, E.deleteAlias, async (req) => {
    const p = q<{ name: string; alias: string }>(req.params);
    return (await api(req).deleteAlias(p.name, p.alias), {});
  });
  route(app, E.latestVersions, async (req) => {
    const stages = (q<{ stages?: string }>(req.query).stages ?? '').split(',').filter((s) => s.trim()).map(parseStage);
    return { items: await api(req).latestVersions(name(req), stages) };
  });
  route(app, E.rollback, async (req) => api(req).rollback(name(req), q<{ reason?: string }>(req.body ?? {}).reason));
  route(app, E.history, async (req) => ({ items: await api(req).history(name(req), q<{ version?: number }>(req.query).version) }));
  route(app, E.setPolicy, async (req) => ({ policy: await api(req).setPolicy(name(req), q<{ text: string }>(req.body).text) }));
  route(app, E.getPolicy, async (req) => ({ policy: await api(req).getPolicy(name(req), q<{ version?: number }>(req.query).version) }));
  route(app, E.listPolicies, async (req) => ({ items: await api(req).listPolicies(name(req)) }));

  route(app, E.createVersion, async (req) => ({ version: await api(req).createVersion(name(req), q(req.body)) }));
  route(app, E.searchVersions, async (req) => api(req).searchVersions(q(req.body)));
  route(app, E.getVersion, async (req) => ({ version: await api(req).getVersion(ver(req).name, ver(req).version) }));
  route(app, E.updateVersion, async (req) => ({ version: await api(req).updateVersion(ver(req).name, ver(req).version, q(req.body)) }));
  route(app, E.deleteVersion, async (req) => (await api(req).deleteVersion(ver(req).name, ver(req).version), {}));
  route(app, E.setVersionTag, async (req) => {
    const b = q<{ key: string; value: string }>(req.body);
    return (await api(req).setVersionTag(ver(req).name, ver(req).version, b.key, b.value), {});
  });
  route(app, E.deleteVersionTag, async (req) =>
    (await api(req).deleteVersionTag(ver(req).name, ver(req).version, q<{ key: string }>(req.query).key), {}));
  route(app, E.downloadUri, async (req) => ({ uri: await api(req).downloadUri(ver(req).name, ver(req).version) }));
  route(app, E.checkGates, async (req) => ({ report: await api(req).checkGates(ver(req).name, ver(req).version, q<{ to: never }>(req.body).to) }));
  route(app, E.transition, async (req) => api(req).transition(ver(req).name, ver(req).version, q(req.body)));
  route(app, E.decide, async (req) => ({ decision: await api(req).decide(ver(req).name, ver(req).version, q(req.body)) }));
  route(app, E.listDecisions, async (req) => ({ items: await api(req).listDecisions(ver(req).name, ver(req).version) }));
  route(app, E.lineage, async (req) => ({ lineage: await api(req).lineage(ver(req).name, ver(req).version) }));
  route(app, E.getCard, async (req) => ({ card: await api(req).getCard(ver(req).name, ver(req).version) }));
  route(app, E.setCard, async (req) => ({ card: await api(req).setCard(ver(req).name, ver(req).version, q(req.body)) }));
}
