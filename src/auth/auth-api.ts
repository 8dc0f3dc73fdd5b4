/**
 * Managing users, roles and API tokens, as callers see it. Implemented in
 * process by `AuthService.as(actor)` (audited) and over HTTP by
 * `HttpAuthClient`. Token secrets appear only in the result of the call that
 * creates them.
 */
import type { Role, Scope } from '../core/actor.js';
import type { TokenInfo, User } from './auth-domain.js';

export interface CreateUserInput {
  readonly name: string;
  /** The global default role; none means the user can only sign in until granted one. */
  readonly role?: Role;
  readonly password?: string;
}

export interface CreatedUser {
  readonly user: User;
  /** A first API token for the user, shown this once. */
  readonly token: string;
}

export interface CreatedToken {
  readonly token: TokenInfo;
  /** The secret, shown this once; only its sha256 is stored. */
  readonly secret: string;
}

export interface AuthAdminApi {
  createUser(input: CreateUserInput): Promise<CreatedUser>;
  listUsers(): Promise<User[]>;
  getUser(name: string): Promise<User>;
  setUserDisabled(name: string, disabled: boolean): Promise<User>;
  /** Sets the password used with HTTP Basic auth; null removes it. */
  setPassword(name: string, password: string | null): Promise<void>;
  /** Sets the user's role in a scope; null removes the grant. */
  setRole(name: string, scope: Scope, role: Role | null): Promise<User>;
  createToken(userName: string, input: { readonly name: string; readonly expiresAt?: number | null }): Promise<CreatedToken>;
  listTokens(userName?: string): Promise<TokenInfo[]>;
  revokeToken(id: string): Promise<void>;
}
