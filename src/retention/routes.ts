/** /api/v1/retention and /api/v1/gc: parse, call the service, serialise. */
import type { FastifyInstance } from 'fastify';
import { retentionEndpoints as E } from '../api/retention-endpoints.js';
import { route, type ApiFor } from '../server/route.js';
import type { ApplyRetentionInput, CollectGarbageInput, RetentionApi } from './retention-api.js';

export function registerRetentionRoutes(app: FastifyInstance, api: ApiFor<RetentionApi>): void {
  // Editor on the experiment (its id is in the body), like deleting its runs one by one.
  route(app, E.applyRetention, async (req) => api(req).applyRetention(req.body as ApplyRetentionInput));
  // Blob-store wide, across every experiment: admin only.
  route(app, E.collectGarbage, async (req) => api(req).collectGarbage(req.body as CollectGarbageInput), { permission: { role: 'admin' } });
}
