/**
 * Users, tokens and role grants: types and pure parsing rules. No I/O here.
 */
import { InvalidArgument } from '../core/errors.js';
import { isRole, type Role, type Scope } from '../core/actor.js';

export interface Grant {
  readonly scope: Scope;
  readonly role: Role;
}

export interface User {
  readonly id: string;
  readonly name: string;
  readonly disabled: boolean;
  readonly hasPassword: boolean;
  readonly createdAt: number;
  readonly grants: readonly Grant[];
}

/** A token's metadata; the secret itself is shown once at creation and never stored. */
export interface TokenInfo {
  readonly id: string;
  readonly userName: string;
  readonly name: string;
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  /** When it last authenticated a request, to the minute; null if never. */
  readonly lastUsedAt: number | null;
}

/** Prefix of every API token, so leaked ones are easy to recognise in scanners. */
export const TOKEN_PREFIX = 'cairn_';

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

export function validateUserName(name: string): string {
  if (!USER_NAME.test(name)) {
    throw new InvalidArgument(`user name '${name}' must be 1 to 100 letters, digits, '.', '_', '@' or '-', starting with a letter or digit`);
  }
  return name;
}

export function validatePassword(pw: string): string {
  if (pw.length < 12 || pw.length > 1000) throw new InvalidArgument('a password must be 12 to 1000 characters long');
  return pw;
}

/** `global`, `experiment:<id>` or `model:<name>`. */
export function parseScope(s: string): Scope {
  if (s === 'global') return { kind: 'global' };
  const m = /^(experiment|model):(.+)$/.exec(s);
  if (!m || !m[2]) throw new InvalidArgument(`scope '${s}' must be 'global', 'experiment:<id>' or 'model:<name>'`);
  return m[1] === 'experiment' ? { kind: 'experiment', id: m[2] } : { kind: 'model', name: m[2] };
}

export function formatScope(s: Scope): string {
  return s.kind === 'global' ? 'global' : s.kind === 'experiment' ? `experiment:${s.id}` : `model:${s.name}`;
}

/** The `(scope_kind, scope_id)` columns of a grant. */
export function scopeKey(s: Scope): [string, string] {
  return s.kind === 'global' ? ['global', ''] : s.kind === 'experiment' ? ['experiment', s.id] : ['model', s.name];
}

export function scopeFromKey(kind: string, id: string): Scope {
  return kind === 'experiment' ? { kind, id } : kind === 'model' ? { kind, name: id } : { kind: 'global' };
}

export function parseRole(s: string): Role {
  if (!isRole(s)) throw new InvalidArgument(`role '${s}' must be one of viewer, editor, approver, admin`);
  return s;
}

/**
 * The role that applies in `scope` from a user's grants: a grant on that
 * experiment or model wins over the global default, except that a global
 * admin stays admin everywhere (admins manage grants, so they cannot be
 * locked out by one).
 */
export function effectiveRole(grants: readonly Grant[], scope: Scope): Role | null {
  const global = grants.find((g) => g.scope.kind === 'global')?.role ?? null;
  if (global === 'admin' || scope.kind === 'global') return global;
  const [kind, id] = scopeKey(scope);
  const specific = grants.find((g) => scopeKey(g.scope)[0] === kind && scopeKey(g.scope)[1] === id);
  return specific?.role ?? global;
}

export type Credentials =
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'basic'; readonly user: string; readonly secret: string };

/** Reads an Authorization header: `Bearer <token>` or `Basic base64(user:secret)`. */
export function parseAuthorization(header: string | undefined): Credentials | null {
  if (!header) return null;
  const m = /^(\w+)\s+(.+)$/.exec(header.trim());
  if (!m) return null;
  const scheme = (m[1] ?? '').toLowerCase();
  const value = (m[2] ?? '').trim();
  if (scheme === 'bearer') return { kind: 'bearer', token: value };
  if (scheme !== 'basic') return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { kind: 'basic', user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
