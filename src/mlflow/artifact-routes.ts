/**
 * MLflow's proxied artifact routes (`/api/2.0/mlflow-artifacts/...`). A
 * proxied path `<experiment_id>/<run_id>/artifacts/<rel>` is the Cairn run's
 * logical artifact `<rel>`; `<experiment_id>/models/<model_id>/artifacts/<rel>`
 * is a logged model's. Bytes go through TrackingApi or LoggedModelApi.
 * Multipart uploads stage parts through `MultipartUploads` and hand the whole
 * file to the same owner on completion.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { InvalidArgument, NotFound } from '../core/errors.js';
import type { ApiFor } from '../server/route.js';
import type { MultipartUploads } from '../artifacts/index.js';
import type { ArtifactEntry } from '../tracking/domain.js';
import type { LoggedModelApi } from '../tracking/logged-models/index.js';
import type { ByteSource, TrackingApi } from '../tracking/tracking-api.js';
import { MLFLOW_PREFIXES, mlflowRoute } from './errors.js';
import { fieldsOf, objectList, optInt, optString, reqString } from './fields.js';
import { toMlflowFileInfo } from './translate.js';

export interface ProxiedPath {
  readonly experimentId: string;
  /** A run's artifacts, or a logged model's. */
  readonly owner: 'run' | 'model';
  readonly ownerId: string;
  /** Path inside the owner's artifacts; '' for the root. */
  readonly rel: string;
}

const SHAPE = "'<experiment_id>/<run_id>/artifacts/<path>' or '<experiment_id>/models/<model_id>/artifacts/<path>'";

/** Splits a proxied path into its owner and the path inside its artifacts; anything else is refused. */
export function parseProxiedPath(path: string): ProxiedPath {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.includes('..')) throw new InvalidArgument(`artifact path '${path}' must not contain '..'`);
  const [experimentId, second, third, fourth, ...rest] = parts;
  if (experimentId && second === 'models' && third && fourth === 'artifacts') {
    return { experimentId, owner: 'model', ownerId: third, rel: rest.join('/') };
  }
  if (!experimentId || !second || third !== 'artifacts') throw new InvalidArgument(`artifact path '${path}' must look like ${SHAPE}`);
  return { experimentId, owner: 'run', ownerId: second, rel: [fourth, ...rest].filter((x) => x !== undefined).join('/') };
}

/** What the routes do with one owner's artifacts. */
interface ArtifactOwner {
  experimentOf(id: string): Promise<string>;
  put(id: string, rel: string, body: ByteSource): Promise<unknown>;
  open(id: string, rel: string): Promise<AsyncIterable<Uint8Array>>;
  list(id: string, rel: string): Promise<ArtifactEntry[]>;
  remove(id: string, rel: string): Promise<void>;
}

const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const wild = (req: FastifyRequest): string => (req.params as { '*': string })['*'];

export interface ArtifactRouteDeps {
  readonly tracking: ApiFor<TrackingApi>;
  readonly loggedModels?: ApiFor<LoggedModelApi>;
  readonly multipart?: MultipartUploads;
}

export function registerArtifactRoutes(app: FastifyInstance, deps: ArtifactRouteDeps): void {
  /** A request's runs, through the tracking API as that request's caller. */
  const runsFor = (req: FastifyRequest): ArtifactOwner => {
    const t = deps.tracking(req);
    return {
      experimentOf: async (id) => (await t.getRun(id)).experimentId,
      put: (id, rel, body) => t.logArtifact(id, rel, body),
      open: (id, rel) => t.openArtifact(id, rel),
      list: (id, rel) => t.listArtifacts(id, rel),
      remove: (id, rel) => t.deleteArtifact(id, rel),
    };
  };
  /** A request's logged models, likewise. */
  const modelsFor = (req: FastifyRequest): ArtifactOwner | undefined => {
    const lm = deps.loggedModels?.(req);
    return lm && {
    experimentOf: async (id) => (await lm.getLoggedModel(id, { allowDeleted: true })).experimentId,
    put: (id, rel, body) => lm.logModelArtifact(id, rel, body),
    open: (id, rel) => lm.openModelArtifact(id, rel),
    list: (id, rel) => lm.listModelArtifacts(id, rel),
    remove: (id, rel) => lm.deleteModelArtifact(id, rel),
    };
  };

  /** The owner behind a proxied path, checked to belong to the path's experiment. */
  async function resolve(req: FastifyRequest, path: string): Promise<{ p: ProxiedPath; owner: ArtifactOwner }> {
    const p = parseProxiedPath(path);
    const owner = p.owner === 'run' ? runsFor(req) : modelsFor(req);
    if (!owner) throw new NotFound(`logged model '${p.ownerId}' does not exist: this server does not serve logged models`);
    if ((await owner.experimentOf(p.ownerId)) !== p.experimentId) {
      throw new NotFound(`${p.owner} '${p.ownerId}' is not in experiment '${p.experimentId}'`);
    }
    return { p, owner };
  }
  const fileOf = (p: ProxiedPath): string => {
    if (p.rel === '') throw new InvalidArgument("give a file path under the artifacts to upload to");
    return p.rel;
  };

  // Uploads carry any content type (a .json file arrives as application/json, parts none at all): take every body as a stream.
  void app.register(async (sub) => {
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    mlflowRoute(sub, ['PUT'], '/mlflow-artifacts/artifacts/*', async (req) => {
      const { p, owner } = await resolve(req, wild(req));
      await owner.put(p.ownerId, fileOf(p), req.body as Readable);
      return {};
    });
    const mpu = deps.multipart;
    if (mpu) {
      // Cairn's own part-upload URL, handed out as the "presigned" URL of each part.
      for (const prefix of MLFLOW_PREFIXES) {
        sub.put(`${prefix}/mlflow-artifacts/mpu/part/:upload_id/:part_number`, async (req, reply) => {
          const { upload_id: id, part_number: n } = req.params as { upload_id: string; part_number: string };
          try {
            const blob = await mpu.putPart(id, Number(n), req.body as Readable);
            return await reply.header('etag', `"${blob.digest}"`).send({});
          } catch (err) {
            (req.body as Readable).resume();
            throw err;
          }
        });
      }
    }
  });
  mlflowRoute(app, ['GET'], '/mlflow-artifacts/artifacts/*', async (req, reply) => {
    const { p, owner } = await resolve(req, wild(req));
    const body = await owner.open(p.ownerId, p.rel);
    return reply.type('application/octet-stream').send(body);
  });
  mlflowRoute(app, ['GET'], '/mlflow-artifacts/artifacts', async (req) => {
    const { p, owner } = await resolve(req, optString(fieldsOf('GET', req.query, undefined), 'path') ?? '');
    const entries = await owner.list(p.ownerId, p.rel);
    return { files: entries.map((e) => toMlflowFileInfo(basename(e.path), e.isDir, e.size)) };
  });
  // Removes the owner's entries; content-addressed bytes other artifacts share stay.
  mlflowRoute(app, ['DELETE'], '/mlflow-artifacts/artifacts/*', async (req) => {
    const { p, owner } = await resolve(req, wild(req));
    await owner.remove(p.ownerId, p.rel);
    return {};
  });

  const mpu = deps.multipart;
  if (!mpu) return;
  /** The artifact a multipart request targets: the proxied folder plus the file's base name. */
  const targetOf = (req: FastifyRequest) => {
    const b = fieldsOf(req.method, req.query, req.body);
    const file = basename(reqString(b, 'path').replaceAll('\\', '/'));
    if (!file || file === '..') throw new InvalidArgument("'path' must name a file");
    const dir = wild(req).replace(/\/+$/, '');
    return { b, target: `${dir}/${file}` };
  };
  mlflowRoute(app, ['POST'], '/mlflow-artifacts/mpu/create/*', async (req) => {
    const { b, target } = targetOf(req);
    const { p } = await resolve(req, target);
    fileOf(p);
    const numParts = optInt(b, 'num_parts') ?? 1;
    const uploadId = await mpu.create(target, numParts);
    const origin = `${req.protocol}://${req.headers.host ?? req.hostname}`;
    const prefix = req.url.startsWith('/ajax-api') ? '/ajax-api/2.0' : '/api/2.0';
    const credentials = Array.from({ length: numParts }, (_, i) => ({
      url: `${origin}${prefix}/mlflow-artifacts/mpu/part/${uploadId}/${i + 1}`, part_number: i + 1, headers: {},
    }));
    return { upload_id: uploadId, credentials };
  });
  mlflowRoute(app, ['POST'], '/mlflow-artifacts/mpu/complete/*', async (req) => {
    const { b, target } = targetOf(req);
    const { p, owner } = await resolve(req, target);
    const uploadId = reqString(b, 'upload_id');
    const parts = objectList(b, 'parts').map((x) => ({ partNumber: optInt(x, 'part_number') ?? 0, etag: optString(x, 'etag') ?? '' }));
    const body = await mpu.assemble(uploadId, target, parts);
    await owner.put(p.ownerId, fileOf(p), body);
    await mpu.finish(uploadId);
    return {};
  });
  mlflowRoute(app, ['POST'], '/mlflow-artifacts/mpu/abort/*', async (req) => {
    const { b, target } = targetOf(req);
    await mpu.abort(reqString(b, 'upload_id'), target);
    return {};
  });
}
