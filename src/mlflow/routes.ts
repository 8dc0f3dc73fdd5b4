/** The MLflow-compatible REST surface: tracking, logged models, the model registry and proxied artifacts. */
import type { FastifyInstance } from 'fastify';
import type { MultipartUploads } from '../artifacts/index.js';
import type { ActorScopedRegistry } from '../registry/registry-service.js';
import type { LoggedModelApi } from '../tracking/logged-models/index.js';
import type { ApiFor } from '../server/route.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { registerArtifactRoutes } from './artifact-routes.js';
import { registerExperimentRoutes } from './experiment-routes.js';
import { registerLoggedModelRoutes } from './logged-model-routes.js';
import { registerMlflowRegistryRoutes } from './registry-routes.js';
import { registerRunRoutes } from './run-routes.js';

export interface MlflowDeps {
  readonly tracking: ApiFor<TrackingApi>;
  /** Without it, MLflow 3's logged-model routes are absent. */
  readonly loggedModels?: ApiFor<LoggedModelApi>;
  /** Without it, the proxied multipart-upload routes are absent (clients fall back to one PUT). */
  readonly multipart?: MultipartUploads;
  /** Without it, the model-registry routes are absent. */
  readonly registry?: ActorScopedRegistry;
}

export function registerMlflowRoutes(app: FastifyInstance, deps: MlflowDeps): void {
  registerExperimentRoutes(app, deps.tracking);
  registerRunRoutes(app, deps.tracking, deps.loggedModels);
  if (deps.loggedModels) registerLoggedModelRoutes(app, deps.loggedModels);
  if (deps.registry) registerMlflowRegistryRoutes(app, { registry: deps.registry, tracking: deps.tracking, loggedModels: deps.loggedModels });
  registerArtifactRoutes(app, deps);
}
