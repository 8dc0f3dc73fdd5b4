import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgument } from '../core/errors.js';
import { LocalBlobStore } from './local-blob-store.js';
import { openBlobStore } from './open-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

describe('openBlobStore', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cairn-open-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens a folder path as a LocalBlobStore', async () => {
    const store = await openBlobStore(root);
    expect(store).toBeInstanceOf(LocalBlobStore);
    expect(store.url).toBe(pathToFileURL(root).href);
  });

  it('resolves a relative folder against the working folder', async () => {
    const store = await openBlobStore('some/relative/dir');
    expect(store.url).toBe(pathToFileURL(resolve('some/relative/dir')).href);
  });

  it('opens a file:// URL as a LocalBlobStore', async () => {
    const store = await openBlobStore(pathToFileURL(join(root, 'a b')).href);
    expect(store).toBeInstanceOf(LocalBlobStore);
    expect(store.url).toBe(pathToFileURL(join(root, 'a b')).href);
    const { digest } = await store.put((async function* () { yield Buffer.from('x'); })());
    expect(await store.has(digest)).toBe(true);
  });

  it('opens s3://bucket/prefix as an S3BlobStore without contacting S3', async () => {
    const store = await openBlobStore('s3://ml-bucket/team/cairn/', { s3Endpoint: 'http://127.0.0.1:1', s3Region: 'eu-west-1' });
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store.url).toBe('s3://ml-bucket/team/cairn');
    expect((await openBlobStore('s3://ml-bucket')).url).toBe('s3://ml-bucket');
  });

  it('rejects an empty URL, an s3 URL without a bucket, and unknown schemes', async () => {
    await expect(openBlobStore('')).rejects.toThrow(InvalidArgument);
    await expect(openBlobStore('s3:///prefix')).rejects.toThrow(/names no bucket/);
    await expect(openBlobStore('gs://bucket/x')).rejects.toThrow(/unsupported scheme 'gs:'/);
  });
});
