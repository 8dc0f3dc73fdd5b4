/**
 * MLflow's proxied artifact routes (`/api/2.0/mlflow-artifacts/artifacts/...`).
 * A proxied path `<experiment_id>/<run_id>/artifacts/<rel>` is the Cairn
 * run's logical artifact `<rel>`; bytes go through TrackingApi.
 */
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { InvalidArgument, NotFound } from '../core/errors.js';
import type { ApiFor } from '../server/route.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { mlflowRoute } from './errors.js';
import { fieldsOf, optString } from './fields.js';
import { toMlflowFileInfo } from './translate.js';

export interface ProxiedPath {
  readonly experimentId: string;
  readonly runId: string;
  /** Path inside the run's artifacts; '' for the root. */
  readonly rel: string;
}

/** Splits `<experiment_id>/<run_id>/artifacts[/<rel>]`; anything else is not a Cairn run's artifact. */
export function parseProxiedPath(path: string): ProxiedPath {
  const parts = path.split('/').filter((p) => p !== '');
  const [experimentId, runId, artifacts, ...rest] = parts;
  if (!experimentId || !runId || artifacts !== 'artifacts') {
    throw new InvalidArgument(`artifact path '${path}' must look like '<experiment_id>/<run_id>/artifacts/<path>'`);
  }
  if (rest.includes('..')) throw new InvalidArgument(`artifact path '${path}' must not contain '..'`);
  return { experimentId, runId, rel: rest.join('/') };
}

const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

export function registerArtifactRoutes(app: FastifyInstance, t: ApiFor<TrackingApi>): void {
  /** The run behind a proxied path, checked to belong to the path's experiment. */
  async function resolve(api: TrackingApi, path: string): Promise<ProxiedPath> {
    const p = parseProxiedPath(path);
    const run = await api.getRun(p.runId);
    if (run.experimentId !== p.experimentId) {
      throw new NotFound(`run '${p.runId}' is not in experiment '${p.experimentId}'`);
    }
    return p;
  }
  const wild = (params: unknown): string => (params as { '*': string })['*'];

  // Uploads carry any content type (a .json file arrives as application/json): take every body as a stream.
  void app.register(async (sub) => {
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    mlflowRoute(sub, ['PUT'], '/mlflow-artifacts/artifacts/*', async (req) => {
      const p = await resolve(t(req), wild(req.params));
      if (p.rel === '') throw new InvalidArgument('give a file path under the run\'s artifacts to upload to');
      await t(req).logArtifact(p.runId, p.rel, req.body as Readable);
      return {};
    });
  });
  mlflowRoute(app, ['GET'], '/mlflow-artifacts/artifacts/*', async (req, reply) => {
    const p = await resolve(t(req), wild(req.params));
    const body = await t(req).openArtifact(p.runId, p.rel);
    return reply.type('application/octet-stream').send(body);
  });
  mlflowRoute(app, ['GET'], '/mlflow-artifacts/artifacts', async (req) => {
    const path = optString(fieldsOf('GET', req.query, undefined), 'path') ?? '';
    const p = await resolve(t(req), path);
    const entries = await t(req).listArtifacts(p.runId, p.rel);
    return { files: entries.map((e) => toMlflowFileInfo(basename(e.path), e.isDir, e.size)) };
  });
  mlflowRoute(app, ['DELETE'], '/mlflow-artifacts/artifacts/*', async (_req, reply) =>
    reply.status(501).send({
      error_code: 'NOT_IMPLEMENTED',
      message: 'deleting artifacts is not supported: Cairn run artifacts are immutable once logged',
    }));
}
