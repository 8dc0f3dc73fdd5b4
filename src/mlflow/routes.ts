/** The MLflow-compatible REST surface: tracking routes and proxied artifacts over TrackingApi. */
import type { FastifyInstance } from 'fastify';
import type { ApiFor } from '../server/route.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { registerArtifactRoutes } from './artifact-routes.js';
import { registerExperimentRoutes } from './experiment-routes.js';
import { registerRunRoutes } from './run-routes.js';

export function registerMlflowRoutes(app: FastifyInstance, tracking: ApiFor<TrackingApi>): void {
  registerExperimentRoutes(app, tracking);
  registerRunRoutes(app, tracking);
  registerArtifactRoutes(app, tracking);
}
