/**
 * The data slice's `TabularDiffHook` over DuckDB: for a modified CSV, TSV or
 * Parquet file in a version diff, both blobs are copied to a temporary folder
 * (DuckDB reads files) and compared for row count and schema.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../../artifacts/index.js';
import type { TabularDiffHook } from '../data-service.js';
import type { ModifiedEntry } from '../domain.js';
import { tabularDiff } from './duckdb/tabular-diff.js';

const TABULAR = /\.(csv|tsv)(\.gz)?$|\.parquet$/i;

export const duckDbTabularDiffHook: TabularDiffHook = {
  handles: (path) => TABULAR.test(path),
  async describe(change: ModifiedEntry, blobs: BlobStore): Promise<unknown> {
    const ext = TABULAR.exec(change.path)?.[0];
    if (ext === undefined) return undefined;
    const dir = await mkdtemp(join(tmpdir(), 'cairn-tabdiff-'));
    try {
      const a = join(dir, `before${ext}`);
      const b = join(dir, `after${ext}`);
      await pipeline(await blobs.get(change.before.digest), createWriteStream(a));
      await pipeline(await blobs.get(change.after.digest), createWriteStream(b));
      return await tabularDiff(a, b);
    } catch (e) {
      // A file that is no longer readable as a table still diffs as a file.
      return { error: e instanceof Error ? e.message : String(e) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
