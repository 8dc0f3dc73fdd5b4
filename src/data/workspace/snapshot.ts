/** Scan + hash cache + parallel hashing: what a dataset folder holds right now, as a manifest. */
import { makeManifest, type DatasetManifest } from '../domain.js';
import { hashFiles, type HashOptions } from './file-hasher.js';
import type { HashCache } from './hash-cache.js';
import { scanTarget, targetKind, type LocalFile, type TargetKind } from './scan.js';

export interface Snapshot {
  readonly kind: TargetKind;
  readonly manifest: DatasetManifest;
  /** Every file with its digest, in manifest order. */
  readonly files: readonly { readonly file: LocalFile; readonly digest: string }[];
  /** How many files had to be read (the rest came from the hash cache). */
  readonly hashed: number;
  readonly hashedBytes: number;
}

/**
 * Hashes what `abs` holds, reading only files whose inode, mtime or size the
 * cache does not know, and records the new digests in the cache.
 * Nothing else is written, so a failure leaves no trace.
 */
export async function snapshot(abs: string, cache: HashCache, opts: HashOptions = {}): Promise<Snapshot> {
  const kind = targetKind(abs);
  const local = scanTarget(abs);
  const digests = new Array<string | undefined>(local.length);
  const todo: number[] = [];
  local.forEach((f, i) => {
    digests[i] = cache.lookup(f);
    if (digests[i] === undefined) todo.push(i);
  });
  const hashed = await hashFiles(todo.map((i) => local[i]!), opts);
  const files = local.map((file, i) => ({ file, digest: digests[i] }));
  let hashedBytes = 0;
  todo.forEach((i, k) => {
    const h = hashed[k]!;
    files[i] = { file: { ...h.file, mode: local[i]!.mode }, digest: h.digest };
    hashedBytes += h.file.size;
  });
  cache.record(hashed);
  const done = files as { file: LocalFile; digest: string }[];
  const manifest = makeManifest(done.map(({ file, digest }) => ({ path: file.path, size: file.size, digest, mode: file.mode })));
  return { kind: kind!, manifest, files: done, hashed: todo.length, hashedBytes };
}
