/**
 * The governance bundle: the audit log, users and roles, and webhooks over
 * one database, built once and handed to `createApp`. Services of other
 * slices take their parts from here: `audit` (AuditLog), `roles`
 * (RoleResolver) and `notifier` (WebhookNotifier).
 */
import { ALL_ADMIN, type RoleResolver } from '../core/actor.js';
import type { Db } from '../storage/db.js';
import { SqlAuditLog } from '../audit/sql-audit-log.js';
import { AuthService } from '../auth/auth-service.js';
import { SqlAuthStore } from '../auth/sql-auth-store.js';
import { SqlWebhookStore } from '../webhooks/sql-webhook-store.js';
import { WebhookDispatcher, type DispatcherOptions } from '../webhooks/webhook-dispatcher.js';
import type { WebhookNotifier } from '../webhooks/webhook-notifier.js';
import { WebhookService } from '../webhooks/webhook-service.js';

export interface Governance {
  readonly audit: SqlAuditLog;
  readonly auth: AuthService;
  /** When true, anonymous access is off and every route checks the caller's role. */
  readonly authEnabled: boolean;
  /** What services check roles with: users' grants when auth is on, admin for everyone when off. */
  readonly roles: RoleResolver;
  readonly webhooks: WebhookService;
  readonly dispatcher: WebhookDispatcher;
  /** The port the registry calls on version, transition and policy events. */
  readonly notifier: WebhookNotifier;
}

export function createGovernance(db: Db, opts: { authEnabled: boolean; webhooks?: DispatcherOptions }): Governance {
  const audit = new SqlAuditLog(db);
  const auth = new AuthService({ store: new SqlAuthStore(db), audit });
  const hooks = new SqlWebhookStore(db);
  const dispatcher = new WebhookDispatcher(hooks, opts.webhooks);
  return {
    audit,
    auth,
    authEnabled: opts.authEnabled,
    roles: opts.authEnabled ? auth : ALL_ADMIN,
    webhooks: new WebhookService(hooks, audit),
    dispatcher,
    notifier: dispatcher,
  };
}
