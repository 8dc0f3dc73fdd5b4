/**
 * The `(owner, logical path) → digest` index of artifacts, written once for
 * every owner table (a run's `artifacts`, a logged model's
 * `logged_model_artifacts`). Bytes live in the blob store; `blobs` records
 * each digest once, however many owners hold it.
 */
import type { Db } from '../storage/db.js';
import type { ArtifactEntry } from './domain.js';
import type { StoredArtifact } from './tracking-store.js';

export class SqlArtifactIndex {
  /** `table` has columns `(<owner>, path, digest, size, created_at)` keyed by `(<owner>, path)`. */
  constructor(private readonly db: Db, private readonly table: string, private readonly owner: string) {}

  async put(ownerId: string, a: StoredArtifact, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('INSERT INTO blobs (digest, size, created_at) VALUES (?, ?, ?) ON CONFLICT (digest) DO NOTHING', [a.digest, a.size, now]);
      await tx.run(
        `INSERT INTO ${this.table} (${this.owner}, path, digest, size, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (${this.owner}, path) DO UPDATE SET digest = excluded.digest, size = excluded.size, created_at = excluded.created_at`,
        [ownerId, a.path, a.digest, a.size, now]);
    });
  }

  async get(ownerId: string, path: string): Promise<StoredArtifact | undefined> {
    const row = await this.db.get<StoredArtifact>(`SELECT path, digest, size FROM ${this.table} WHERE ${this.owner} = ? AND path = ?`, [ownerId, path]);
    return row ? { path: row.path, digest: row.digest, size: Number(row.size) } : undefined;
  }

  /** Direct children of `dir` ('' for the root): files, and folders once each. */
  async list(ownerId: string, dir: string): Promise<ArtifactEntry[]> {
    const prefix = dir === '' ? '' : `${dir}/`;
    // A range instead of LIKE, so '%' and '_' in names are plain characters.
    const rows = await this.db.all<StoredArtifact>(
      `SELECT path, digest, size FROM ${this.table} WHERE ${this.owner} = ? AND path >= ? AND path < ? ORDER BY path`,
      [ownerId, prefix, prefix === '' ? '\u{10FFFF}' : `${dir}0`]);
    const out = new Map<string, ArtifactEntry>();
    for (const r of rows) {
      const rest = r.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) out.set(r.path, { path: r.path, isDir: false, size: Number(r.size), digest: r.digest });
      else {
        const sub = prefix + rest.slice(0, slash);
        if (!out.has(sub)) out.set(sub, { path: sub, isDir: true, size: null, digest: null });
      }
    }
    return [...out.values()];
  }

  /** Removes the entry at `path` and every entry under `path/` ('' for all); returns how many. */
  async remove(ownerId: string, path: string): Promise<number> {
    if (path === '') return (await this.db.run(`DELETE FROM ${this.table} WHERE ${this.owner} = ?`, [ownerId])).changes;
    const r = await this.db.run(`DELETE FROM ${this.table} WHERE ${this.owner} = ? AND (path = ? OR (path >= ? AND path < ?))`,
      [ownerId, path, `${path}/`, `${path}0`]);
    return r.changes;
  }
}
