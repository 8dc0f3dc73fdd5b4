import { randomUUID } from 'node:crypto';
import { constants, createWriteStream, linkSync, mkdirSync } from 'node:fs';
import { copyFile, mkdir, open, opendir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { checkPutOptions, checkReceived, toReadable } from './blob-body.js';
import { InvalidArgument } from '../core/errors.js';
import { assertDigest, blobNotFound, isDigest, type BlobBody, type BlobInfo, type BlobStore, type PutOptions, type StoredBlob } from './blob-store.js';
import { HashStream, VerifyingStream } from './hash-stream.js';

const isMissing = (err: unknown): boolean =>
  err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * A `BlobStore` in a local folder.
 *
 * Layout: `root/blobs/ab/cd/<digest>` (two levels of fan-out keep folders
 * small) and `root/tmp/` for puts in flight. A put streams into
 * `root/tmp/<uuid>` while hashing, fsyncs it, then renames it into place —
 * rename is atomic, so readers see either no blob or the whole blob. Files
 * left in `root/tmp/` by a crashed process are never read and can be deleted
 * at any time when no put is running.
 *
 * @example
 * const store = new LocalBlobStore('/var/lib/cairn/artifacts');
 * const { digest } = await store.put(fs.createReadStream('model.onnx'));
 */
export class LocalBlobStore implements BlobStore {
  readonly url: string;
  readonly #root: string;
  /** Fan-out folders known to exist, so linking many files skips their mkdir. */
  readonly #dirs = new Set<string>();

  constructor(root: string) {
    this.#root = resolve(root);
    this.url = pathToFileURL(this.#root).href;
  }

  async put(body: BlobBody, opts: PutOptions = {}): Promise<BlobInfo> {
    checkPutOptions(opts);
    const source = toReadable(body);
    const tmpDir = join(this.#root, 'tmp');
    const tmp = join(tmpDir, randomUUID());
    try {
      await mkdir(tmpDir, { recursive: true });
      const hash = new HashStream();
      await pipeline(source, hash, createWriteStream(tmp, { flags: 'wx', flush: true }));
      const info: BlobInfo = { digest: hash.digest(), size: hash.bytes };
      checkReceived(info, opts);
      const target = this.#pathOf(info.digest);
      if ((await this.#sizeOrUndefined(target)) === info.size) return await this.#touch(target), info;
      // Absent, or a damaged copy of another length: put the good one in place.
      await mkdir(dirname(target), { recursive: true });
      await rename(tmp, target);
      await syncFolder(dirname(target));
      return info;
    } catch (err) {
      source.destroy();
      throw err;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async has(digest: string): Promise<boolean> {
    assertDigest(digest);
    return (await this.#sizeOrUndefined(this.#pathOf(digest))) !== undefined;
  }

  async get(digest: string): Promise<Readable> {
    assertDigest(digest);
    let file;
    try {
      file = await open(this.#pathOf(digest), 'r');
    } catch (err) {
      if (isMissing(err)) throw blobNotFound(digest, this.url);
      throw err;
    }
    const verify = new VerifyingStream(digest);
    // Errors reach the consumer through `verify`; pipeline closes the file either way.
    pipeline(file.createReadStream(), verify).catch(() => undefined);
    return verify;
  }

  async size(digest: string): Promise<number> {
    assertDigest(digest);
    const size = await this.#sizeOrUndefined(this.#pathOf(digest));
    if (size === undefined) throw blobNotFound(digest, this.url);
    return size;
  }

  async delete(digest: string): Promise<void> {
    assertDigest(digest);
    await rm(this.#pathOf(digest), { force: true });
  }

  async *list(): AsyncIterable<StoredBlob> {
    const root = join(this.#root, 'blobs');
    for (const a of await names(root)) {
      for (const b of await names(join(root, a))) {
        for (const digest of await names(join(root, a, b))) {
          if (!isDigest(digest)) continue;
          const blob = await this.stat(digest);
          if (blob) yield blob;
        }
      }
    }
  }

  async stat(digest: string): Promise<StoredBlob | undefined> {
    assertDigest(digest);
    try {
      const st = await stat(this.#pathOf(digest));
      return { digest, size: st.size, modifiedAt: st.mtimeMs };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  /**
   * Puts a local file whose sha256 the caller has just computed into the
   * store through `tmp/` and an atomic rename: as a copy-on-write clone where
   * the filesystem allows, else a plain copy; or, with `link`, as a hard link
   * (no bytes copied) where the file is on the same filesystem. A hard-linked
   * blob changes if the file is later edited in place, so only a cache whose
   * reader re-checks content (see `src/data/workspace/cache-check.ts`) should
   * ask for it. The digest is the caller's word; the size is checked, and
   * `get` still verifies the content.
   * @throws InvalidArgument when the copy's size is not `size` (the file changed).
   */
  async importFile(file: string, digest: string, size: number, opts: { link?: boolean } = {}): Promise<void> {
    assertDigest(digest);
    const target = this.#pathOf(digest);
    if (opts.link === true) {
      // A hard link is atomic and carries the whole content at once: no temporary copy needed.
      // Synchronous on purpose: one metadata call of ~10 µs, where a round trip through the
      // thread pool costs several times that for each of 100,000 files.
      if (!this.#dirs.has(dirname(target))) {
        mkdirSync(dirname(target), { recursive: true });
        this.#dirs.add(dirname(target));
      }
      try {
        linkSync(file, target);
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return this.#touch(target);
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP') throw e;
      }
    }
    if ((await this.#sizeOrUndefined(target)) === size) return this.#touch(target);
    const tmpDir = join(this.#root, 'tmp');
    const tmp = join(tmpDir, randomUUID());
    try {
      await mkdir(tmpDir, { recursive: true });
      await copyFile(file, tmp, constants.COPYFILE_FICLONE);
      const copied = (await stat(tmp)).size;
      if (copied !== size) throw new InvalidArgument(`'${file}' changed while it was being stored (${copied} bytes, expected ${size}); run the command again`);
      await mkdir(dirname(target), { recursive: true });
      await rename(tmp, target);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** Where the blob `digest` lives on disk (it may not exist): for hard links and clones out of the store. */
  blobPath(digest: string): string {
    assertDigest(digest);
    return this.#pathOf(digest);
  }

  #pathOf(digest: string): string {
    return join(this.#root, 'blobs', digest.slice(0, 2), digest.slice(2, 4), digest);
  }

  /** Marks stored content as just put (the contract's "fresh on every put"). */
  async #touch(path: string): Promise<void> {
    const now = new Date();
    await utimes(path, now, now).catch((err: unknown) => { if (!isMissing(err)) throw err; });
  }

  async #sizeOrUndefined(path: string): Promise<number | undefined> {
    try {
      return (await stat(path)).size;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }
}

/** The entries of a folder; none when it does not exist. */
async function names(folder: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const d of await opendir(folder)) out.push(d.name);
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  return out;
}

/** Makes a rename inside `folder` durable. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
