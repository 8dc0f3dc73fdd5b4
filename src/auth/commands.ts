/**
 * `cairn users` and `cairn tokens`. With `--db` they act on the database
 * directly (bootstrap: `cairn users create alice --role admin --db …`
 * prints alice's first token once); otherwise through the server as the
 * CAIRN_TOKEN holder, who must be an admin.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import type { AdminApis, DbOption } from '../cli/governance-context.js';
import { examples, parsePositiveInt } from '../cli/options.js';
import { formatTime } from '../cli/format.js';
import { renderTable } from '../cli/table.js';
import { formatScope, parseRole, parseScope, type User } from './auth-domain.js';

const DB_HELP = 'act on this database directly instead of the server (SQLite file or postgres:// URL); needed for the first admin';

async function admin<T>(ctx: CliContext, o: DbOption, use: (a: AdminApis) => Promise<T>): Promise<T> {
  return (await import('../cli/governance-context.js')).withAdminApis(ctx, o, use);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const roles = (u: User) => u.grants.map((g) => `${g.role}@${formatScope(g.scope)}`).join(', ');

export function registerAuthCommands(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('Manage users and their roles (viewer < editor < approver < admin), globally or per experiment or model');
  const print = (lines: readonly string[]) => lines.forEach((l) => ctx.out.line(l));

  examples(users.command('create').description("Create a user and print their first API token (shown once)")
    .argument('<name>', 'user name')
    .option('--role <role>', 'global default role: viewer, editor, approver or admin')
    .option('--password-stdin', 'read a password for HTTP Basic auth (MLflow clients) from stdin')
    .option('--db <url>', DB_HELP)
    .option('--json', 'print JSON')
    .action(async (name: string, o: DbOption & { role?: string; passwordStdin?: boolean; json?: boolean }) => {
      const role = o.role === undefined ? undefined : parseRole(o.role);
      const password = o.passwordStdin ? await readStdin() : undefined;
      const created = await admin(ctx, o, (a) => a.auth.createUser({ name, ...(role ? { role } : {}), ...(password ? { password } : {}) }));
      if (o.json) return ctx.out.json(created);
      ctx.out.note(`created user ${name}${role ? ` with role ${role}` : ' (no role yet: grant one with cairn users grant)'}; the token below is shown once`);
      ctx.out.line(created.token);
    }), 'cairn users create alice --role admin --db ~/.cairn/cairn.db   # the first admin', 'cairn users create bob --role viewer');

  examples(users.command('list').description('List users with their roles')
    .option('--db <url>', DB_HELP).option('--json', 'print JSON')
    .action(async (o: DbOption & { json?: boolean }) => {
      const items = await admin(ctx, o, (a) => a.auth.listUsers());
      if (o.json) return ctx.out.json(items);
      print(renderTable(items.map((u) => [u.name, u.disabled ? 'disabled' : 'active', roles(u), formatTime(u.createdAt)]), { header: ['NAME', 'STATE', 'ROLES', 'CREATED'] }));
    }), 'cairn users list');

  examples(users.command('grant').description('Give a user a role, globally (default) or on one experiment or model')
    .argument('<name>', 'user name').argument('<role>', 'viewer, editor, approver or admin')
    .option('--scope <scope>', "'global', 'experiment:<id>' or 'model:<name>'", 'global')
    .option('--db <url>', DB_HELP)
    .action(async (name: string, role: string, o: DbOption & { scope: string }) => {
      const u = await admin(ctx, o, (a) => a.auth.setRole(name, parseScope(o.scope), parseRole(role)));
      ctx.out.line(`${u.name}: ${roles(u)}`);
    }), 'cairn users grant bob editor --scope experiment:123', 'cairn users grant carol approver --scope model:churn');

  examples(users.command('ungrant').description("Remove a user's role in a scope")
    .argument('<name>', 'user name')
    .option('--scope <scope>', "'global', 'experiment:<id>' or 'model:<name>'", 'global')
    .option('--db <url>', DB_HELP)
    .action(async (name: string, o: DbOption & { scope: string }) => {
      const u = await admin(ctx, o, (a) => a.auth.setRole(name, parseScope(o.scope), null));
      ctx.out.line(`${u.name}: ${roles(u) || 'no roles'}`);
    }), 'cairn users ungrant bob --scope experiment:123');

  for (const verb of ['disable', 'enable'] as const) {
    users.command(verb).description(verb === 'disable' ? 'Disable a user: their tokens and password stop working at once' : 'Enable a disabled user')
      .argument('<name>', 'user name').option('--db <url>', DB_HELP)
      .action(async (name: string, o: DbOption) => {
        await admin(ctx, o, (a) => a.auth.setUserDisabled(name, verb === 'disable'));
        ctx.out.line(`${verb}d user ${name}`);
      });
  }

  examples(users.command('passwd').description('Set (or with --clear remove) the password a user gives with HTTP Basic auth')
    .argument('<name>', 'user name')
    .option('--clear', 'remove the password').option('--db <url>', DB_HELP)
    .action(async (name: string, o: DbOption & { clear?: boolean }) => {
      const pw = o.clear ? null : await readStdin();
      await admin(ctx, o, (a) => a.auth.setPassword(name, pw));
      ctx.out.line(pw === null ? `removed the password of ${name}` : `set the password of ${name}`);
    }), "printf '%s' \"$PASSWORD\" | cairn users passwd alice");

  examples(program.command('whoami').description('Show who CAIRN_TOKEN signs in as at CAIRN_URL, and their roles')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const cfg = await ctx.config();
      const { HttpGovernanceClient } = await import('../client/http-governance-client.js');
      const me = await new HttpGovernanceClient({ url: cfg.url, token: cfg.token }).whoami();
      if (o.json) return ctx.out.json(me);
      ctx.out.line(me.user ? `${me.user.name}: ${roles(me.user) || 'no roles yet'}` : `${me.actor.name} (auth is off on ${cfg.url}: everyone acts as admin)`);
    }), 'CAIRN_TOKEN=cairn_… cairn whoami');

  const tokens = program.command('tokens').description('Manage API tokens (stored hashed; a secret is shown only when created)');
  examples(tokens.command('create').description('Create an API token for a user and print it (shown once)')
    .argument('<user>', 'user name')
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--expires-in-days <n>', 'expire after this many days', parsePositiveInt)
    .option('--db <url>', DB_HELP)
    .action(async (user: string, o: DbOption & { name: string; expiresInDays?: number }) => {
      const expiresAt = o.expiresInDays === undefined ? null : Date.now() + o.expiresInDays * 86_400_000;
      const t = await admin(ctx, o, (a) => a.auth.createToken(user, { name: o.name, expiresAt }));
      ctx.out.note(`created token ${t.token.id} for ${user}; the secret below is shown once`);
      ctx.out.line(t.secret);
    }), 'cairn tokens create alice --name ci --expires-in-days 90');
  examples(tokens.command('list').description('List tokens (never their secrets)')
    .option('--user <name>', 'only this user\'s tokens').option('--db <url>', DB_HELP).option('--json', 'print JSON')
    .action(async (o: DbOption & { user?: string; json?: boolean }) => {
      const items = await admin(ctx, o, (a) => a.auth.listTokens(o.user));
      if (o.json) return ctx.out.json(items);
      const state = (t: (typeof items)[number]) => (t.revokedAt !== null ? 'revoked' : t.expiresAt !== null && t.expiresAt <= Date.now() ? 'expired' : 'active');
      const opt = (ms: number | null) => (ms === null ? '' : formatTime(ms));
      print(renderTable(items.map((t) => [t.id, t.userName, t.name, state(t), formatTime(t.createdAt), opt(t.expiresAt), opt(t.lastUsedAt)]),
        { header: ['ID', 'USER', 'NAME', 'STATE', 'CREATED', 'EXPIRES', 'LAST USED'] }));
    }), 'cairn tokens list --user alice');
  examples(tokens.command('revoke').description('Revoke a token; it stops working on the next request')
    .argument('<id>', 'token id (from cairn tokens list)').option('--db <url>', DB_HELP)
    .action(async (id: string, o: DbOption) => {
      await admin(ctx, o, (a) => a.auth.revokeToken(id));
      ctx.out.line(`revoked token ${id}`);
    }), 'cairn tokens revoke 3f2a9c01d4e5b6a7');
}
