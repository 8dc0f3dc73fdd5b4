/**
 * The Fastify side of access control: records every route with its
 * permission as it registers (the table the permission-matrix test walks),
 * and, when auth is on, authenticates each request (401) and checks its role
 * in the request's scope (403) before the handler runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role, RoleResolver, Scope } from '../core/actor.js';
import { roleAtLeast } from '../core/actor.js';
import { PermissionDenied, Unauthenticated } from '../core/errors.js';
import { formatScope } from './auth-domain.js';
import { permissionFor, scopeFromRequest, type Permission } from './permissions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route's own permission; without it `permissionFor` decides from method and URL. */
    permission?: Permission;
    /** Filled in by the route table at registration. */
    resolvedPermission?: Permission;
  }
  interface FastifyInstance {
    /** Every route registered so far, with the permission it is checked against. */
    cairnRoutes: RouteInfo[];
  }
}

export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly permission: Permission;
}

/** Must run before any route registers: resolves and records each route's permission. */
export function installRouteTable(app: FastifyInstance): void {
  const routes: RouteInfo[] = [];
  app.decorate('cairnRoutes', routes);
  app.addHook('onRoute', (opts) => {
    const methods = (Array.isArray(opts.method) ? opts.method : [opts.method]).map(String);
    const perms = methods.map((m) => permissionFor(m, opts.url, opts.config?.permission));
    if (new Set(perms.map((p) => p.role)).size > 1) {
      throw new Error(`route ${opts.url} mixes methods that need different roles (${methods.join(', ')}); register them separately`);
    }
    methods.forEach((method, i) => routes.push({ method, url: opts.url, permission: perms[i]! }));
    opts.config = { ...opts.config, resolvedPermission: perms[0]! };
  });
}

export interface AuthGuardDeps {
  authenticate(authorization: string | undefined): Promise<Actor | null>;
  readonly roles: RoleResolver;
  /** The experiment a run belongs to, or null when there is no such run. */
  runExperiment(runId: string): Promise<string | null>;
}

const CREDENTIALS_HINT = "send 'Authorization: Bearer <token>' (CAIRN_TOKEN, or MLFLOW_TRACKING_TOKEN for MLflow clients) or HTTP Basic with a user name and token or password";

/** Turns anonymous access off and checks every route's permission. */
export function installAuthGuard(app: FastifyInstance, deps: AuthGuardDeps): void {
  const permissionOf = (req: FastifyRequest): Permission =>
    req.routeOptions.config.resolvedPermission ?? permissionFor(req.method, req.routeOptions.url ?? '', undefined);

  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.url === undefined || permissionOf(req).role === 'public') return;
    const actor = await deps.authenticate(req.headers.authorization);
    if (!actor) {
      // RFC 9110: a 401 names the schemes it accepts (Basic also lets a browser on the MLflow UI ask for a login).
      void reply.header('www-authenticate', 'Bearer realm="cairn", Basic realm="cairn", charset="UTF-8"');
      throw new Unauthenticated(req.headers.authorization
        ? `the credentials sent are not valid (unknown, revoked or expired token, or wrong password); ${CREDENTIALS_HINT}`
        : `this server requires authentication; ${CREDENTIALS_HINT}`);
    }
    req.cairnActor = actor;
  });

  app.addHook('preValidation', async (req) => {
    const p = permissionOf(req);
    if (p.role === 'public' || p.role === 'signed-in') return;
    if (!req.cairnActor) throw new Unauthenticated(`this server requires authentication; ${CREDENTIALS_HINT}`);
    const url = req.routeOptions.url ?? '';
    const ref = (p.scope ?? ((r) => scopeFromRequest(url, r)))({ params: req.params, query: req.query, body: req.body });
    let scope: Scope = { kind: 'global' };
    if (ref.kind === 'run') {
      const exp = await deps.runExperiment(ref.id);
      if (exp !== null) scope = { kind: 'experiment', id: exp };
    } else {
      scope = ref;
    }
    const have: Role | null = await deps.roles.roleOf(req.cairnActor, scope);
    if (have === null || !roleAtLeast(have, p.role)) {
      throw new PermissionDenied(
        `user '${req.cairnActor.name}' has ${have === null ? 'no role' : `role ${have}`} in scope ${formatScope(scope)}; ` +
        `${req.method} ${url} needs ${p.role}; ask an admin: cairn users grant ${req.cairnActor.name} ${p.role} --scope ${formatScope(scope)}`);
    }
  });
}
