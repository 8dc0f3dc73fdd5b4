import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore, StoredBlob } from '../artifacts/blob-store.js';
import { Internal, InvalidArgument, NotFound } from '../core/errors.js';

/** What a backend's test hands the suite: the store plus a view behind its back. */
export interface BlobStoreHarness {
  readonly store: BlobStore;
  /** Changes the stored bytes of `digest` (keeping its length) without going through the store. */
  corrupt(digest: string): Promise<void>;
  /** Every stored blob object (file or key), to prove dedup and all-or-nothing puts. */
  listBlobs(): Promise<string[]>;
  /** Leftover temporary objects; must be empty whenever no put is running. */
  listTemp(): Promise<string[]>;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

/** Deterministic bytes made on the fly, `chunk` bytes at a time; nothing holds the whole body. */
export async function* generatedBody(totalBytes: number, seed = 1, chunk = MiB): AsyncGenerator<Uint8Array> {
  let state = seed >>> 0 || 1;
  for (let offset = 0; offset < totalBytes; offset += chunk) {
    const buf = Buffer.allocUnsafe(Math.min(chunk, totalBytes - offset));
    for (let i = 0; i + 4 <= buf.length; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      buf.writeUInt32LE(state >>> 0, i);
    }
    buf.fill(seed & 0xff, buf.length - (buf.length % 4));
    yield buf;
  }
}

/** sha256 and length of an async byte source, read to the end. */
export async function digestOf(body: AsyncIterable<Uint8Array>): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const c of body) {
    hash.update(c);
    size += c.length;
  }
  return { digest: hash.digest('hex'), size };
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

const errorOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

const MALFORMED = [
  '',
  '../../etc/passwd',
  `${'a'.repeat(62)}/x`,
  'A'.repeat(64),
  'a'.repeat(63),
  'a'.repeat(65),
  `${'a'.repeat(62)}..`,
  `sha256:${'a'.repeat(64)}`,
];

/**
 * The `BlobStore` contract, run against one backend. Each test gets a fresh
 * harness from `factory` and cleans it up afterwards.
 */
export function describeBlobStoreConformance(name: string, factory: () => Promise<BlobStoreHarness>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let h: BlobStoreHarness;
    let store: BlobStore;
    beforeEach(async () => {
      h = await factory();
      store = h.store;
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('round-trips content and reports its sha256 and size', async () => {
      const info = await store.put(chunksOf('hello ', 'blob ', 'world'));
      expect(info).toEqual({ digest: sha256(Buffer.from('hello blob world')), size: 16 });
      expect(await store.has(info.digest)).toBe(true);
      expect(await store.size(info.digest)).toBe(16);
      expect((await readAll(await store.get(info.digest))).toString()).toBe('hello blob world');
      expect(store.url).toMatch(/^[a-z0-9]+:\/\//);
    });

    it('accepts a Node Readable as the body', async () => {
      const info = await store.put(Readable.from([Buffer.from('from a '), Buffer.from('readable')]));
      expect(info.digest).toBe(sha256(Buffer.from('from a readable')));
      expect((await readAll(await store.get(info.digest))).toString()).toBe('from a readable');
    });

    it('stores the same content once', async () => {
      const first = await store.put(chunksOf('same bytes'));
      const blobsAfterFirst = await h.listBlobs();
      const second = await store.put(chunksOf('same ', 'bytes'));
      expect(second).toEqual(first);
      expect(blobsAfterFirst).toHaveLength(1);
      expect(await h.listBlobs()).toEqual(blobsAfterFirst);
      expect(await h.listTemp()).toEqual([]);
      expect(await store.size(first.digest)).toBe(10);
    });

    it('lets concurrent puts of the same content both succeed, leaving one blob', async () => {
      const infos = await Promise.all([1, 2, 3].map(() => store.put(generatedBody(300_000, 7, 64 * 1024))));
      expect(new Set(infos.map((i) => i.digest)).size).toBe(1);
      expect(await h.listBlobs()).toHaveLength(1);
      expect(await h.listTemp()).toEqual([]);
    });

    it('accepts a matching expectedDigest and size', async () => {
      const digest = sha256(Buffer.from('checked'));
      expect(await store.put(chunksOf('checked'), { expectedDigest: digest, size: 7 })).toEqual({ digest, size: 7 });
    });

    it('rejects an expectedDigest mismatch and stores nothing', async () => {
      const wrong = sha256(Buffer.from('something else'));
      const err = await errorOf(store.put(chunksOf('actual content'), { expectedDigest: wrong }));
      expect(err).toBeInstanceOf(InvalidArgument);
      expect(String(err)).toContain(wrong);
      expect(await store.has(sha256(Buffer.from('actual content')))).toBe(false);
      expect(await store.has(wrong)).toBe(false);
      expect(await h.listBlobs()).toEqual([]);
      expect(await h.listTemp()).toEqual([]);
    });

    it('rejects a size mismatch and stores nothing', async () => {
      await expect(store.put(chunksOf('12345'), { size: 6 })).rejects.toBeInstanceOf(InvalidArgument);
      expect(await h.listBlobs()).toEqual([]);
      expect(await h.listTemp()).toEqual([]);
    });

    it('leaves nothing behind when the body fails midway', async () => {
      const boom = new Error('connection reset by client');
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield* generatedBody(2 * MiB, 3);
        throw boom;
      }
      expect(await errorOf(store.put(failing()))).toBe(boom);
      expect(await h.listBlobs()).toEqual([]);
      expect(await h.listTemp()).toEqual([]);
    });

    it('reports a missing blob as NotFound, and has() as false', async () => {
      const missing = sha256(Buffer.from('never stored'));
      expect(await store.has(missing)).toBe(false);
      await expect(store.get(missing)).rejects.toBeInstanceOf(NotFound);
      await expect(store.size(missing)).rejects.toBeInstanceOf(NotFound);
    });

    it('errors the read stream when the stored bytes were tampered with', async () => {
      const { digest } = await store.put(chunksOf('precious model weights'));
      await h.corrupt(digest);
      const err = await errorOf(readAll(await store.get(digest)));
      expect(err).toBeInstanceOf(Internal);
      expect(String(err)).toContain(`checksum mismatch for blob ${digest}`);
    });

    it('streams a 50 MiB body generated on the fly', async () => {
      const total = 50 * MiB + 12_345;
      const expected = await digestOf(generatedBody(total, 42));
      const info = await store.put(generatedBody(total, 42));
      expect(info).toEqual(expected);
      expect(await store.size(info.digest)).toBe(total);
      expect(await digestOf(await store.get(info.digest))).toEqual(expected);
      expect(await h.listTemp()).toEqual([]);
    });

    it('stores the empty blob', async () => {
      const info = await store.put(chunksOf());
      expect(info).toEqual({ digest: EMPTY_SHA256, size: 0 });
      expect(await store.size(EMPTY_SHA256)).toBe(0);
      expect((await readAll(await store.get(EMPTY_SHA256))).length).toBe(0);
    });

    it('deletes idempotently', async () => {
      const { digest } = await store.put(chunksOf('short-lived'));
      await store.delete(digest);
      expect(await store.has(digest)).toBe(false);
      await expect(store.get(digest)).rejects.toBeInstanceOf(NotFound);
      await store.delete(digest);
      await store.delete(sha256(Buffer.from('never stored')));
      expect(await h.listBlobs()).toEqual([]);
    });

    it('rejects malformed digests everywhere with InvalidArgument', async () => {
      for (const bad of MALFORMED) {
        await expect(store.has(bad), bad).rejects.toBeInstanceOf(InvalidArgument);
        await expect(store.get(bad), bad).rejects.toBeInstanceOf(InvalidArgument);
        await expect(store.size(bad), bad).rejects.toBeInstanceOf(InvalidArgument);
        await expect(store.delete(bad), bad).rejects.toBeInstanceOf(InvalidArgument);
        await expect(store.stat(bad), bad).rejects.toBeInstanceOf(InvalidArgument);
        await expect(store.put(chunksOf('x'), { expectedDigest: bad }), bad).rejects.toBeInstanceOf(InvalidArgument);
      }
      expect(await h.listBlobs()).toEqual([]);
    });

    it('lists every blob with its size and last put time, and stats one', async () => {
      const before = Date.now();
      const a = await store.put(chunksOf('listed a'));
      const b = await store.put(chunksOf('listed bb'));
      const listed: StoredBlob[] = [];
      for await (const x of store.list()) listed.push(x);
      expect(listed.map((x) => x.digest).sort()).toEqual([a.digest, b.digest].sort());
      expect(listed.find((x) => x.digest === b.digest)?.size).toBe(9);
      // Some backends keep whole seconds.
      for (const x of listed) expect(x.modifiedAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(await store.stat(a.digest)).toMatchObject({ digest: a.digest, size: 8 });
      expect(await store.stat(sha256(Buffer.from('never stored')))).toBeUndefined();
    });

    it('refreshes the last put time when content that is already stored is put again', async () => {
      const { digest } = await store.put(chunksOf('put twice'));
      const first = (await store.stat(digest))!.modifiedAt;
      await new Promise((r) => setTimeout(r, 1100));
      await store.put(chunksOf('put twice'));
      expect((await store.stat(digest))!.modifiedAt).toBeGreaterThan(first);
    });
  });
}
