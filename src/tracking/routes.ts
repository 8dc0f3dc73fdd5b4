/** /api/v1 tracking routes: parse, call the service, serialise. */
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { endpoints as E } from '../api/endpoints.js';
import { decodeNumber, decodeSeries, encodeRun, encodeSeries, type WireSeries } from '../api/wire.js';
import { route } from '../server/route.js';
import type { ApiFor } from '../server/route.js';
import type { TrackingApi } from './tracking-api.js';
import type { Experiment } from './domain.js';

type Id = { id: string };
const q = <T>(x: unknown) => x as T;

export function registerTrackingRoutes(app: FastifyInstance, t: ApiFor<TrackingApi>): void {
  const experiment = (x: Experiment) => ({ experiment: x });
  route(app, E.createExperiment, async (req) => experiment(await t(req).createExperiment(q(req.body))));
  route(app, E.listExperiments, async (req) => {
    const { orderBy, ...rest } = q<{ orderBy?: string }>(req.query);
    return t(req).listExperiments({ ...rest, orderBy: orderBy ? orderBy.split(',').map((x) => x.trim()) : undefined });
  });
  route(app, E.experimentStats, async (req) => ({ items: await t(req).experimentStats(q<{ ids: string[] }>(req.body).ids) }));
  route(app, E.getExperiment, async (req) => experiment(await t(req).getExperiment(q<Id>(req.params).id)));
  route(app, E.getExperimentByName, async (req) => experiment(await t(req).getExperimentByName(q<{ name: string }>(req.params).name)));
  route(app, E.updateExperiment, async (req) => experiment(await t(req).updateExperiment(q<Id>(req.params).id, q(req.body))));
  route(app, E.deleteExperiment, async (req) => (await t(req).deleteExperiment(q<Id>(req.params).id), {}));
  route(app, E.restoreExperiment, async (req) => (await t(req).restoreExperiment(q<Id>(req.params).id), {}));
  route(app, E.setExperimentTag, async (req) => {
    const b = q<{ key: string; value: string }>(req.body);
    await t(req).setExperimentTag(q<Id>(req.params).id, b.key, b.value);
    return {};
  });
  route(app, E.deleteExperimentTag, async (req) => {
    await t(req).deleteExperimentTag(q<Id>(req.params).id, q<{ key: string }>(req.query).key);
    return {};
  });

  route(app, E.createRun, async (req) => ({ run: encodeRun(await t(req).createRun(q(req.body))) }));
  route(app, E.getRun, async (req) => ({ run: encodeRun(await t(req).getRun(q<Id>(req.params).id)) }));
  route(app, E.updateRun, async (req) => ({ run: encodeRun(await t(req).updateRun(q<Id>(req.params).id, q(req.body))) }));
  route(app, E.deleteRun, async (req) => (await t(req).deleteRun(q<Id>(req.params).id), {}));
  route(app, E.restoreRun, async (req) => (await t(req).restoreRun(q<Id>(req.params).id), {}));
  route(app, E.logBatch, async (req) => {
    const b = q<{ metrics?: { key: string; value: number | string; step?: number; timestamp?: number }[]; params?: Record<string, string>; tags?: Record<string, string>; idempotencyKey?: string }>(req.body);
    const metrics = b.metrics?.map((m) => ({ ...m, value: decodeNumber(m.value, `metric '${m.key}' value`) }));
    await t(req).logBatch(q<Id>(req.params).id, { metrics, params: b.params, tags: b.tags }, { idempotencyKey: b.idempotencyKey });
    return {};
  });
  route(app, E.logMetricSeries, async (req) => {
    const b = q<{ series: WireSeries[]; idempotencyKey?: string }>(req.body);
    await t(req).logMetricSeries(q<Id>(req.params).id, b.series.map(decodeSeries), { idempotencyKey: b.idempotencyKey });
    return {};
  });
  route(app, E.setTag, async (req) => {
    const b = q<{ key: string; value: string }>(req.body);
    await t(req).setTag(q<Id>(req.params).id, b.key, b.value);
    return {};
  });
  route(app, E.deleteTag, async (req) => {
    await t(req).deleteTag(q<Id>(req.params).id, q<{ key: string }>(req.query).key);
    return {};
  });
  route(app, E.logInputs, async (req) => (await t(req).logInputs(q<Id>(req.params).id, q<{ inputs: [] }>(req.body).inputs), {}));
  route(app, E.getMetricHistory, async (req) => {
    const { key, ...opts } = q<{ key: string; maxPoints?: number; xAxis?: 'step' | 'timestamp'; xMin?: number; xMax?: number }>(req.query);
    return { series: encodeSeries(await t(req).getMetricHistory(q<Id>(req.params).id, key, opts)) };
  });
  route(app, E.searchRuns, async (req) => {
    const page = await t(req).searchRuns(q(req.body));
    return { items: page.items.map(encodeRun), nextPageToken: page.nextPageToken };
  });

  route(app, E.logArtifact, async (req) => {
    const p = q<{ id: string; '*': string }>(req.params);
    return { artifact: await t(req).logArtifact(p.id, p['*'], req.body as Readable) };
  });
  route(app, E.listArtifacts, async (req) => ({
    items: await t(req).listArtifacts(q<Id>(req.params).id, q<{ path?: string }>(req.query).path ?? ''),
  }));
  route(app, E.deleteArtifact, async (req) => {
    const p = q<{ id: string; '*': string }>(req.params);
    await t(req).deleteArtifact(p.id, p['*']);
    return {};
  });
  route(app, E.getArtifact, async (req, reply) => {
    const p = q<{ id: string; '*': string }>(req.params);
    const body = await t(req).openArtifact(p.id, p['*']);
    return reply.type('application/octet-stream').send(body);
  });
}
