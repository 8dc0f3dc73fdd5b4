import type { FastifyRequest } from 'fastify';
import { LOCAL_ACTOR, type Actor } from '../core/actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook when auth is on; absent in single-user mode. */
    cairnActor?: Actor;
  }
}

/** The actor a request acts as: the authenticated user, or LOCAL_ACTOR when auth is off. */
export function actorOf(req: FastifyRequest): Actor {
  return req.cairnActor ?? LOCAL_ACTOR;
}
