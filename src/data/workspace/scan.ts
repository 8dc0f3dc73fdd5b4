/**
 * Lists the files of a dataset on disk with the stat fields the hash cache
 * keys on. Synchronous on purpose: a CLI walking 100,000 files spends its time
 * in stat calls, and the sync calls avoid a promise per file.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { basename, relative, sep } from 'node:path';
import { InvalidArgument, NotFound } from '../../core/errors.js';

export interface LocalFile {
  /** Relative POSIX path inside the dataset (the base name for a single-file dataset). */
  readonly path: string;
  readonly abs: string;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
  readonly dev: bigint;
  /** Permission bits. */
  readonly mode: number;
}

export type TargetKind = 'file' | 'folder';

/** Folders never part of a dataset: Cairn's own state and version-control metadata. */
const SKIP_DIRS = new Set(['.cairn', '.git', '.dvc']);
/** Checkout stages files as `.<name>.<random>.cairn-tmp` (see checkout.ts); they are never data. */
const STAGED = /^\..+\.[0-9a-f]{12}\.cairn-tmp$/;

const errnoMessage = (e: unknown, what: string): InvalidArgument => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return new InvalidArgument(`cannot read ${what} (permission denied); fix its permissions or move it out of the dataset`);
  return new InvalidArgument(`cannot read ${what} (${code ?? (e as Error).message})`);
};

/** What a path names: a file, a folder, or nothing. */
export function targetKind(abs: string): TargetKind | null {
  try {
    const s = statSync(abs);
    if (s.isDirectory()) return 'folder';
    if (s.isFile()) return 'file';
    throw new InvalidArgument(`'${abs}' is neither a file nor a folder`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Lists every regular file under `abs` (or `abs` itself when it is a file),
 * sorted by path. A symlink is followed when it resolves to a file inside
 * the dataset and refused otherwise.
 * @throws NotFound when `abs` does not exist; InvalidArgument for an unreadable folder or a symlink leaving the dataset.
 */
export function scanTarget(abs: string): LocalFile[] {
  const kind = targetKind(abs);
  if (kind === null) throw new NotFound(`'${abs}' does not exist; check the path`);
  if (kind === 'file') return [toLocal(basename(abs), abs, statSync(abs, { bigint: true }))];
  const root = realpathSync(abs);
  const out: LocalFile[] = [];
  const walk = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw errnoMessage(e, `folder '${dir}'`);
    }
    for (const d of entries) {
      const full = `${dir}${sep}${d.name}`;
      const path = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) {
        if (!SKIP_DIRS.has(d.name)) walk(full, path);
      } else if (d.isFile()) {
        if (STAGED.test(d.name)) continue; // a checkout's temporary file, left by a killed process
        out.push(toLocal(path, full, lstatSync(full, { bigint: true })));
      } else if (d.isSymbolicLink()) {
        out.push(followLink(root, path, full));
      }
    }
  };
  walk(abs, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function followLink(root: string, path: string, full: string): LocalFile {
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    throw new InvalidArgument(`symlink '${path}' is broken; remove it or point it at a file inside the dataset`);
  }
  const inside = relative(root, real);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep) || /^[a-zA-Z]:/.test(inside)) {
    throw new InvalidArgument(`symlink '${path}' points outside the dataset (to ${real}); copy the file in or remove the link`);
  }
  const s = statSync(full, { bigint: true });
  if (!s.isFile()) throw new InvalidArgument(`symlink '${path}' points to a folder; datasets follow links to files only`);
  return toLocal(path, full, s);
}

function toLocal(path: string, abs: string, s: BigIntStats): LocalFile {
  return { path, abs, size: Number(s.size), mtimeNs: s.mtimeNs, ino: s.ino, dev: s.dev, mode: Number(s.mode & 0o777n) };
}
