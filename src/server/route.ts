import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, type Endpoint } from '../api/endpoints.js';

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Registers one route of the table with its request schemas for validation.
 * `config.permission` declares the role and scope the route needs when the
 * default (reads: viewer, writes: editor, derived scope) is not right.
 */
export function route(app: FastifyInstance, ep: Endpoint, handler: Handler, config?: FastifyContextConfig): void {
  app.route({
    method: ep.method,
    url: API_PREFIX + ep.path,
    schema: {
      ...(ep.params ? { params: ep.params } : {}),
      ...(ep.query ? { querystring: ep.query } : {}),
      ...(ep.body ? { body: ep.body } : {}),
    },
    ...(ep.bodyLimit ? { bodyLimit: ep.bodyLimit } : {}),
    ...(config ? { config } : {}),
    handler,
  });
}

/**
 * A capability bound to the request's actor: routes call `api(req).op(...)`
 * so the app decides per request what they talk to (e.g. the audited
 * tracking API acting as the authenticated user).
 */
export type ApiFor<T> = (req: FastifyRequest) => T;
