/** `cairn webhooks add|list|remove|deliveries`: subscriptions to registry and policy events. */
import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import type { AdminApis, DbOption } from '../cli/governance-context.js';
import { collect, examples } from '../cli/options.js';
import { formatTime } from '../cli/format.js';
import { renderTable } from '../cli/table.js';
import { WEBHOOK_EVENTS } from './webhook-notifier.js';

const DB_HELP = 'act on this database directly instead of the server';

async function admin<T>(ctx: CliContext, o: DbOption, use: (a: AdminApis) => Promise<T>): Promise<T> {
  return (await import('../cli/governance-context.js')).withAdminApis(ctx, o, use);
}

export function registerWebhookCommands(program: Command, ctx: CliContext): void {
  const cmd = program.command('webhooks').description('Send signed HTTP callbacks on model versions, transitions, rollbacks and policy changes');
  const print = (lines: readonly string[]) => lines.forEach((l) => ctx.out.line(l));
  examples(cmd.command('add').description(`Subscribe a URL; prints the HMAC signing secret once. Events: ${WEBHOOK_EVENTS.join(', ')}`)
    .argument('<url>', 'http(s) URL that receives POSTs')
    .requiredOption('--event <event>', 'an event to send (repeatable)', collect)
    .option('--secret <secret>', 'signing secret to use (default: generated)')
    .option('--db <url>', DB_HELP)
    .action(async (url: string, o: DbOption & { event: string[]; secret?: string }) => {
      const added = await admin(ctx, o, (a) => a.webhooks.addWebhook({ url, events: o.event, ...(o.secret ? { secret: o.secret } : {}) }));
      ctx.out.note(`added webhook ${added.webhook.id} for ${added.webhook.events.join(', ')}; verify the Cairn-Signature header with the secret below (shown once)`);
      ctx.out.line(added.secret);
    }), 'cairn webhooks add https://ci.example.com/hook --event transition.approved --event rollback');
  examples(cmd.command('list').description('List webhook subscriptions')
    .option('--db <url>', DB_HELP).option('--json', 'print JSON')
    .action(async (o: DbOption & { json?: boolean }) => {
      const items = await admin(ctx, o, (a) => a.webhooks.listWebhooks());
      if (o.json) return ctx.out.json(items);
      print(renderTable(items.map((h) => [h.id, h.url, h.events.join(','), formatTime(h.createdAt)]), { header: ['ID', 'URL', 'EVENTS', 'CREATED'] }));
    }), 'cairn webhooks list');
  examples(cmd.command('remove').description('Remove a subscription; its pending deliveries are dropped')
    .argument('<id>', 'webhook id').option('--db <url>', DB_HELP)
    .action(async (id: string, o: DbOption) => {
      await admin(ctx, o, (a) => a.webhooks.removeWebhook(id));
      ctx.out.line(`removed webhook ${id}`);
    }), 'cairn webhooks remove 9c1e4f2a7b3d5e60');
  examples(cmd.command('deliveries').description('Recent deliveries of a webhook: status, attempts, last error')
    .argument('<id>', 'webhook id').option('--db <url>', DB_HELP).option('--json', 'print JSON')
    .action(async (id: string, o: DbOption & { json?: boolean }) => {
      const items = await admin(ctx, o, (a) => a.webhooks.listDeliveries(id));
      if (o.json) return ctx.out.json(items);
      print(renderTable(items.map((d) => [d.id, d.event, d.status, String(d.attempts), formatTime(d.createdAt), d.lastError ?? '']),
        { header: ['ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'CREATED', 'LAST ERROR'] }));
    }), 'cairn webhooks deliveries 9c1e4f2a7b3d5e60');
}
