import type { Readable } from 'node:stream';
import { InvalidArgument, NotFound } from '../core/errors.js';

/** What a put stored: the blob's lowercase hex sha256 and its length in bytes. */
export interface BlobInfo {
  readonly digest: string;
  readonly size: number;
}

/** A stored blob as a listing sees it. */
export interface StoredBlob {
  readonly digest: string;
  readonly size: number;
  /** Epoch milliseconds of the last put of this content (backends may round to the second). */
  readonly modifiedAt: number;
}

/** Body accepted by `BlobStore.put`: any async iterable of bytes, Node Readables included. */
export type BlobBody = AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

export interface PutOptions {
  /** The sha256 the caller expects; a different one rejects the put and stores nothing. */
  readonly expectedDigest?: string;
  /** The length the caller expects; a different one rejects the put and stores nothing. */
  readonly size?: number;
}

/**
 * Content-addressed, immutable blob storage: a blob's name is the sha256 of
 * its bytes, so a name always means the same content.
 *
 * Contract, for every implementation (checked by `describeBlobStoreConformance`):
 * - Idempotent writes. `put` of content that is already stored writes no
 *   second copy and returns the same `BlobInfo`. Puts of the same content may
 *   run concurrently; both succeed and one blob remains.
 * - All or nothing. A blob becomes visible (`has`, `get`, `size`) only once
 *   all its bytes are stored and hashed. A put that fails — the body throws,
 *   the digest or size differs from what the caller expected, the process
 *   dies — leaves no blob and no partial object under the blob's name. The
 *   temporary copy a put writes first is removed on failure (a crash may
 *   leave one behind in the store's temporary area, never under `blobs/`).
 * - Bounded memory. Bodies stream through; neither put nor get holds a whole
 *   blob in memory.
 * - Verified reads. `get` hashes what it streams out; if the stored bytes no
 *   longer match their name, the stream errors with `Internal` ("checksum
 *   mismatch for blob …") after the last byte, so consumers must treat data as
 *   untrusted until the stream ends without error.
 * - Safe names. Every method rejects a digest that is not 64 lowercase hex
 *   characters with `InvalidArgument`, so a digest can never reach a path or
 *   key as `../` or the like.
 * - `delete` is idempotent: deleting a missing blob succeeds. Deleting a blob
 *   while another caller reads it is allowed; what that reader sees depends
 *   on the backend. Reference counting is the caller's job.
 * - Fresh on every put. A put of content that is already stored refreshes
 *   its `modifiedAt`, so a collector that only deletes blobs older than a
 *   grace period never deletes a blob that a caller has just put and is
 *   about to reference (see `src/retention/blob-collector.ts`).
 */
export interface BlobStore {
  /**
   * Streams `body` in, hashing as it goes, and stores it under its sha256 once.
   * @throws InvalidArgument if `expectedDigest` or `size` is given and differs.
   */
  put(body: BlobBody, opts?: PutOptions): Promise<BlobInfo>;
  has(digest: string): Promise<boolean>;
  /**
   * Streams the blob out, verifying its sha256 while streaming.
   * @throws NotFound if no blob has this digest.
   */
  get(digest: string): Promise<Readable>;
  /** @throws NotFound if no blob has this digest. */
  size(digest: string): Promise<number>;
  /** Every stored blob, in no particular order; blobs put or deleted during the listing may or may not appear. */
  list(): AsyncIterable<StoredBlob>;
  /** The blob's size and last put time; undefined when there is no such blob. */
  stat(digest: string): Promise<StoredBlob | undefined>;
  /** Removes the blob; succeeds when it is already gone. */
  delete(digest: string): Promise<void>;
  /** Where the blobs live, for logs and docs: `file:///path` or `s3://bucket/prefix`. */
  readonly url: string;
}

const DIGEST = /^[0-9a-f]{64}$/;

/** True for a lowercase hex sha256, the only form a blob digest takes. */
export const isDigest = (s: unknown): s is string => typeof s === 'string' && DIGEST.test(s);

/** @throws InvalidArgument unless `s` is 64 lowercase hex characters. */
export function assertDigest(s: unknown): asserts s is string {
  if (isDigest(s)) return;
  const shown = typeof s === 'string' ? `'${s.length > 80 ? `${s.slice(0, 80)}…` : s}'` : String(s);
  throw new InvalidArgument(
    `blob digest ${shown} is malformed; a digest is the 64-character lowercase hex sha256 of the content`,
  );
}

/** The NotFound every store throws for a missing blob. */
export const blobNotFound = (digest: string, url: string): NotFound =>
  new NotFound(`blob ${digest} not found in ${url}; check the digest, or upload the content again`, { digest });
