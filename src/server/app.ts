import Fastify, { type FastifyInstance } from 'fastify';
import { buildOpenApi } from '../api/openapi.js';
import { API_PREFIX } from '../api/endpoints.js';
import { registerTrackingRoutes } from '../tracking/routes.js';
import { registerMlflowRoutes } from '../mlflow/routes.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { registerHpoRoutes } from '../hpo/routes.js';
import type { StudyApi } from '../hpo/study-api.js';
import { errorHandler } from './errors.js';
import { validatorCompiler } from './validators.js';

export interface AppDeps {
  readonly tracking: TrackingApi;
  /** The ask/tell API under /api/v1/studies; absent: those routes are not served. */
  readonly hpo?: StudyApi;
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
  registerMlflowRoutes(app, deps.tracking);
  if (deps.hpo) registerHpoRoutes(app, deps.hpo);
  return app;
}
