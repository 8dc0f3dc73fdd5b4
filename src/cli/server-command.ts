/** `cairn server`: start the server, say where it listens, stop cleanly on SIGINT or SIGTERM. */
import { InvalidState } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import type { CliContext } from './cli-context.js';

export interface ServeOptions {
  readonly host?: string;
  readonly port?: number;
  readonly db?: string;
  readonly artifacts?: string;
  readonly auth?: boolean;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export async function serve(ctx: CliContext, opts: ServeOptions): Promise<void> {
  const cfg = await ctx.config(opts);
  const [{ startServer }, { redactUrl }] = await Promise.all([
    import('../server/start-server.js'),
    import('../config/config.js'),
  ]);
  const server = await startServer(cfg).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new InvalidState(`${cfg.host}:${cfg.port} is already in use; stop what listens there or pass another --port`);
    }
    throw e;
  });
  ctx.out.line(`Cairn ${VERSION} listening on ${server.url} (db: ${redactUrl(cfg.db)}, artifacts: ${cfg.artifacts})`);
  if (cfg.auth) ctx.out.note('auth is on: every request needs a token or password (cairn users, cairn tokens)');
  for (const n of server.notices) ctx.out.note(`warning: ${n}`);

  const signal = await new Promise<string>((resolve) => {
    for (const s of STOP_SIGNALS) process.once(s, () => resolve(s));
  });
  ctx.out.note(`${signal}: stopping (send it again to stop at once)`);
  for (const s of STOP_SIGNALS) process.once(s, () => process.exit(130));
  await server.close();
  ctx.out.note('stopped');
}
