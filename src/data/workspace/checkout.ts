/**
 * Restores a dataset version on disk exactly: files that differ are
 * written, files the version lacks are removed. Content comes from the
 * workspace cache as a copy-on-write clone (reflink) where the filesystem
 * allows, a hard link when asked, and a copy otherwise.
 *
 * Never half-done: every new file is first staged as a hidden temporary
 * file beside its destination; only when all are staged are they renamed
 * into place (each rename is atomic). Interrupted while staging (Ctrl-C,
 * SIGTERM, an error), the temporary files are removed and the workspace is
 * exactly as before.
 */
import { constants, rmSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { InvalidState } from '../../core/errors.js';
import type { DatasetManifest, ManifestEntry } from '../domain.js';
import { dropCorruptBlobs } from './cache-check.js';
import { snapshot } from './snapshot.js';
import { scanTarget, targetKind, type TargetKind } from './scan.js';
import { forEachLimit } from '../../core/for-each-limit.js';
import type { Workspace } from './workspace.js';

export const LINK_MODES = ['reflink', 'hardlink', 'copy'] as const;
export type LinkMode = (typeof LINK_MODES)[number];
export const isLinkMode = (v: unknown): v is LinkMode => typeof v === 'string' && (LINK_MODES as readonly string[]).includes(v);

export interface CheckoutResult {
  readonly written: number;
  readonly removed: number;
  readonly unchanged: number;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Paths (relative, in manifest terms) → entry, for what is on disk now. */
async function current(ws: Workspace, target: string, kind: TargetKind): Promise<Map<string, { digest: string; mode: number }>> {
  const onDisk = targetKind(target);
  if (onDisk === null) return new Map();
  if (onDisk !== kind) {
    throw new InvalidState(`'${target}' is a ${onDisk} but the version holds a ${kind}; move it away, then check out again`);
  }
  const snap = await snapshot(target, ws.hashes);
  return new Map(snap.files.map(({ file, digest }) => [file.path, { digest, mode: file.mode }]));
}

/**
 * Makes `target` hold exactly `manifest`. Every blob it needs must already be
 * in the workspace cache (see `fetchBlobs`).
 */
export async function checkoutVersion(
  ws: Workspace, target: string, kind: TargetKind, manifest: DatasetManifest, mode: LinkMode = 'reflink',
): Promise<CheckoutResult> {
  const now = await current(ws, target, kind);
  const dest = (e: ManifestEntry) => (kind === 'file' ? target : join(target, ...e.path.split('/')));
  const toWrite = manifest.entries.filter((e) => {
    const c = now.get(e.path);
    return c === undefined || c.digest !== e.digest || (mode !== 'hardlink' && c.mode !== e.mode);
  });
  const wanted = new Set(manifest.entries.map((e) => e.path));
  const toRemove = [...now.keys()].filter((p) => !wanted.has(p));
  await dropCorruptBlobs(ws, toWrite.map((e) => e.digest));
  for (const e of toWrite) {
    if (!(await ws.cache.has(e.digest))) {
      throw new InvalidState(`the content of '${e.path}' (${e.digest.slice(0, 12)}…) is not in the workspace cache; run 'cairn data pull' to fetch it`);
    }
  }

  const staged: { tmp: string; to: string; entry: ManifestEntry }[] = [];
  const cleanup = () => { for (const s of staged) rmSync(s.tmp, { force: true }); };
  const onSignal = () => { cleanup(); process.exit(130); };
  for (const s of STOP_SIGNALS) process.once(s, onSignal);
  try {
    if (kind === 'folder') await mkdir(target, { recursive: true });
    await forEachLimit(toWrite, 16, async (e) => {
      const to = dest(e);
      await mkdir(dirname(to), { recursive: true });
      const tmp = join(dirname(to), `.${basename(to)}.${randomBytes(6).toString('hex')}.cairn-tmp`);
      staged.push({ tmp, to, entry: e });
      await place(ws.cache.blobPath(e.digest), tmp, mode);
      if (mode !== 'hardlink') await chmod(tmp, e.mode);
    });
  } catch (e) {
    cleanup();
    throw e;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
  // Commit: renames are atomic and quick; a signal now waits for them.
  const hold = () => {};
  for (const s of STOP_SIGNALS) process.on(s, hold);
  try {
    for (const s of staged) await rename(s.tmp, s.to);
    for (const p of toRemove) {
      const file = kind === 'file' ? target : join(target, ...p.split('/'));
      await rm(file, { force: true });
      if (kind === 'folder') await pruneEmpty(dirname(file), target);
    }
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, hold);
  }
  // Remember what was just written, so the next status reads nothing.
  const byPath = new Map(manifest.entries.map((e) => [e.path, e.digest]));
  const written = new Set(toWrite.map((e) => e.path));
  ws.hashes.record(scanTarget(target).filter((f) => written.has(f.path)).map((file) => ({ file, digest: byPath.get(file.path)! })));
  return { written: toWrite.length, removed: toRemove.length, unchanged: manifest.entries.length - toWrite.length };
}

async function place(blob: string, tmp: string, mode: LinkMode): Promise<void> {
  if (mode === 'hardlink') {
    try {
      await link(blob, tmp);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw e;
    }
  }
  // COPYFILE_FICLONE: a reflink where the filesystem supports it, a copy where not.
  await copyFile(blob, tmp, mode === 'copy' ? 0 : constants.COPYFILE_FICLONE);
}

/** Removes now-empty folders from `dir` up to (not including) `stop`. */
async function pruneEmpty(dir: string, stop: string): Promise<void> {
  let d = dir;
  while (d.length > stop.length && d.startsWith(stop)) {
    if ((await readdir(d).catch(() => ['x'])).length > 0) return;
    await rmdir(d).catch(() => undefined);
    d = dirname(d);
  }
}
