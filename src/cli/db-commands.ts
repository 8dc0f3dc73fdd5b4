/** `cairn db upgrade` and `cairn db status`: schema migrations, run explicitly. */
import type { CliContext } from './cli-context.js';
import { renderTable } from './table.js';
import type { Db } from '../storage/db.js';

export interface DbOptions {
  readonly db?: string;
  readonly json?: boolean;
}

const label = (m: { version: number; name: string }) => `${String(m.version).padStart(4, '0')} ${m.name}`;

async function withDb<T>(ctx: CliContext, opts: DbOptions, use: (db: Db, shown: string) => Promise<T>): Promise<T> {
  const cfg = await ctx.config(opts.db === undefined ? {} : { db: opts.db });
  const [{ openDb }, { redactUrl }] = await Promise.all([import('../storage/open-db.js'), import('../config/config.js')]);
  const db = await openDb(cfg.db);
  try {
    return await use(db, redactUrl(cfg.db));
  } finally {
    await db.close();
  }
}

/** Applies pending migrations, one line each; safe to run from several processes at once. */
export async function dbUpgrade(ctx: CliContext, opts: DbOptions): Promise<void> {
  const [{ migrate, migrationStatus }, { MIGRATIONS }] = await Promise.all([
    import('../storage/migration.js'),
    import('../storage/migrations/index.js'),
  ]);
  await withDb(ctx, opts, async (db, shown) => {
    const applied = await migrate(db, MIGRATIONS);
    const { current } = await migrationStatus(db, MIGRATIONS);
    if (applied.length === 0) return ctx.out.line(`${shown} is already at schema ${current}`);
    for (const m of applied) ctx.out.line(`applied migration ${label(m)}`);
    ctx.out.line(`${shown} is now at schema ${current}`);
  });
}

export async function dbStatus(ctx: CliContext, opts: DbOptions): Promise<void> {
  const [{ migrationStatus }, { MIGRATIONS }] = await Promise.all([
    import('../storage/migration.js'),
    import('../storage/migrations/index.js'),
  ]);
  await withDb(ctx, opts, async (db, shown) => {
    const s = await migrationStatus(db, MIGRATIONS);
    if (opts.json) {
      return ctx.out.json({ database: shown, current: s.current, latest: s.latest, pending: s.pending.map(({ version, name }) => ({ version, name })) });
    }
    const pending = s.pending.length === 0 ? 'none' : `${s.pending.map(label).join(', ')}; run 'cairn db upgrade'`;
    for (const l of renderTable([['database', shown], ['schema', `${s.current} (latest ${s.latest})`], ['pending', pending]])) {
      ctx.out.line(l);
    }
  });
}
