import type { Actor, Role, RoleResolver, Scope } from '../core/actor.js';
import { AlreadyExists, InvalidArgument, NotFound } from '../core/errors.js';
import { isUniqueViolation } from '../storage/sql-errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import {
  effectiveRole, formatScope, parseAuthorization, validatePassword, validateUserName, type TokenInfo, type User,
} from './auth-domain.js';
import type { AuthAdminApi, CreateUserInput, CreatedToken, CreatedUser } from './auth-api.js';
import { hashPassword, hashToken, newId, newTokenSecret, verifyPassword } from './secrets.js';
import type { SqlAuthStore, UserRecord } from './sql-auth-store.js';

export interface AuthDeps {
  readonly store: SqlAuthStore;
  readonly audit: AuditLog;
  readonly now?: () => number;
}

const publicUser = ({ passwordHash: _, ...u }: UserRecord): User => u;
const actorOfUser = (u: { id: string; name: string }): Actor => ({ id: u.id, name: u.name });
const PASSWORD_CACHE_MS = 60_000;
const TOUCH_MS = 60_000;

/**
 * Authentication (who is calling) and role resolution (what they may do),
 * plus the audited admin operations through `as(actor)`.
 */
export class AuthService implements RoleResolver {
  private readonly store: SqlAuthStore;
  private readonly audit: AuditLog;
  private readonly now: () => number;
  /** Recent successful password checks, so Basic auth does not pay scrypt on every request. */
  private readonly passwordOk = new Map<string, number>();

  constructor(deps: AuthDeps) {
    this.store = deps.store;
    this.audit = deps.audit;
    this.now = deps.now ?? Date.now;
  }

  /**
   * The actor behind an Authorization header, or null when it names no live
   * credential. Bearer takes an API token; Basic takes a user name and either
   * one of that user's tokens or their password (MLflow clients send
   * MLFLOW_TRACKING_USERNAME/PASSWORD this way).
   */
  async authenticate(header: string | undefined): Promise<Actor | null> {
    const c = parseAuthorization(header);
    if (!c) return null;
    const token = await this.byToken(c.kind === 'bearer' ? c.token : c.secret);
    if (c.kind === 'bearer') return token;
    // Basic: the secret is one of the user's tokens, or their password.
    if (token) return token.name === c.user ? token : null;
    const u = await this.store.userByName(c.user);
    if (!u || u.disabled || u.passwordHash === null) return null;
    const key = hashToken(`${u.id}\0${u.passwordHash}\0${c.secret}`);
    const seen = this.passwordOk.get(key);
    if (seen !== undefined && this.now() - seen < PASSWORD_CACHE_MS) return actorOfUser(u);
    if (!(await verifyPassword(c.secret, u.passwordHash))) return null;
    if (this.passwordOk.size > 1000) this.passwordOk.clear();
    this.passwordOk.set(key, this.now());
    return actorOfUser(u);
  }

  /** The owner of a live token, noting the use (to the minute). */
  private async byToken(secret: string): Promise<Actor | null> {
    const now = this.now();
    const t = await this.store.liveToken(hashToken(secret), now);
    if (!t) return null;
    if (t.lastUsedAt === null || now - t.lastUsedAt >= TOUCH_MS) await this.store.touchToken(t.id, now, TOUCH_MS);
    return { id: t.userId, name: t.userName };
  }

  async roleOf(actor: Actor, scope: Scope): Promise<Role | null> {
    return effectiveRole(await this.store.grantsFor(actor.id, scope), scope);
  }

  /** The user behind an actor, or null for the local single-user actor. */
  async userOf(actor: Actor): Promise<User | null> {
    const u = await this.store.userById(actor.id);
    return u ? publicUser(u) : null;
  }

  /** True when no user exists yet (a fresh database with auth just turned on). */
  /** User names by id, for display (who registered or approved a version); unknown ids are left out. At most 100 ids. */
  async namesOf(ids: readonly string[]): Promise<Record<string, string>> {
    if (ids.length > 100) throw new InvalidArgument(`ask for at most 100 user names at a time (got ${ids.length})`);
    const out: Record<string, string> = {};
    for (const id of new Set(ids)) {
      const u = await this.store.userById(id);
      if (u) out[id] = u.name;
    }
    return out;
  }

  async hasNoUsers(): Promise<boolean> {
    return (await this.store.countUsers()) === 0;
  }

  /**
   * Makes sure `token` belongs to a global admin: when no live token has that
   * hash, creates (or reuses) user `admin` with the admin role and registers
   * the token. Used for `CAIRN_ADMIN_TOKEN` bootstrap; idempotent.
   */
  async bootstrapAdmin(token: string, actor: Actor): Promise<void> {
    if (await this.store.userByTokenHash(hashToken(token), this.now())) return;
    if (token.length < 20) throw new InvalidArgument('CAIRN_ADMIN_TOKEN must be at least 20 characters; generate one with: openssl rand -base64 32');
    // Replicas starting together race here: whoever loses finds the winner's rows.
    const tolerateRace = async (step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (e) {
        if (!(e instanceof AlreadyExists) && !isUniqueViolation(e)) throw e;
      }
    };
    const admin = this.as(actor);
    const existing = await this.store.userByName('admin');
    if (!existing) await tolerateRace(() => admin.createUser({ name: 'admin', role: 'admin' }));
    const u = await this.user('admin');
    if (effectiveRole(u.grants, { kind: 'global' }) !== 'admin') await admin.setRole('admin', { kind: 'global' }, 'admin');
    await tolerateRace(() => this.insertToken(u, 'bootstrap', null, token, actor));
  }

  /** The admin operations, performed and audited as `actor`. */
  as(actor: Actor): AuthAdminApi {
    return new AuditedAuthAdmin(this.store, this, actor, this.now);
  }

  async user(name: string): Promise<UserRecord> {
    const u = await this.store.userByName(name);
    if (!u) throw new NotFound(`user '${name}' does not exist; list users with 'cairn users list'`);
    return u;
  }

  async insertToken(u: UserRecord, name: string, expiresAt: number | null, secret: string, actor: Actor): Promise<TokenInfo> {
    if (!name.trim() || name.length > 200) throw new InvalidArgument('token name must be 1 to 200 characters');
    const id = newId();
    await this.store.insertToken({ id, userId: u.id, name, tokenHash: hashToken(secret), now: this.now(), expiresAt });
    await this.record(actor, 'token.create', 'token', id, undefined, { user: u.name, name, expiresAt });
    return (await this.store.tokenById(id))!;
  }

  async record(actor: Actor, action: string, targetType: string, targetId: string, before: unknown, after: unknown): Promise<void> {
    await this.audit.append({ actor: actor.name, action, targetType, targetId, before, after });
  }
}

class AuditedAuthAdmin implements AuthAdminApi {
  constructor(
    private readonly store: SqlAuthStore,
    private readonly s: AuthService,
    private readonly actor: Actor,
    private readonly now: () => number,
  ) {}

  async createUser(input: CreateUserInput): Promise<CreatedUser> {
    const name = validateUserName(input.name);
    const passwordHash = input.password === undefined ? null : await hashPassword(validatePassword(input.password));
    const id = newId();
    await this.store.insertUser({ id, name, passwordHash, now: this.now() });
    if (input.role) await this.store.setGrant(id, { kind: 'global' }, input.role);
    await this.s.record(this.actor, 'user.create', 'user', name, undefined, { name, role: input.role ?? null, password: passwordHash !== null });
    const secret = newTokenSecret();
    const u = await this.s.user(name);
    await this.s.insertToken(u, 'default', null, secret, this.actor);
    return { user: publicUser(u), token: secret };
  }

  async listUsers(): Promise<User[]> { return (await this.store.listUsers()).map(publicUser); }
  async getUser(name: string): Promise<User> { return publicUser(await this.s.user(name)); }

  async setUserDisabled(name: string, disabled: boolean): Promise<User> {
    const u = await this.s.user(name);
    await this.store.setDisabled(u.id, disabled);
    await this.s.record(this.actor, disabled ? 'user.disable' : 'user.enable', 'user', name, { disabled: u.disabled }, { disabled });
    return this.getUser(name);
  }

  async setPassword(name: string, password: string | null): Promise<void> {
    const u = await this.s.user(name);
    await this.store.setPasswordHash(u.id, password === null ? null : await hashPassword(validatePassword(password)));
    // Never the password or its hash: only whether one is set.
    await this.s.record(this.actor, 'user.password', 'user', name, { password: u.hasPassword }, { password: password !== null });
  }

  async setRole(name: string, scope: Scope, role: Role | null): Promise<User> {
    const u = await this.s.user(name);
    const before = u.grants.find((g) => formatScope(g.scope) === formatScope(scope))?.role ?? null;
    await this.store.setGrant(u.id, scope, role);
    await this.s.record(this.actor, 'role.set', 'user', name, { scope: formatScope(scope), role: before }, { scope: formatScope(scope), role });
    return this.getUser(name);
  }

  async createToken(userName: string, input: { name: string; expiresAt?: number | null }): Promise<CreatedToken> {
    const u = await this.s.user(userName);
    const secret = newTokenSecret();
    return { token: await this.s.insertToken(u, input.name, input.expiresAt ?? null, secret, this.actor), secret };
  }

  async listTokens(userName?: string): Promise<TokenInfo[]> {
    return this.store.listTokens(userName === undefined ? undefined : (await this.s.user(userName)).id);
  }

  async revokeToken(id: string): Promise<void> {
    const t = await this.store.tokenById(id);
    if (!t) throw new NotFound(`token '${id}' does not exist; list tokens with 'cairn tokens list'`);
    await this.store.revokeToken(id, this.now());
    await this.s.record(this.actor, 'token.revoke', 'token', id, { revokedAt: t.revokedAt }, { revokedAt: this.now(), user: t.userName, name: t.name });
  }
}
