/**
 * The workspace cache may hold blobs hard-linked to data files (`cairn data
 * add` links instead of copying when it can), so editing a data file in
 * place also changes its cached blob. Before a blob is used, its inode, mtime
 * and size are checked against the hash cache; a blob that moved is hashed
 * again, and one whose content no longer matches its name is dropped, to be
 * fetched again from the server or a remote.
 */
import { rmSync, statSync } from 'node:fs';
import { hashFiles } from './file-hasher.js';
import type { LocalFile } from './scan.js';
import type { Workspace } from './workspace.js';

function blobFile(ws: Workspace, digest: string): LocalFile | null {
  const abs = ws.cache.blobPath(digest);
  try {
    const s = statSync(abs, { bigint: true });
    return { path: digest, abs, size: Number(s.size), mtimeNs: s.mtimeNs, ino: s.ino, dev: s.dev, mode: Number(s.mode & 0o777n) };
  } catch {
    return null;
  }
}

/** Records cached blobs whose content the caller has just verified, so later checks are a stat. */
export function rememberBlobs(ws: Workspace, digests: readonly string[]): void {
  const entries = [];
  for (const digest of digests) {
    const file = blobFile(ws, digest);
    if (file !== null) entries.push({ file, digest });
  }
  ws.hashes.record(entries);
}

/** Removes cached blobs whose content no longer matches their name; returns their digests. */
export async function dropCorruptBlobs(ws: Workspace, digests: readonly string[]): Promise<string[]> {
  const suspects: LocalFile[] = [];
  for (const digest of new Set(digests)) {
    const file = blobFile(ws, digest);
    if (file !== null && ws.hashes.lookup(file) !== digest) suspects.push(file);
  }
  const hashed = await hashFiles(suspects);
  ws.hashes.record(hashed.filter((h) => h.digest === h.file.path));
  const bad = hashed.filter((h) => h.digest !== h.file.path).map((h) => h.file.path);
  for (const d of bad) rmSync(ws.cache.blobPath(d), { force: true });
  return bad;
}
