/**
 * How governance commands reach their data: with `--db`, directly on the
 * database (this is how the first admin is created, before any token
 * exists, and how an auditor verifies the trail without trusting a server);
 * without it, through the server at CAIRN_URL with CAIRN_TOKEN.
 */
import { userInfo } from 'node:os';
import type { Actor } from '../core/actor.js';
import { InvalidState } from '../core/errors.js';
import type { AuthAdminApi } from '../auth/auth-api.js';
import type { WebhookAdminApi } from '../webhooks/webhook-service.js';
import type { Governance } from '../server/governance.js';
import type { CliContext } from './cli-context.js';

export interface DbOption {
  readonly db?: string;
}

export interface AdminApis {
  readonly auth: AuthAdminApi;
  readonly webhooks: WebhookAdminApi;
}

/** The actor recorded for changes made with `--db`: the operating-system user. */
export function cliActor(): Actor {
  let name = 'unknown';
  try { name = userInfo().username; } catch { /* no passwd entry */ }
  return { id: 'cli', name: `cli:${name}` };
}

/** Opens the database named by `--db` (or the configured one), migrating it when empty. */
export async function withGovernanceDb<T>(ctx: CliContext, opts: DbOption, use: (g: Governance) => Promise<T>): Promise<T> {
  const cfg = await ctx.config(opts.db === undefined ? {} : { db: opts.db });
  const [{ openDb }, { migrateIfEmpty, migrationStatus }, { MIGRATIONS }, { createGovernance }, { redactUrl }] = await Promise.all([
    import('../storage/open-db.js'), import('../storage/migration.js'), import('../storage/migrations/index.js'),
    import('../server/governance.js'), import('../config/config.js'),
  ]);
  const db = await openDb(cfg.db);
  try {
    await migrateIfEmpty(db, MIGRATIONS);
    const s = await migrationStatus(db, MIGRATIONS);
    if (s.pending.length > 0) {
      throw new InvalidState(`database ${redactUrl(cfg.db)} is at schema ${s.current} but this Cairn needs ${s.latest}; run 'cairn db upgrade --db ${redactUrl(cfg.db)}'`);
    }
    return await use(createGovernance(db, { authEnabled: true }));
  } finally {
    await db.close();
  }
}

/** User, token and webhook administration: on the database with `--db`, else over HTTP. */
export async function withAdminApis<T>(ctx: CliContext, opts: DbOption, use: (apis: AdminApis) => Promise<T>): Promise<T> {
  if (opts.db !== undefined) {
    return withGovernanceDb(ctx, opts, (g) => use({ auth: g.auth.as(cliActor()), webhooks: g.webhooks.as(cliActor()) }));
  }
  const cfg = await ctx.config();
  const { HttpGovernanceClient } = await import('../client/http-governance-client.js');
  const client = new HttpGovernanceClient({ url: cfg.url, token: cfg.token });
  return use({ auth: client, webhooks: client });
}
