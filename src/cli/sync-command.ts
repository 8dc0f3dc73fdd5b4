/** `cairn sync`: upload runs recorded in offline mode, with progress on stderr. */
import { basename } from 'node:path';
import type { CliContext } from './cli-context.js';
import { createProgress } from './progress.js';

export interface SyncOptions {
  readonly dir?: string;
}

export async function sync(ctx: CliContext, opts: SyncOptions): Promise<void> {
  const cfg = await ctx.config();
  const dir = opts.dir ?? cfg.offlineFile;
  const [api, { syncOfflineRuns }] = await Promise.all([ctx.tracking(), import('../sdk/offline-sync.js')]);
  const progress = createProgress(ctx.out.stderr);
  try {
    const r = await syncOfflineRuns({
      api,
      dir,
      onProgress: (e) => progress.update(`synced ${e.done}/${e.total} files (${basename(e.file)})`),
    });
    progress.done();
    ctx.out.line(r.files === 0
      ? `nothing to sync in ${dir}`
      : `synced ${r.runs} runs, ${r.points} metric points from ${r.files} files in ${dir}`);
  } finally {
    progress.done();
  }
}
