import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeBlobStoreConformance } from '../testing/blob-store-conformance.js';
import { LocalBlobStore } from './local-blob-store.js';

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

const blobPath = (root: string, digest: string): string =>
  join(root, 'blobs', digest.slice(0, 2), digest.slice(2, 4), digest);

describeBlobStoreConformance('LocalBlobStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'cairn-blobs-'));
  return {
    store: new LocalBlobStore(root),
    async corrupt(digest) {
      const bytes = await readFile(blobPath(root, digest));
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      await writeFile(blobPath(root, digest), bytes);
    },
    listBlobs: () => filesUnder(join(root, 'blobs')),
    listTemp: () => filesUnder(join(root, 'tmp')),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe('LocalBlobStore', () => {
  it('lays blobs out as blobs/ab/cd/<digest> and describes itself as a file URL', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cairn-blobs-'));
    try {
      const store = new LocalBlobStore(root);
      const { digest } = await store.put(Readable.from([Buffer.from('layout')]));
      expect(await filesUnder(root)).toEqual([join('blobs', digest.slice(0, 2), digest.slice(2, 4), digest)]);
      expect(store.url).toBe(`file://${root}`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('replaces a damaged copy of a different length on the next put', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cairn-blobs-'));
    try {
      const store = new LocalBlobStore(root);
      const { digest } = await store.put(Readable.from([Buffer.from('truncate me')]));
      await writeFile(blobPath(root, digest), 'trunc');
      await store.put(Readable.from([Buffer.from('truncate me')]));
      expect(await readFile(blobPath(root, digest), 'utf8')).toBe('truncate me');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
