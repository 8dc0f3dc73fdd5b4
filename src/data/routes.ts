/** /api/v1 data routes: parse, call the DataApi, serialise. */
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { dataEndpoints as E } from '../api/data-endpoints.js';
import { route } from '../server/route.js';
import { actorOf } from '../server/request-actor.js';
import type { DataApi } from './data-api.js';
import type { ReportKind } from './dataset-reports.js';

const q = <T>(x: unknown) => x as T;
type Name = { name: string };
type Ref = Name & { ref: string };

export function registerDataRoutes(app: FastifyInstance, d: DataApi): void {
  route(app, E.createDataset, async (req) => {
    const b = q<{ name: string; description?: string | null }>(req.body);
    return { dataset: await d.createDataset(b.name, b.description ?? null, { actor: actorOf(req) }) };
  });
  route(app, E.listDatasets, async () => ({ items: await d.listDatasets() }));
  route(app, E.getDataset, async (req) => ({ dataset: await d.getDataset(q<Name>(req.params).name) }));
  route(app, E.addDatasetVersion, async (req) =>
    d.addVersion(q<Name>(req.params).name, q(req.body), { actor: actorOf(req) }));
  route(app, E.listDatasetVersions, async (req) => ({ items: await d.listVersions(q<Name>(req.params).name) }));
  route(app, E.getDatasetVersion, async (req) => {
    const p = q<Ref>(req.params);
    return { version: await d.getVersion(p.name, p.ref) };
  });
  route(app, E.tagDatasetVersion, async (req) => {
    const b = q<{ tag: string; version: string }>(req.body);
    return { version: await d.tagVersion(q<Name>(req.params).name, b.tag, b.version, { actor: actorOf(req) }) };
  });
  route(app, E.diffDatasetVersions, async (req) => {
    const x = q<{ from: string; to: string }>(req.query);
    return { diff: await d.diffVersions(q<Name>(req.params).name, x.from, x.to) };
  });
  route(app, E.getValidatedVersion, async (req) => ({ version: await d.validatedVersion(q<Name>(req.params).name) }));
  route(app, E.recordDatasetReport, async (req) => {
    const p = q<Ref & { kind: ReportKind }>(req.params);
    const b = q<{ passed: boolean | null; body: unknown }>(req.body);
    return { report: await d.recordReport(p.name, p.ref, p.kind, b.passed, b.body) };
  });
  route(app, E.getDatasetReport, async (req) => {
    const p = q<Ref & { kind: ReportKind }>(req.params);
    return { report: await d.getReport(p.name, p.ref, p.kind) };
  });

  route(app, E.missingBlobs, async (req) => ({ missing: await d.missingBlobs(q<{ digests: string[] }>(req.body).digests) }));
  route(app, E.putBlob, async (req) => {
    await d.putBlob(q<{ digest: string }>(req.params).digest, req.body as Readable, q<{ size?: number }>(req.query).size);
    return {};
  });
  route(app, E.getBlob, async (req, reply) => {
    const body = await d.openBlob(q<{ digest: string }>(req.params).digest);
    return reply.type('application/octet-stream').send(body);
  });
}
