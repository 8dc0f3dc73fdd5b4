/**
 * The services opened straight over the shared store (the database and
 * artifact store the servers use) instead of through a server: how
 * `cairn worker --db` joins a study, the way Optuna's workers share one RDB
 * storage. Every write is audited exactly as a server request would be,
 * acting as the owner of CAIRN_TOKEN.
 *
 * Who may do this: anyone holding the database credentials can already
 * write every row, so the token is not a security boundary here. It names
 * the actor in the audit trail and is checked against that user's roles, so
 * a worker records and is refused what the same user would be through a
 * server. A database without users (the single-user default) acts as
 * `local`.
 */
import { openBlobStore } from '../artifacts/index.js';
import { AuditedTrackingApi } from '../audit/audited-tracking-api.js';
import type { CairnConfig } from '../config/config.js';
import { redactUrl } from '../config/config.js';
import { ALL_ADMIN, LOCAL_ACTOR, roleAtLeast, type Actor, type Role, type RoleResolver, type Scope } from '../core/actor.js';
import { PermissionDenied, Unauthenticated } from '../core/errors.js';
import type { StudyApi } from '../hpo/study-api.js';
import { requireCurrentSchema } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { openDb } from '../storage/open-db.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { formatScope } from '../auth/auth-domain.js';
import { createGovernance } from './governance.js';
import { createServices } from './services.js';

export interface DirectServices {
  /** Tracking, audited as `actor`. */
  readonly tracking: TrackingApi;
  /** Studies and trials, audited as `actor`; trial runs go through `tracking`. */
  readonly hpo: StudyApi;
  readonly actor: Actor;
  /** Throws PermissionDenied, with the grant that fixes it, unless `actor` holds `role` in `scope`. */
  requireRole(scope: Scope, role: Role): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database named by `cfg.db` and the artifact store named by `cfg.artifacts`, and resolves the actor from `cfg.token`. */
export async function openDirectServices(cfg: CairnConfig): Promise<DirectServices> {
  const db = await openDb(cfg.db);
  try {
    await requireCurrentSchema(db, MIGRATIONS, redactUrl(cfg.db));
    const blobs = await openBlobStore(cfg.artifacts, { s3Endpoint: cfg.s3Endpoint, s3Region: cfg.s3Region });
    // Users' grants decide roles whenever a token names a user; webhooks are the servers' to dispatch.
    const governance = createGovernance(db, { authEnabled: true });
    const { actor, roles } = await resolveActor(cfg, governance.auth);
    const services = createServices(db, blobs, { ...governance, roles });
    const tracking = new AuditedTrackingApi(services.tracking, governance.audit, actor);
    return {
      tracking,
      hpo: services.hpo.as(tracking, actor, governance.audit),
      actor,
      async requireRole(scope, role) {
        const have = await roles.roleOf(actor, scope);
        if (have !== null && roleAtLeast(have, role)) return;
        const where = formatScope(scope);
        throw new PermissionDenied(`user '${actor.name}' has ${have === null ? 'no role' : `role ${have}`} in scope ${where} and needs ${role}; `
          + `ask an admin: cairn users grant ${actor.name} ${role} --scope ${where}`);
      },
      close: () => db.close(),
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}

async function resolveActor(
  cfg: CairnConfig,
  auth: { authenticate(header: string): Promise<Actor | null>; hasNoUsers(): Promise<boolean> } & RoleResolver,
): Promise<{ actor: Actor; roles: RoleResolver }> {
  if (cfg.token !== null) {
    const actor = await auth.authenticate(`Bearer ${cfg.token}`);
    if (!actor) throw new Unauthenticated(`CAIRN_TOKEN is not a live token in ${redactUrl(cfg.db)} (unknown, revoked or expired); create one with 'cairn tokens create'`);
    return { actor, roles: auth };
  }
  if (!(await auth.hasNoUsers())) {
    throw new Unauthenticated(`database ${redactUrl(cfg.db)} has users; set CAIRN_TOKEN to one of your tokens so this process's writes are recorded as you`);
  }
  return { actor: LOCAL_ACTOR, roles: ALL_ADMIN };
}
