/**
 * The governance part of the /api/v1 route table: users, roles, tokens,
 * webhooks and the audit trail. Every route here needs the admin role, except
 * `/me`, which any signed-in user may call.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { Endpoint } from './endpoints.js';
import * as S from './governance-schemas.js';
import { Empty } from './schemas.js';

const e = <T extends Endpoint>(x: T): T => x;
const obj = (props: Record<string, TSchema>) => Type.Object(props);

export const governanceEndpoints = {
  userNames: e({ operationId: 'userNames', method: 'GET', path: '/user-names', summary: 'Display names of user ids (comma-separated, at most 100), for showing who authored or approved something; unknown ids are left out', query: S.UserNamesQuery, response: obj({ names: Type.Record(Type.String(), Type.String()) }) }),
  whoami: e({ operationId: 'whoami', method: 'GET', path: '/me', summary: 'Who the credentials sent belong to, with their roles (any signed-in user)', response: obj({ actor: obj({ id: Type.String(), name: Type.String() }), user: Type.Union([S.User, Type.Null()]) }) }),
  createUser: e({ operationId: 'createUser', method: 'POST', path: '/users', summary: 'Create a user with a first API token (shown once)', body: S.CreateUserBody, response: obj({ user: S.User, token: Type.String() }) }),
  listUsers: e({ operationId: 'listUsers', method: 'GET', path: '/users', summary: 'List users with their roles', response: S.Items(S.User) }),
  getUser: e({ operationId: 'getUser', method: 'GET', path: '/users/:name', summary: 'Get a user', params: S.NameParams, response: obj({ user: S.User }) }),
  updateUser: e({ operationId: 'updateUser', method: 'PATCH', path: '/users/:name', summary: 'Disable or enable a user, or set their password', params: S.NameParams, body: S.UpdateUserBody, response: obj({ user: S.User }) }),
  setRole: e({ operationId: 'setRole', method: 'PUT', path: '/users/:name/roles', summary: "Set (or with role null remove) a user's role in a scope", params: S.NameParams, body: S.SetRoleBody, response: obj({ user: S.User }) }),
  createToken: e({ operationId: 'createToken', method: 'POST', path: '/tokens', summary: 'Create an API token (the secret is shown once)', body: S.CreateTokenBody, response: obj({ token: S.TokenInfo, secret: Type.String() }) }),
  listTokens: e({ operationId: 'listTokens', method: 'GET', path: '/tokens', summary: 'List API tokens (never their secrets)', query: S.TokensQuery, response: S.Items(S.TokenInfo) }),
  revokeToken: e({ operationId: 'revokeToken', method: 'DELETE', path: '/tokens/:id', summary: 'Revoke an API token', params: S.IdParams, response: Empty }),
  addWebhook: e({ operationId: 'addWebhook', method: 'POST', path: '/webhooks', summary: 'Subscribe a URL to events (the signing secret is shown once)', body: S.AddWebhookBody, response: obj({ webhook: S.Webhook, secret: Type.String() }) }),
  listWebhooks: e({ operationId: 'listWebhooks', method: 'GET', path: '/webhooks', summary: 'List webhook subscriptions', response: S.Items(S.Webhook) }),
  removeWebhook: e({ operationId: 'removeWebhook', method: 'DELETE', path: '/webhooks/:id', summary: 'Remove a webhook subscription', params: S.IdParams, response: Empty }),
  listDeliveries: e({ operationId: 'listDeliveries', method: 'GET', path: '/webhooks/:id/deliveries', summary: 'Recent deliveries of a webhook with their status', params: S.IdParams, response: S.Items(S.WebhookDelivery) }),
  listAudit: e({ operationId: 'listAudit', method: 'GET', path: '/audit', summary: 'Audit entries after a sequence number, oldest first', query: S.AuditQuery, response: S.Items(S.AuditEntry) }),
  verifyAudit: e({ operationId: 'verifyAudit', method: 'GET', path: '/audit/verify', summary: "Verify the audit trail's hash chain", response: S.VerifyResult }),
} as const satisfies Record<string, Endpoint>;
