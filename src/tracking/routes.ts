/** /api/v1 tracking routes: parse, call the service, serialise. */
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { endpoints as E } from '../api/endpoints.js';
import { decodeNumber, decodeSeries, encodeRun, encodeSeries, type WireSeries } from '../api/wire.js';
import { route } from '../server/route.js';
import type { TrackingApi } from './tracking-api.js';
import type { Experiment } from './domain.js';

type Id = { id: string };
const q = <T>(x: unknown) => x as T;

export function registerTrackingRoutes(app: FastifyInstance, t: TrackingApi): void {
  const experiment = (x: Experiment) => ({ experiment: x });
  route(app, E.createExperiment, async (req) => experiment(await t.createExperiment(q(req.body))));
  route(app, E.listExperiments, async (req) => {
    const { orderBy, ...rest } = q<{ orderBy?: string }>(req.query);
    return t.listExperiments({ ...rest, orderBy: orderBy ? orderBy.split(',').map((x) => x.trim()) : undefined });
  });
  route(app, E.getExperiment, async (req) => experiment(await t.getExperiment(q<Id>(req.params).id)));
  route(app, E.getExperimentByName, async (req) => experiment(await t.getExperimentByName(q<{ name: string }>(req.params).name)));
  route(app, E.updateExperiment, async (req) => experiment(await t.updateExperiment(q<Id>(req.params).id, q(req.body))));
  route(app, E.deleteExperiment, async (req) => (await t.deleteExperiment(q<Id>(req.params).id), {}));
  route(app, E.restoreExperiment, async (req) => (await t.restoreExperiment(q<Id>(req.params).id), {}));
  route(app, E.setExperimentTag, async (req) => {
    const b = q<{ key: string; value: string }>(req.body);
    await t.setExperimentTag(q<Id>(req.params).id, b.key, b.value);
    return {};
  });
  route(app, E.deleteExperimentTag, async (req) => {
    await t.deleteExperimentTag(q<Id>(req.params).id, q<{ key: string }>(req.query).key);
    return {};
  });

  route(app, E.createRun, async (req) => ({ run: encodeRun(await t.createRun(q(req.body))) }));
  route(app, E.getRun, async (req) => ({ run: encodeRun(await t.getRun(q<Id>(req.params).id)) }));
  route(app, E.updateRun, async (req) => ({ run: encodeRun(await t.updateRun(q<Id>(req.params).id, q(req.body))) }));
  route(app, E.deleteRun, async (req) => (await t.deleteRun(q<Id>(req.params).id), {}));
  route(app, E.restoreRun, async (req) => (await t.restoreRun(q<Id>(req.params).id), {}));
  route(app, E.logBatch, async (req) => {
    const b = q<{ metrics?: { key: string; value: number | string; step?: number; timestamp?: number }[]; params?: Record<string, string>; tags?: Record<string, string>; idempotencyKey?: string }>(req.body);
    const metrics = b.metrics?.map((m) => ({ ...m, value: decodeNumber(m.value, `metric '${m.key}' value`) }));
    await t.logBatch(q<Id>(req.params).id, { metrics, params: b.params, tags: b.tags }, { idempotencyKey: b.idempotencyKey });
    return {};
  });
  route(app, E.logMetricSeries, async (req) => {
    const b = q<{ series: WireSeries[]; idempotencyKey?: string }>(req.body);
    await t.logMetricSeries(q<Id>(req.params).id, b.series.map(decodeSeries), { idempotencyKey: b.idempotencyKey });
    return {};
  });
  route(app, E.setTag, async (req) => {
    const b = q<{ key: string; value: string }>(req.body);
    await t.setTag(q<Id>(req.params).id, b.key, b.value);
    return {};
  });
  route(app, E.deleteTag, async (req) => {
    await t.deleteTag(q<Id>(req.params).id, q<{ key: string }>(req.query).key);
    return {};
  });
  route(app, E.logInputs, async (req) => (await t.logInputs(q<Id>(req.params).id, q<{ inputs: [] }>(req.body).inputs), {}));
  route(app, E.getMetricHistory, async (req) => {
    const { key, ...opts } = q<{ key: string; maxPoints?: number; xAxis?: 'step' | 'timestamp'; xMin?: number; xMax?: number }>(req.query);
    return { series: encodeSeries(await t.getMetricHistory(q<Id>(req.params).id, key, opts)) };
  });
  route(app, E.searchRuns, async (req) => {
    const page = await t.searchRuns(q(req.body));
    return { items: page.items.map(encodeRun), nextPageToken: page.nextPageToken };
  });

  route(app, E.logArtifact, async (req) => {
    const p = q<{ id: string; '*': string }>(req.params);
    return { artifact: await t.logArtifact(p.id, p['*'], req.body as Readable) };
  });
  route(app, E.listArtifacts, async (req) => ({
    items: await t.listArtifacts(q<Id>(req.params).id, q<{ path?: string }>(req.query).path ?? ''),
  }));
  route(app, E.deleteArtifact, async (req) => {
    const p = q<{ id: string; '*': string }>(req.params);
    await t.deleteArtifact(p.id, p['*']);
    return {};
  });
  route(app, E.getArtifact, async (req, reply) => {
    const p = q<{ id: string; '*': string }>(req.params);
    const body = await t.openArtifact(p.id, p['*']);
    return reply.type('application/octet-stream').send(body);
  });
}
