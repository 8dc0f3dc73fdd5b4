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
