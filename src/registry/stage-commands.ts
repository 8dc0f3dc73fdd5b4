/** `cairn models transition|approve|reject|rollback|history` and `cairn gate check`. Thin, like every command. */
import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { ExitStatus } from '../cli/cli-error.js';
import { formatTime } from '../cli/format.js';
import { examples } from '../cli/options.js';
import { CairnError } from '../core/errors.js';
import { formatGateReport, type GateReport } from './gate-evaluation.js';
import { registry, stage, userNames, version } from './cli-support.js';
import type { Stage } from './domain.js';

const print = (ctx: CliContext, lines: readonly string[]) => lines.forEach((l) => ctx.out.line(l));

export function registerStageCommands(models: Command, ctx: CliContext): void {
  examples(models.command('transition').description('Move a version to a stage; prints each gate, and refuses while one fails')
    .argument('<name>').argument('<version>', 'version number', version)
    .requiredOption('--to <stage>', 'development, staging, canary, production or archived (MLflow names work too)', stage)
    .option('--reason <text>', 'why; required with --override')
    .option('--override', 'admin only: move past failing gates; recorded with the reason')
    .option('--archive-existing', 'archive the other versions in the target stage')
    .action(async (name: string, v: number, o: { to: Stage; reason?: string; override?: boolean; archiveExisting?: boolean }) => {
      const api = await registry(ctx);
      try {
        const r = await api.transition(name, v, { to: o.to, reason: o.reason, override: o.override, archiveExisting: o.archiveExisting });
        print(ctx, formatGateReport(name, r.report));
        ctx.out.line(`moved ${name} v${v} to ${o.to}${r.report.passed ? '' : ' (override recorded)'}${r.replaced ? `; v${r.replaced.version} is now ${r.replaced.stage}` : ''}`);
      } catch (e) {
        const report = e instanceof CairnError ? (e.details?.report as GateReport | undefined) : undefined;
        if (report) print(ctx, formatGateReport(name, report));
        throw e;
      }
    }), 'cairn models transition churn 3 --to staging', 'cairn models transition churn 3 --to production --override --reason "incident 42 hotfix"');

  for (const [verb, decision] of [['approve', 'approved'], ['reject', 'rejected']] as const) {
    examples(models.command(verb).description(`${verb === 'approve' ? 'Approve' : 'Reject'} moving a version to a stage (approvers only; not the version's author)`)
      .argument('<name>').argument('<version>', 'version number', version)
      .requiredOption('--to <stage>', 'the stage the approval is for', stage)
      .option('--comment <text>', 'a note kept with the decision')
      .action(async (name: string, v: number, o: { to: Stage; comment?: string }) => {
        await (await registry(ctx)).decide(name, v, { to: o.to, decision, comment: o.comment });
        ctx.out.line(`${decision} ${name} v${v} for ${o.to}`);
      }), `cairn models ${verb} churn 3 --to production --comment "checked the eval report"`);
  }

  examples(models.command('rollback').description('Put the previous production version back into production, in one call')
    .argument('<name>')
    .option('--reason <text>', 'why, for the history and audit trail')
    .action(async (name: string, o: { reason?: string }) => {
      const r = await (await registry(ctx)).rollback(name, o.reason);
      ctx.out.line(`rolled back ${name}: v${r.restored.version} is in production${r.replaced ? `, v${r.replaced.version} is now ${r.replaced.stage}` : ''}`);
    }), 'cairn models rollback churn --reason "v4 latency regression"');

  examples(models.command('history').description("A model's (or one version's) stage history")
    .argument('<name>').argument('[version]', 'version number', version)
    .option('--json', 'print JSON')
    .action(async (name: string, v: number | undefined, o: { json?: boolean }) => {
      const items = await (await registry(ctx)).history(name, v);
      if (o.json) return ctx.out.json(items);
      const by = await userNames(ctx, items.map((h) => h.actor));
      for (const h of items) {
        ctx.out.line(`${formatTime(h.at)}  v${h.version}  ${h.from} → ${h.to}  ${h.kind}  by ${by(h.actor)}${h.override ? '  OVERRIDE' : ''}${h.reason ? `  "${h.reason}"` : ''}`);
      }
    }), 'cairn models history churn', 'cairn models history churn 3');
}

export function registerGateCommands(program: Command, ctx: CliContext): void {
  const gate = program.command('gate').description('Check transition gates');
  examples(gate.command('check').description('Print every gate of a transition as PASS or FAIL with its reason; exit 0 when all pass, 1 otherwise')
    .argument('<name>').argument('<version>', 'version number', version)
    .requiredOption('--to <stage>', 'the target stage', stage)
    .option('--json', 'print the report as JSON')
    .action(async (name: string, v: number, o: { to: Stage; json?: boolean }) => {
      const report = await (await registry(ctx)).checkGates(name, v, o.to);
      if (o.json) ctx.out.json(report);
      else print(ctx, formatGateReport(name, report));
      if (!report.passed) throw new ExitStatus(1);
    }), 'cairn gate check churn 3 --to production', 'cairn gate check churn 3 --to production --json');
}
