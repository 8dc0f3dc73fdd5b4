/** /api/v1 users, roles and tokens: parse, call the audited AuthService as the caller, serialise. */
import type { FastifyInstance } from 'fastify';
import { governanceEndpoints as G } from '../api/governance-endpoints.js';
import type { Role, Scope } from '../core/actor.js';
import { route } from '../server/route.js';
import { actorOf } from '../server/request-actor.js';
import type { AuthService } from './auth-service.js';

type Name = { name: string };
const q = <T>(x: unknown) => x as T;

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService): void {
  route(app, G.userNames, async (req) => ({ names: await auth.namesOf(q<{ ids: string }>(req.query).ids.split(',').map((x) => x.trim()).filter(Boolean)) }));
  route(app, G.whoami, async (req) => ({ actor: actorOf(req), user: await auth.userOf(actorOf(req)) }));
  route(app, G.createUser, async (req) => auth.as(actorOf(req)).createUser(q(req.body)));
  route(app, G.listUsers, async (req) => ({ items: await auth.as(actorOf(req)).listUsers() }));
  route(app, G.getUser, async (req) => ({ user: await auth.as(actorOf(req)).getUser(q<Name>(req.params).name) }));
  route(app, G.updateUser, async (req) => {
    const api = auth.as(actorOf(req));
    const { name } = q<Name>(req.params);
    const b = q<{ disabled?: boolean; password?: string | null }>(req.body);
    if (b.password !== undefined) await api.setPassword(name, b.password);
    return { user: b.disabled === undefined ? await api.getUser(name) : await api.setUserDisabled(name, b.disabled) };
  });
  route(app, G.setRole, async (req) => {
    const b = q<{ scope: Scope; role: Role | null }>(req.body);
    return { user: await auth.as(actorOf(req)).setRole(q<Name>(req.params).name, b.scope, b.role) };
  });
  route(app, G.createToken, async (req) => {
    const b = q<{ user: string; name: string; expiresAt?: number | null }>(req.body);
    return auth.as(actorOf(req)).createToken(b.user, { name: b.name, expiresAt: b.expiresAt ?? null });
  });
  route(app, G.listTokens, async (req) => ({ items: await auth.as(actorOf(req)).listTokens(q<{ user?: string }>(req.query).user) }));
  route(app, G.revokeToken, async (req) => (await auth.as(actorOf(req)).revokeToken(q<{ id: string }>(req.params).id), {}));
}
