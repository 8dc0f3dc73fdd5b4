/** The MLflow-compatible REST surface: tracking, logged models and proxied artifacts. */
import type { FastifyInstance } from 'fastify';
import type { MultipartUploads } from '../artifacts/index.js';
import type { LoggedModelApi } from '../tracking/logged-models/index.js';
import type { ApiFor } from '../server/route.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { registerArtifactRoutes } from './artifact-routes.js';
import { registerExperimentRoutes } from './experiment-routes.js';
import { registerLoggedModelRoutes } from './logged-model-routes.js';
import { registerRunRoutes } from './run-routes.js';

export interface MlflowDeps {
  readonly tracking: ApiFor<TrackingApi>;
  /** Without it, MLflow 3's logged-model routes are absent. */
  readonly loggedModels?: ApiFor<LoggedModelApi>;
  /** Without it, the proxied multipart-upload routes are absent (clients fall back to one PUT). */
  readonly multipart?: MultipartUploads;
}

export function registerMlflowRoutes(app: FastifyInstance, deps: MlflowDeps): void {
  registerExperimentRoutes(app, deps.tracking);
  registerRunRoutes(app, deps.tracking, deps.loggedModels);
  if (deps.loggedModels) registerLoggedModelRoutes(app, deps.loggedModels);
  registerArtifactRoutes(app, deps);
}
