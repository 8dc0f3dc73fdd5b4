import { governanceEndpoints as G } from '../api/governance-endpoints.js';
import type { Role, Scope } from '../core/actor.js';
import type { AuthAdminApi, CreateUserInput, CreatedToken, CreatedUser } from '../auth/auth-api.js';
import type { TokenInfo, User } from '../auth/auth-domain.js';
import type { AuditEntry, AuditFilter } from '../audit/audit-log.js';
import type { VerifyResult } from '../audit/audit-chain.js';
import type { AddWebhookInput, AddedWebhook, WebhookAdminApi } from '../webhooks/webhook-service.js';
import type { Webhook, WebhookDelivery } from '../webhooks/webhook-notifier.js';
import { Transport, type TransportOptions } from './transport.js';

/** Users, tokens, webhooks and the audit trail over HTTP: the same contracts as in process. */
export class HttpGovernanceClient implements AuthAdminApi, WebhookAdminApi {
  readonly t: Transport;

  constructor(opts: TransportOptions | Transport) {
    this.t = opts instanceof Transport ? opts : new Transport(opts);
  }

  async userNames(ids: readonly string[]): Promise<Record<string, string>> {
    return ids.length === 0 ? {} : (await this.t.json<{ names: Record<string, string> }>(G.userNames, { query: { ids: ids.join(',') } })).names;
  }
  whoami(): Promise<{ actor: { id: string; name: string }; user: User | null }> { return this.t.json(G.whoami); }

  createUser(input: CreateUserInput): Promise<CreatedUser> { return this.t.json(G.createUser, { body: input }); }
  async listUsers(): Promise<User[]> { return (await this.t.json<{ items: User[] }>(G.listUsers)).items; }
  async getUser(name: string): Promise<User> { return (await this.t.json<{ user: User }>(G.getUser, { params: { name } })).user; }
  async setUserDisabled(name: string, disabled: boolean): Promise<User> {
    return (await this.t.json<{ user: User }>(G.updateUser, { params: { name }, body: { disabled } })).user;
  }
  async setPassword(name: string, password: string | null): Promise<void> { await this.t.send(G.updateUser, { params: { name }, body: { password } }); }
  async setRole(name: string, scope: Scope, role: Role | null): Promise<User> {
    return (await this.t.json<{ user: User }>(G.setRole, { params: { name }, body: { scope, role } })).user;
  }
  createToken(user: string, input: { name: string; expiresAt?: number | null }): Promise<CreatedToken> {
    return this.t.json(G.createToken, { body: { user, ...input } });
  }
  async listTokens(user?: string): Promise<TokenInfo[]> { return (await this.t.json<{ items: TokenInfo[] }>(G.listTokens, { query: { user } })).items; }
  async revokeToken(id: string): Promise<void> { await this.t.send(G.revokeToken, { params: { id } }); }

  addWebhook(input: AddWebhookInput): Promise<AddedWebhook> { return this.t.json(G.addWebhook, { body: input }); }
  async listWebhooks(): Promise<Webhook[]> { return (await this.t.json<{ items: Webhook[] }>(G.listWebhooks)).items; }
  async removeWebhook(id: string): Promise<void> { await this.t.send(G.removeWebhook, { params: { id } }); }
  async listDeliveries(id: string): Promise<WebhookDelivery[]> {
    return (await this.t.json<{ items: WebhookDelivery[] }>(G.listDeliveries, { params: { id } })).items;
  }

  async listAudit(afterSeq = 0, limit = 1000, filter: AuditFilter = {}): Promise<AuditEntry[]> {
    return (await this.t.json<{ items: AuditEntry[] }>(G.listAudit, { query: { afterSeq, limit, ...filter } })).items;
  }
  verifyAudit(): Promise<VerifyResult> { return this.t.json(G.verifyAudit); }
}
