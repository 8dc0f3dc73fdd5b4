/**
 * Who is acting. Every mutating service call receives an Actor; the audit
 * trail records it, and the registry uses it for approvals (an author may not
 * approve their own version).
 *
 * When auth is off (the embedded single-user default) every request acts as
 * LOCAL_ACTOR, which holds the admin role everywhere.
 */
export const ROLES = ['viewer', 'editor', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

/** Roles are ordered: each one can do everything the ones before it can. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** What a role is checked against: a global default, or one experiment or registered model. */
export type Scope =
  | { readonly kind: 'global' }
  | { readonly kind: 'experiment'; readonly id: string }
  | { readonly kind: 'model'; readonly name: string };

export interface Actor {
  /** Stable user id (the users table key), or 'local' in single-user mode. */
  readonly id: string;
  /** Human-readable user name, recorded in the audit trail. */
  readonly name: string;
}

export const LOCAL_ACTOR: Actor = Object.freeze({ id: 'local', name: 'local' });

/**
 * Answers which role an actor holds in a scope. Implemented by the auth slice
 * over its users/roles tables; in single-user mode every answer is 'admin'.
 * Contract: a scope-specific grant wins over the global default; an unknown
 * actor holds no role (null).
 */
export interface RoleResolver {
  roleOf(actor: Actor, scope: Scope): Promise<Role | null>;
}

/** The single-user default: everyone is admin everywhere. */
export const ALL_ADMIN: RoleResolver = { roleOf: async () => 'admin' };
