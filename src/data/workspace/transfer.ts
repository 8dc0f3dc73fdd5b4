/**
 * Moving blobs between the workspace cache and a peer (the Cairn server, a
 * remote folder, an S3 bucket): only the missing ones, several at a time.
 * Every blob lands atomically under its digest, so an interrupted transfer
 * resumes where it stopped when run again.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { BlobStore } from '../../artifacts/blob-store.js';
import { CairnError, InvalidState } from '../../core/errors.js';
import type { DataApi } from '../data-api.js';
import type { Workspace } from './workspace.js';
import { rememberBlobs } from './cache-check.js';
import { forEachLimit } from '../../core/for-each-limit.js';

/** Where blobs can go and come from. */
export interface BlobPeer {
  /** For messages: the server URL or the remote's URL. */
  readonly label: string;
  missing(digests: readonly string[]): Promise<string[]>;
  upload(digest: string, file: string, size: number): Promise<void>;
  download(digest: string): Promise<AsyncIterable<Uint8Array>>;
}

export const TRANSFER_CONCURRENCY = 8;

/** The Cairn server's artifact store, through the blob endpoints. */
export function serverPeer(api: DataApi, url: string): BlobPeer {
  return {
    label: url,
    missing: (d) => api.missingBlobs(d),
    upload: (digest, file, size) => api.putBlob(digest, createReadStream(file), size),
    download: (digest) => api.openBlob(digest),
  };
}

/** A remote blob store (folder or S3), used directly. */
export function storePeer(store: BlobStore): BlobPeer {
  return {
    label: store.url,
    async missing(digests) {
      const present = new Array<boolean>(digests.length);
      await forEachLimit(digests.map((d, i) => [d, i] as const), 32, async ([d, i]) => { present[i] = await store.has(d); });
      return digests.filter((_, i) => !present[i]);
    },
    upload: async (digest, file, size) => { await store.put(createReadStream(file), { expectedDigest: digest, size }); },
    download: (digest) => store.get(digest),
  };
}

export interface TransferResult {
  readonly blobs: number;
  readonly bytes: number;
  /** Blobs the other side already had. */
  readonly skipped: number;
}

export type TransferProgress = (done: number, total: number, bytes: number) => void;

/** Uploads those of `digests` the peer lacks, from the workspace cache. */
export async function pushBlobs(ws: Workspace, peer: BlobPeer, digests: readonly string[], onProgress?: TransferProgress): Promise<TransferResult> {
  const unique = [...new Set(digests)];
  const missing = await peer.missing(unique);
  let done = 0;
  let bytes = 0;
  await forEachLimit(missing, TRANSFER_CONCURRENCY, async (d) => {
    const file = ws.cache.blobPath(d);
    const size = await stat(file).then((s) => s.size, () => {
      throw new InvalidState(`blob ${d} is not in this workspace's cache (${ws.root}/.cairn/cache); pull it first or add the data again`);
    });
    await peer.upload(d, file, size);
    done++;
    bytes += size;
    onProgress?.(done, missing.length, bytes);
  });
  return { blobs: missing.length, bytes, skipped: unique.length - missing.length };
}

/**
 * Downloads those of `digests` the workspace cache lacks. Each blob is
 * hashed on arrival; one whose bytes do not match its name is refused and
 * nothing is stored for it.
 */
export async function fetchBlobs(ws: Workspace, peer: BlobPeer, digests: readonly string[], onProgress?: TransferProgress): Promise<TransferResult> {
  const unique = [...new Set(digests)];
  const present = new Array<boolean>(unique.length);
  await forEachLimit(unique.map((d, i) => [d, i] as const), 32, async ([d, i]) => { present[i] = await ws.cache.has(d); });
  const missing = unique.filter((_, i) => !present[i]);
  let failed = false;
  let done = 0;
  let bytes = 0;
  await forEachLimit(missing, TRANSFER_CONCURRENCY, async (d) => {
    let info;
    try {
      info = await ws.cache.put(await peer.download(d), { expectedDigest: d });
    } catch (e) {
      failed = true;
      if (e instanceof CairnError && e.code === 'NOT_FOUND') {
        throw new InvalidState(`blob ${d} is not in ${peer.label}; push it there from a workspace that has it`);
      }
      if (e instanceof CairnError && /checksum mismatch|hashes to/.test(e.message)) {
        throw new InvalidState(`blob ${d} in ${peer.label} is corrupt (checksum mismatch); it was refused and nothing was stored — push a good copy there again`);
      }
      throw e;
    }
    done++;
    bytes += info.size;
    if (!failed) onProgress?.(done, missing.length, bytes);
  });
  rememberBlobs(ws, missing);
  return { blobs: missing.length, bytes, skipped: unique.length - missing.length };
}
