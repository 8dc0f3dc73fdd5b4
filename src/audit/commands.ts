/**
 * `cairn audit verify` and `cairn audit export`. Both read the database
 * directly (`--db`, default the configured one), so an auditor checks the
 * trail without trusting a running server.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import type { DbOption } from '../cli/governance-context.js';
import { examples } from '../cli/options.js';
import { InvalidArgument } from '../core/errors.js';
import type { AuditFilter } from './audit-log.js';

const DB_HELP = 'SQLite file or postgres:// URL (default: $CAIRN_DB or $CAIRN_HOME/cairn.db)';

/** `--target kind:id` (the id may hold colons), `--actor`, `--action` as a filter. */
function auditFilter(o: { target?: string; actor?: string; action?: string }): AuditFilter {
  let target: AuditFilter = {};
  if (o.target !== undefined) {
    const i = o.target.indexOf(':');
    if (i <= 0 || i === o.target.length - 1) throw new InvalidArgument(`--target must be kind:id, e.g. run:<run id> or model_version:churn/3; got '${o.target}'`);
    target = { targetType: o.target.slice(0, i), targetId: o.target.slice(i + 1) };
  }
  return { ...target, ...(o.actor === undefined ? {} : { actor: o.actor }), ...(o.action === undefined ? {} : { action: o.action }) };
}

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const cmd = program.command('audit').description('Check and export the hash-chained audit trail of every change');
  examples(cmd.command('verify')
    .description('Recompute the hash chain; exit 1 naming the first edited, deleted or reordered entry')
    .option('--db <url>', DB_HELP)
    .option('--expect-head <hash>', 'also fail unless the last entry has this hash (detects a truncated tail)')
    .action(async (o: DbOption & { expectHead?: string }) => {
      const { withGovernanceDb } = await import('../cli/governance-context.js');
      const r = await withGovernanceDb(ctx, o, (g) => g.audit.verify());
      if (!r.ok) throw new Error(`audit trail broken at seq ${r.badSeq}: ${r.problem} (${r.count} entries before it verified)`);
      if (o.expectHead !== undefined && r.headHash !== o.expectHead) {
        throw new Error(`audit trail head is seq ${r.headSeq} with hash ${r.headHash}, not the expected ${o.expectHead}: entries after it were removed or the trail was rewritten`);
      }
      ctx.out.line(`audit trail OK: ${r.count} entries, head seq ${r.headSeq} hash ${r.headHash}`);
    }), 'cairn audit verify --db postgres://cairn@db/cairn', 'cairn audit verify --expect-head <hash from an earlier run>');
  examples(cmd.command('export')
    .description('Write entries as JSON lines (seq, time, actor, action, target, before, after, hashes), oldest first')
    .option('--db <url>', DB_HELP)
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--target <kind:id>', "only entries on one target, e.g. run:<id>, model_version:churn/3, trial:<study>/<n>")
    .option('--actor <name>', 'only entries by this user')
    .option('--action <action>', 'only this action, e.g. model_version.transition')
    .action(async (o: DbOption & { out?: string; target?: string; actor?: string; action?: string }) => {
      const filter = auditFilter(o);
      const [{ withGovernanceDb }, { toAuditEntry }, { createWriteStream }] = await Promise.all([
        import('../cli/governance-context.js'), import('./sql-audit-log.js'), import('node:fs'),
      ]);
      const sink: NodeJS.WritableStream = o.out ? createWriteStream(o.out) : ctx.out.stdout;
      let n = 0;
      await withGovernanceDb(ctx, o, async (g) => {
        for await (const e of g.audit.entries(1000, filter)) {
          if (!sink.write(`${JSON.stringify(toAuditEntry(e))}\n`)) await new Promise<void>((r) => sink.once('drain', () => r()));
          n++;
        }
      });
      if (o.out) await new Promise<void>((ok) => sink.end(() => ok()));
      ctx.out.note(`exported ${n} audit entries${o.out ? ` to ${o.out}` : ''}`);
    }), 'cairn audit export --out audit.jsonl', 'cairn audit export --target model_version:churn/3', 'cairn audit export --target trial:lr-search/12 --actor ana');
}
