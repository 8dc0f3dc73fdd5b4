import Fastify, { type FastifyInstance } from 'fastify';
import { buildOpenApi } from '../api/openapi.js';
import { API_PREFIX } from '../api/endpoints.js';
import { registerTrackingRoutes } from '../tracking/routes.js';
import { registerMlflowRoutes } from '../mlflow/routes.js';
import { registerLoggedModelRoutes } from '../tracking/logged-models/routes.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { registerRegistryRoutes } from '../registry/routes.js';
import type { ActorScopedRegistry } from '../registry/registry-service.js';
import { AuditedTrackingApi } from '../audit/audited-tracking-api.js';
import { AuditedLoggedModelApi } from '../audit/audited-logged-model-api.js';
import { registerAuditRoutes } from '../audit/routes.js';
import { registerAuthRoutes } from '../auth/routes.js';
import { installAuthGuard, installRouteTable } from '../auth/route-guard.js';
import { registerWebhookRoutes } from '../webhooks/routes.js';
import { NotFound } from '../core/errors.js';
import type { LoggedModelApi } from '../tracking/logged-models/index.js';
import type { MultipartUploads } from '../artifacts/index.js';
import { registerDataRoutes } from '../data/routes.js';
import type { DataApi } from '../data/data-api.js';
import { registerHpoRoutes } from '../hpo/routes.js';
import type { StudyService } from '../hpo/study-service.js';
import { registerRetentionRoutes } from '../retention/routes.js';
import type { RetentionService } from '../retention/retention-service.js';
import { errorHandler } from './errors.js';
import type { Governance } from './governance.js';
import { actorOf } from './request-actor.js';
import type { ApiFor } from './route.js';
import { validatorCompiler } from './validators.js';
import { registerWebUi } from './web-ui.js';

export interface AppDeps {
  readonly tracking: TrackingApi;
  /** The model registry; its routes are absent when not given (tests of other slices). */
  readonly registry?: ActorScopedRegistry;
  /** Logged models (MLflow 3's); without it their /api/v1 and MLflow routes are absent. */
  readonly loggedModels?: LoggedModelApi;
  /** Staged multipart uploads of proxied artifacts; without it the MLflow `mpu` routes are absent. */
  readonly multipart?: MultipartUploads;
  /** Datasets, versions and the shared blob endpoints; absent, those routes are not served. */
  readonly data?: DataApi;
  /** The ask/tell API under /api/v1/studies; absent: those routes are not served. */
  readonly hpo?: StudyService;
  /** Retention and gc (/api/v1/retention, /api/v1/gc); absent: not served. */
  readonly retention?: RetentionService;
  readonly version: string;
  /** Audit, users, roles and webhooks; without it nothing is audited and auth stays off. */
  readonly governance?: Governance;
  /** The built web UI (dist/web); absent, `/` serves nothing (API-only tests). */
  readonly webRoot?: string;
  /** Fastify logger setting; false in tests. */
  readonly logger?: boolean | object;
}

const RUN_MEMO_SIZE = 10_000;

/** A run's experiment, remembered: a run never moves to another experiment. */
function memoRunExperiment(tracking: TrackingApi): (runId: string) => Promise<string | null> {
  const memo = new Map<string, string>();
  return async (id) => {
    const hit = memo.get(id);
    if (hit !== undefined) return hit;
    try {
      const exp = (await tracking.getRun(id)).experimentId;
      if (memo.size >= RUN_MEMO_SIZE) memo.clear();
      memo.set(id, exp);
      return exp;
    } catch (e) {
      if (e instanceof NotFound) return null;
      throw e;
    }
  };
}

/**
 * Wires every slice's routes onto one Fastify instance. No I/O happens here:
 * stores and artifact backends arrive ready-made. `app.cairnRoutes` lists
 * every route with the permission it is checked against.
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
  installRouteTable(app);
  if (deps.webRoot !== undefined) registerWebUi(app, { root: deps.webRoot });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error_code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}; see ${API_PREFIX}/openapi.json` });
  });
  // Artifact uploads stream straight through to the blob store.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  const g = deps.governance;
  if (g?.authEnabled) {
    installAuthGuard(app, {
      authenticate: (h) => g.auth.authenticate(h),
      roles: g.roles,
      runExperiment: memoRunExperiment(deps.tracking),
    });
  }
  const tracking: ApiFor<TrackingApi> = g
    ? (req) => new AuditedTrackingApi(deps.tracking, g.audit, actorOf(req))
    : () => deps.tracking;
  const lm = deps.loggedModels;
  const loggedModels: ApiFor<LoggedModelApi> | undefined = lm && (g
    ? (req) => new AuditedLoggedModelApi(lm, g.audit, actorOf(req))
    : () => lm);

  const openapi = buildOpenApi(deps.version);
  app.get(`${API_PREFIX}/openapi.json`, async () => openapi);
  app.get(`${API_PREFIX}/health`, async () => ({ status: 'ok', version: deps.version }));
  registerTrackingRoutes(app, tracking);
  if (loggedModels) registerLoggedModelRoutes(app, loggedModels);
  registerMlflowRoutes(app, { tracking, loggedModels, multipart: deps.multipart, registry: deps.registry });
  if (deps.registry) registerRegistryRoutes(app, deps.registry);
  if (g) {
    registerAuthRoutes(app, g.auth);
    registerWebhookRoutes(app, g.webhooks);
    registerAuditRoutes(app, g.audit);
  }
  if (deps.data) registerDataRoutes(app, deps.data);
  const hpo = deps.hpo;
  if (hpo) registerHpoRoutes(app, g ? (req) => hpo.as(tracking(req), actorOf(req), g.audit) : () => hpo);
  const retention = deps.retention;
  if (retention) registerRetentionRoutes(app, (req) => retention.as(tracking(req), actorOf(req)));
  return app;
}
