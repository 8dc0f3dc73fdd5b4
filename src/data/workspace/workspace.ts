/**
 * The local side of datasets: the workspace root (nearest folder up with a
 * `.cairn/` or `.git`), its blob cache `.cairn/cache` (a `LocalBlobStore`
 * that checkouts link or clone from), its hash cache, and the pointer files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { LocalBlobStore } from '../../artifacts/local-blob-store.js';
import { NotFound } from '../../core/errors.js';
import { POINTER_SUFFIX, formatPointer, parsePointer, type Pointer } from '../pointer.js';
import { HashCache } from './hash-cache.js';

export class Workspace {
  readonly cache: LocalBlobStore;
  readonly hashes: HashCache;

  private constructor(readonly root: string) {
    this.cache = new LocalBlobStore(join(root, '.cairn', 'cache'));
    this.hashes = new HashCache(join(root, '.cairn', 'hash-cache.db'));
  }

  /** The workspace containing `cwd`: the nearest ancestor holding `.cairn/` or `.git`, else `cwd` itself. */
  static open(cwd: string): Workspace {
    let dir = resolve(cwd);
    for (;;) {
      if (existsSync(join(dir, '.cairn')) || existsSync(join(dir, '.git'))) return new Workspace(dir);
      const up = dirname(dir);
      if (up === dir) return new Workspace(resolve(cwd));
      dir = up;
    }
  }

  close(): void {
    this.hashes.close();
  }
}

/** The pointer file of a tracked path: `data/` → `data.cairn` beside it. */
export const pointerFileOf = (target: string): string => `${resolve(target).replace(/[\\/]+$/, '')}${POINTER_SUFFIX}`;

/** The data path a pointer file tracks. */
export const targetOf = (pointerFile: string, p: Pointer): string => join(dirname(resolve(pointerFile)), p.path);

export function readPointer(file: string): Pointer {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new NotFound(`no pointer file ${file}; add the data with 'cairn data add ${basename(file, POINTER_SUFFIX)}'`);
  }
  return parsePointer(text, file);
}

/** Writes the pointer through a temporary file and a rename, so it is never half-written. */
export async function writePointer(file: string, p: Pointer): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, formatPointer(p));
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

const SKIP = new Set(['.git', '.cairn', 'node_modules', '.venv', '__pycache__']);

/**
 * Pointer files under `dir` (not inside tracked data folders or hidden tool
 * folders), sorted. `maxDepth` bounds the walk.
 */
export function findPointers(dir: string, maxDepth = 6): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    const pointers = entries.filter((e) => e.isFile() && e.name.endsWith(POINTER_SUFFIX) && e.name.length > POINTER_SUFFIX.length);
    const tracked = new Set(pointers.map((e) => e.name.slice(0, -POINTER_SUFFIX.length)));
    for (const p of pointers) out.push(join(d, p.name));
    if (depth >= maxDepth) return;
    for (const e of entries) {
      if (e.isDirectory() && !SKIP.has(e.name) && !tracked.has(e.name)) walk(join(d, e.name), depth + 1);
    }
  };
  walk(resolve(dir), 0);
  return out.sort();
}
