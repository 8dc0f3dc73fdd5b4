import type { BlobInfo, BlobStore } from './blob-store.js';

/** Stores bytes given whole or as a stream, streaming them into the blob store. */
export function putBytes(blobs: BlobStore, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<BlobInfo> {
  const source = body instanceof Uint8Array ? (async function* () { yield body; })() : body;
  return blobs.put(source);
}
