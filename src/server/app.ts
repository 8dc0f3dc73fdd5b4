import Fastify, { type FastifyInstance } from 'fastify';
import { buildOpenApi } from '../api/openapi.js';
import { API_PREFIX } from '../api/endpoints.js';
import { registerTrackingRoutes } from '../tracking/routes.js';
import { registerMlflowRoutes } from '../mlflow/routes.js';
import { registerLoggedModelRoutes } from '../tracking/logged-models/routes.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import type { LoggedModelApi } from '../tracking/logged-models/index.js';
import type { MultipartUploads } from '../artifacts/index.js';
import { errorHandler } from './errors.js';
import { validatorCompiler } from './validators.js';

export interface AppDeps {
  readonly tracking: TrackingApi;
  /** Logged models (MLflow 3's); without it their /api/v1 and MLflow routes are absent. */
  readonly loggedModels?: LoggedModelApi;
  /** Staged multipart uploads of proxied artifacts; without it the MLflow `mpu` routes are absent. */
  readonly multipart?: MultipartUploads;
  readonly version: string;
  /** Fastify logger setting; false in tests. */
  readonly logger?: boolean | object;
}

/**
 * Wires every slice's routes onto one Fastify instance. No I/O happens here:
 * stores and artifact backends arrive ready-made.
 */
export function createApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 8 * 1024 * 1024,
    // Keys in the request log never include secrets: Authorization is redacted.
    ...(deps.logger ? { logger: { ...(typeof deps.logger === 'object' ? deps.logger : {}), redact: ['req.headers.authorization'] } } : {}),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error_code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}; see ${API_PREFIX}/openapi.json` });
  });
  // Artifact uploads stream straight through to the blob store.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  const openapi = buildOpenApi(deps.version);
  app.get(`${API_PREFIX}/openapi.json`, async () => openapi);
  app.get(`${API_PREFIX}/health`, async () => ({ status: 'ok', version: deps.version }));
  registerTrackingRoutes(app, deps.tracking);
  if (deps.loggedModels) registerLoggedModelRoutes(app, deps.loggedModels);
  registerMlflowRoutes(app, { tracking: deps.tracking, loggedModels: deps.loggedModels, multipart: deps.multipart });
  return app;
}
