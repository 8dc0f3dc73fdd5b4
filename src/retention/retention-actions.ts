/** The actions behind `cairn retention apply` and `cairn gc`: call the server, print. */
import type { CliContext } from '../cli/cli-context.js';
import { HttpRetentionClient } from '../client/http-retention-client.js';
import { resolveExperiment } from '../tracking/commands.js';
import type { GcOptions, RetentionOptions } from './commands.js';

async function client(ctx: CliContext): Promise<HttpRetentionClient> {
  const cfg = await ctx.config();
  return new HttpRetentionClient({ url: cfg.url, token: cfg.token });
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export async function retentionCommand(ctx: CliContext, o: RetentionOptions): Promise<void> {
  const experiment = await resolveExperiment(await ctx.tracking(), o.experiment);
  const r = await (await client(ctx)).applyRetention({ experimentId: experiment.id, keep: o.keep, metric: o.metric, mode: o.mode, dryRun: o.dryRun === true });
  if (o.json) return ctx.out.json(r);
  const going = r.decisions.filter((d) => !d.keep);
  ctx.out.line(`experiment ${experiment.name}: keep the best ${r.keep} runs by ${r.metric} (${r.mode}); `
    + `${going.length} of ${r.decisions.length} runs ${r.dryRun ? 'would be deleted (dry run)' : 'deleted'}`);
  for (const d of r.decisions) {
    ctx.out.line(`  ${d.keep ? 'keep  ' : r.dryRun ? 'delete' : 'deleted'}  ${d.runId}  ${d.name}  ${r.metric}=${d.value ?? '-'}  ${d.reason}`);
  }
  if (r.dryRun && going.length > 0) ctx.out.line('run it again without --dry-run to delete them');
  else if (!r.dryRun && going.length > 0) ctx.out.line("restore one with 'cairn runs restore ID' until 'cairn gc' collects its artifacts");
}

export async function gcCommand(ctx: CliContext, o: GcOptions): Promise<void> {
  const r = await (await client(ctx)).collectGarbage({ dryRun: o.dryRun === true, graceSeconds: o.grace, deletedForSeconds: o.deletedFor, abandonedUploadSeconds: o.abandonedUploads });
  if (o.json) return ctx.out.json(r);
  const entries = r.purgedRuns.reduce((n, x) => n + x.artifacts, 0);
  ctx.out.line(`${r.dryRun ? 'dry run: would purge' : 'purged'} ${entries} artifact entries of ${r.purgedRuns.length} deleted runs`);
  if (r.abortedUploads.length > 0) {
    ctx.out.line(`${r.dryRun ? 'would abort' : 'aborted'} ${r.abortedUploads.length} abandoned multipart uploads (${r.abortedUploads.reduce((n, u) => n + u.parts, 0)} staged parts)`);
  }
  ctx.out.line(`${r.dryRun ? 'would delete' : 'deleted'} ${r.blobs} unreferenced blobs (${mib(r.bytes)}); `
    + `kept ${r.referenced} referenced and ${r.young} younger than the grace period`);
}
