import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, type Endpoint } from '../api/endpoints.js';

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Registers one route of the table with its request schemas for validation. */
export function route(app: FastifyInstance, ep: Endpoint, handler: Handler): void {
  app.route({
    method: ep.method,
    url: API_PREFIX + ep.path,
    schema: {
      ...(ep.params ? { params: ep.params } : {}),
      ...(ep.query ? { querystring: ep.query } : {}),
      ...(ep.body ? { body: ep.body } : {}),
    },
    ...(ep.bodyLimit ? { bodyLimit: ep.bodyLimit } : {}),
    handler,
  });
}

/**
 * A capability bound to the request's actor: routes call `api(req).op(...)`
 * so the app decides per request what they talk to (e.g. the audited
 * tracking API acting as the authenticated user).
 */
export type ApiFor<T> = (req: FastifyRequest) => T;
