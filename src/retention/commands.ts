/**
 * `cairn retention apply` and `cairn gc`. Registration only: the actions
 * load when a command runs.
 */
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { examples, parseDuration, parsePositiveInt } from '../cli/options.js';
import { RETENTION_MODES, type RetentionMode } from './retention-rule.js';
import { DEFAULT_ABANDONED_UPLOAD_SECONDS, DEFAULT_GRACE_SECONDS } from './retention-api.js';

export interface RetentionOptions {
  readonly experiment: string;
  readonly keep: number;
  readonly metric: string;
  readonly mode: RetentionMode;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

export interface GcOptions {
  readonly dryRun?: boolean;
  readonly grace: number;
  readonly deletedFor: number;
  readonly abandonedUploads: number;
  readonly json?: boolean;
}

export function registerRetentionCommands(program: Command, ctx: CliContext): void {
  const retention = program.command('retention').description("Keep an experiment's best runs and delete the rest (restorable until `cairn gc`)");
  examples(retention.command('apply')
    .description('Keep the best N runs of an experiment by a metric and delete the others; runs behind a registered model version\n'
      + 'and running runs are always kept. Deleted runs can be restored with `cairn runs restore` until `cairn gc` collects them.')
    .requiredOption('--experiment <id-or-name>', 'the experiment')
    .requiredOption('--keep <n>', 'how many of the best runs to keep', parsePositiveInt)
    .requiredOption('--metric <key>', "the metric to rank by (each run's latest value)")
    .addOption(new Option('--mode <mode>', 'min: lower is better; max: higher is better').choices(RETENTION_MODES).default('min'))
    .option('--dry-run', 'print what would be deleted and delete nothing')
    .option('--json', 'print the report as JSON')
    .action(async (o: RetentionOptions) => (await import('./retention-actions.js')).retentionCommand(ctx, o)),
  'cairn retention apply --experiment churn --keep 5 --metric val_loss --dry-run',
  'cairn retention apply --experiment churn --keep 3 --metric auc --mode max');
  examples(program.command('gc')
    .description("Purge the artifacts of deleted runs, abort multipart uploads abandoned for --abandoned-uploads, and delete blobs that "
      + 'nothing refers to (no run, logged model, dataset version or open multipart upload). Blobs put within the grace period are '
      + 'kept, so uploads in flight are safe. Admin only.')
    .option('--dry-run', 'print what would be purged and deleted, and change nothing')
    .option('--grace <duration>', 'keep blobs put more recently than this (e.g. 30m, 1h, 2d)', parseDuration, DEFAULT_GRACE_SECONDS)
    .option('--deleted-for <duration>', 'only purge runs deleted at least this long ago (default: every deleted run)', parseDuration, 0)
    .option('--abandoned-uploads <duration>', 'abort multipart uploads started this long ago and never completed, freeing their parts', parseDuration, DEFAULT_ABANDONED_UPLOAD_SECONDS)
    .option('--json', 'print the report as JSON')
    .action(async (o: GcOptions) => (await import('./retention-actions.js')).gcCommand(ctx, o)),
  'cairn gc --dry-run', 'cairn gc --grace 2h --deleted-for 7d');
}
