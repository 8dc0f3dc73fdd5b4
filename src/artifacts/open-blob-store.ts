import { fileURLToPath } from 'node:url';
import { InvalidArgument } from '../core/errors.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

/** Settings from configuration that the URL alone does not carry. */
export interface OpenBlobStoreOptions {
  /** S3 endpoint for S3-compatible servers (AWS_ENDPOINT_URL / CAIRN_S3_ENDPOINT_URL); implies path-style URLs. */
  readonly s3Endpoint?: string;
  readonly s3Region?: string;
}

/**
 * Opens the blob store an artifact URL names:
 * - a folder path or `file:///path` → `LocalBlobStore`
 * - `s3://bucket/prefix` → `S3BlobStore` (the AWS SDK is loaded only then)
 *
 * @example
 * await openBlobStore('./mlruns/artifacts')
 * await openBlobStore('s3://ml-bucket/cairn', { s3Endpoint: 'http://127.0.0.1:9000' })
 * @throws InvalidArgument for an empty URL, an unknown scheme or an s3 URL without a bucket.
 */
export async function openBlobStore(url: string, opts: OpenBlobStoreOptions = {}): Promise<BlobStore> {
  if (url.trim() === '') {
    throw new InvalidArgument("artifact store URL is empty; give a folder path, file:///path or s3://bucket/prefix");
  }
  // Two or more letters before '://', so Windows drive letters stay paths.
  const scheme = /^([a-z][a-z0-9+.-]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return new LocalBlobStore(url);
  if (scheme === 'file') return new LocalBlobStore(fileURLToPath(url));
  if (scheme === 's3') {
    const [bucket = '', ...rest] = url.slice('s3://'.length).split('/');
    if (bucket === '') {
      throw new InvalidArgument(`artifact store URL '${url}' names no bucket; write it as s3://bucket/prefix`);
    }
    const { S3BlobStore } = await import('./s3-blob-store.js');
    return new S3BlobStore({
      bucket,
      prefix: rest.join('/'),
      endpoint: opts.s3Endpoint,
      region: opts.s3Region,
      forcePathStyle: opts.s3Endpoint !== undefined ? true : undefined,
    });
  }
  throw new InvalidArgument(
    `artifact store URL '${url}' has the unsupported scheme '${scheme}:'; use a folder path, file:///path or s3://bucket/prefix`,
  );
}
