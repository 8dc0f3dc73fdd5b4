import type { Db } from '../storage/db.js';
import { isUniqueViolation } from '../storage/sql-errors.js';
import { AlreadyExists } from '../core/errors.js';
import type { Role, Scope } from '../core/actor.js';
import { scopeFromKey, scopeKey, type Grant, type TokenInfo, type User } from './auth-domain.js';

interface UserRow { id: string; name: string; password_hash: string | null; disabled: number | boolean; created_at: number }
interface TokenRow { id: string; user_name: string; name: string; created_at: number; expires_at: number | null; revoked_at: number | null; last_used_at: number | null }

/** A user as the authenticator sees it, with the password hash. */
export interface UserRecord extends User {
  readonly passwordHash: string | null;
}

const TOKEN_SELECT = `SELECT t.id, u.name AS user_name, t.name, t.created_at, t.expires_at, t.revoked_at, t.last_used_at
  FROM api_tokens t JOIN users u ON u.id = t.user_id`;

const num = (v: number | null): number | null => (v === null ? null : Number(v));
const toToken = (r: TokenRow): TokenInfo => ({
  id: r.id, userName: r.user_name, name: r.name, createdAt: Number(r.created_at),
  expiresAt: num(r.expires_at), revokedAt: num(r.revoked_at), lastUsedAt: num(r.last_used_at),
});

/**
 * Users, hashed API tokens and role grants over the dialect layer. Every
 * method is one statement or one transaction; nothing is cached, so a revoked
 * token or a changed grant takes effect on the next request in every replica.
 */
export class SqlAuthStore {
  constructor(private readonly db: Db) {}

  async insertUser(u: { id: string; name: string; passwordHash: string | null; now: number }): Promise<void> {
    try {
      await this.db.run('INSERT INTO users (id, name, password_hash, disabled, created_at) VALUES (?, ?, ?, 0, ?)',
        [u.id, u.name, u.passwordHash, u.now]);
    } catch (e) {
      if (isUniqueViolation(e)) throw new AlreadyExists(`user '${u.name}' already exists; list users with 'cairn users list'`);
      throw e;
    }
  }

  async countUsers(): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0);
  }

  async userByName(name: string): Promise<UserRecord | undefined> {
    const r = await this.db.get<UserRow>('SELECT id, name, password_hash, disabled, created_at FROM users WHERE name = ?', [name]);
    return r && this.withGrants(r);
  }

  async userById(id: string): Promise<UserRecord | undefined> {
    const r = await this.db.get<UserRow>('SELECT id, name, password_hash, disabled, created_at FROM users WHERE id = ?', [id]);
    return r && this.withGrants(r);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.all<UserRow>('SELECT id, name, password_hash, disabled, created_at FROM users ORDER BY name');
    return Promise.all(rows.map((r) => this.withGrants(r)));
  }

  async setDisabled(userId: string, disabled: boolean): Promise<void> {
    await this.db.run('UPDATE users SET disabled = ? WHERE id = ?', [disabled ? 1 : 0, userId]);
  }

  async setPasswordHash(userId: string, hash: string | null): Promise<void> {
    await this.db.run('UPDATE users SET password_hash = ? WHERE id = ?', [hash, userId]);
  }

  async grants(userId: string): Promise<Grant[]> {
    const rows = await this.db.all<{ scope_kind: string; scope_id: string; role: Role }>(
      'SELECT scope_kind, scope_id, role FROM role_grants WHERE user_id = ? ORDER BY scope_kind, scope_id', [userId]);
    return rows.map((r) => ({ scope: scopeFromKey(r.scope_kind, r.scope_id), role: r.role }));
  }

  /** Sets (or with `role` null removes) the user's role in a scope. */
  async setGrant(userId: string, scope: Scope, role: Role | null): Promise<void> {
    const [kind, id] = scopeKey(scope);
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM role_grants WHERE user_id = ? AND scope_kind = ? AND scope_id = ?', [userId, kind, id]);
      if (role !== null) {
        await tx.run('INSERT INTO role_grants (user_id, scope_kind, scope_id, role) VALUES (?, ?, ?, ?)', [userId, kind, id, role]);
      }
    });
  }

  async insertToken(t: { id: string; userId: string; name: string; tokenHash: string; now: number; expiresAt: number | null }): Promise<void> {
    await this.db.run('INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      [t.id, t.userId, t.name, t.tokenHash, t.now, t.expiresAt]);
  }

  /** The live token with this hash and its owner's name, if any (not revoked, not expired, owner enabled). One query. */
  async liveToken(tokenHash: string, now: number): Promise<{ id: string; userId: string; userName: string; lastUsedAt: number | null } | undefined> {
    const r = await this.db.get<{ id: string; user_id: string; user_name: string; last_used_at: number | null }>(
      `SELECT t.id, t.user_id, u.name AS user_name, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled = 0`,
      [tokenHash, now]);
    return r && { id: r.id, userId: r.user_id, userName: r.user_name, lastUsedAt: num(r.last_used_at) };
  }

  async userByTokenHash(tokenHash: string, now: number): Promise<UserRecord | undefined> {
    const t = await this.liveToken(tokenHash, now);
    return t && this.userById(t.userId);
  }

  /** An enabled user's grants that bear on `scope` (the global one and that scope's). One query. */
  async grantsFor(userId: string, scope: Scope): Promise<Grant[]> {
    const [kind, id] = scopeKey(scope);
    const rows = await this.db.all<{ scope_kind: string; scope_id: string; role: Role }>(
      `SELECT g.scope_kind, g.scope_id, g.role FROM role_grants g JOIN users u ON u.id = g.user_id
       WHERE g.user_id = ? AND u.disabled = 0 AND ((g.scope_kind = 'global' AND g.scope_id = '') OR (g.scope_kind = ? AND g.scope_id = ?))`,
      [userId, kind, id]);
    return rows.map((r) => ({ scope: scopeFromKey(r.scope_kind, r.scope_id), role: r.role }));
  }

  /** Records a use of the token, at most once per `granularityMs`. */
  async touchToken(id: string, now: number, granularityMs: number): Promise<void> {
    await this.db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)',
      [now, id, now - granularityMs]);
  }

  async listTokens(userId?: string): Promise<TokenInfo[]> {
    const rows = userId === undefined
      ? await this.db.all<TokenRow>(`${TOKEN_SELECT} ORDER BY t.created_at`)
      : await this.db.all<TokenRow>(`${TOKEN_SELECT} WHERE t.user_id = ? ORDER BY t.created_at`, [userId]);
    return rows.map(toToken);
  }

  async tokenById(id: string): Promise<TokenInfo | undefined> {
    const r = await this.db.get<TokenRow>(`${TOKEN_SELECT} WHERE t.id = ?`, [id]);
    return r && toToken(r);
  }

  async revokeToken(id: string, now: number): Promise<void> {
    await this.db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id]);
  }

  private async withGrants(r: UserRow): Promise<UserRecord> {
    return {
      id: r.id, name: r.name, disabled: Boolean(r.disabled), hasPassword: r.password_hash !== null,
      passwordHash: r.password_hash, createdAt: Number(r.created_at), grants: await this.grants(r.id),
    };
  }
}
