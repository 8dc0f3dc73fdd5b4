/**
 * The `cairn` command tree. Only commander and small modules load here;
 * every action imports its implementation when it runs, so `cairn --help`
 * never loads the client, the server or a database driver.
 */
import { Command } from 'commander';
import { VERSION } from '../core/version.js';
import { registerTrackingCommands } from '../tracking/commands.js';
import { registerReproCommands } from '../repro/commands.js';
import { registerRegistryCommands } from '../registry/commands.js';
import { registerAuditCommands } from '../audit/commands.js';
import { registerAuthCommands } from '../auth/commands.js';
import { registerWebhookCommands } from '../webhooks/commands.js';
import { registerDataCommands } from '../data/commands.js';
import { registerTabularCommands } from '../data/tabular/commands.js';
import { registerHpoCommands } from '../hpo/commands.js';
import { registerRetentionCommands } from '../retention/commands.js';
import { createCliContext, type CliContext } from './cli-context.js';
import { reportError } from './cli-error.js';
import type { DbOptions } from './db-commands.js';
import { examples, parsePort } from './options.js';
import { processOutput, type Output } from './output.js';
import type { ServeOptions } from './server-command.js';
import type { SyncOptions } from './sync-command.js';

export function buildProgram(out: Output): Command {
  const program = new Command('cairn')
    .description('Cairn: experiment tracking, runs, metrics, artifacts and a model registry for the whole ML lifecycle.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .option('--url <url>', 'server URL for client commands (default: $CAIRN_URL or http://127.0.0.1:5000)')
    .configureOutput({ writeOut: (s) => void out.stdout.write(s), writeErr: (s) => void out.stderr.write(s) })
    .showSuggestionAfterError()
    .exitOverride();
  const ctx = createCliContext(program, out);
  registerServer(program, ctx);
  registerDb(program, ctx);
  registerTrackingCommands(program, ctx);
  registerReproCommands(program, ctx);
  registerRegistryCommands(program, ctx);
  registerDataCommands(program, ctx);
  registerAuthCommands(program, ctx);
  registerWebhookCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerTabularCommands(dataCommand(program), ctx, { datasetReports: () => datasetReportsClient(ctx) });
  registerHpoCommands(program, ctx);
  registerRetentionCommands(program, ctx);
  registerSync(program, ctx);
  examples(program, 'cairn server', 'cairn experiments create churn --tag team=ml', 'cairn runs list --experiment churn', 'cairn run --seed 42 -- python train.py', 'cairn data add data/ --name churn', 'cairn gate check churn 3 --to production');
  return program;
}

/** Runs the CLI on `argv` (as in process.argv) and returns the exit status. */
export async function runCli(argv: readonly string[], out: Output = processOutput()): Promise<number> {
  try {
    await buildProgram(out).parseAsync([...argv]);
    return 0;
  } catch (err) {
    return reportError(err, out);
  }
}

/** The `cairn data` group, created here unless another slice registered it first. */
/** `--record dataset@version` stores reports on the server's dataset version. */
async function datasetReportsClient(ctx: CliContext) {
  const cfg = await ctx.config();
  const { HttpDataClient } = await import('../client/http-data-client.js');
  return new HttpDataClient({ url: cfg.url, token: cfg.token });
}

function dataCommand(program: Command): Command {
  return program.commands.find((c) => c.name() === 'data')
    ?? program.command('data').description('Datasets: profile, validate and compare tabular files');
}

function registerServer(program: Command, ctx: CliContext): void {
  const cmd = program.command('server')
    .summary('Start the Cairn server')
    .description('Start the Cairn server (tracking API and artifact store); stops cleanly on Ctrl-C or SIGTERM.\nAn empty database is migrated; an older one must be upgraded with `cairn db upgrade` first.')
    .option('--host <host>', 'interface to listen on (default: $CAIRN_HOST or 127.0.0.1)')
    .option('--port <port>', 'port to listen on, 0 for any free one (default: $CAIRN_PORT or 5000)', parsePort)
    .option('--db <url>', 'SQLite file or postgres:// URL (default: $CAIRN_DB or $CAIRN_HOME/cairn.db)')
    .option('--artifacts <url>', 'folder or s3://bucket/prefix (default: $CAIRN_ARTIFACTS or $CAIRN_HOME/artifacts)')
    .option('--auth', 'require a token or password on every request and check roles (default: $CAIRN_AUTH, else off)')
    .action(async (o: ServeOptions) => (await import('./server-command.js')).serve(ctx, o));
  examples(cmd, 'cairn server --port 8080', 'cairn server --auth   # after: cairn users create alice --role admin', 'cairn server --host 0.0.0.0 --db postgres://cairn@db/cairn --artifacts s3://ml-bucket/cairn');
}

function registerDb(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('Inspect and upgrade the database schema');
  const dbOption = '--db <url>';
  const dbHelp = 'SQLite file or postgres:// URL (default: $CAIRN_DB or $CAIRN_HOME/cairn.db)';
  examples(db.command('upgrade')
    .description('Apply pending schema migrations, one line per migration applied')
    .option(dbOption, dbHelp)
    .action(async (o: DbOptions) => (await import('./db-commands.js')).dbUpgrade(ctx, o)),
  'cairn db upgrade --db postgres://cairn@db/cairn');
  examples(db.command('status')
    .description('Show the schema version of a database and the migrations it lacks')
    .option(dbOption, dbHelp)
    .option('--json', 'print JSON')
    .action(async (o: DbOptions) => (await import('./db-commands.js')).dbStatus(ctx, o)),
  'cairn db status --db ./cairn.db');
}

function registerSync(program: Command, ctx: CliContext): void {
  const cmd = program.command('sync')
    .description('Upload runs that were logged in offline mode; safe to interrupt and run again')
    .option('--dir <dir>', 'folder of offline runs (default: $CAIRN_HOME/offline)')
    .action(async (o: SyncOptions) => (await import('./sync-command.js')).sync(ctx, o));
  examples(cmd, 'CAIRN_URL=https://cairn.example.com cairn sync');
}
