/**
 * One contract, every implementation: the same tests run against the
 * DataService over SQLite, over PostgreSQL, and against the HTTP client
 * talking to a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { CairnError } from '../core/errors.js';
import type { DataApi } from '../data/data-api.js';
import { encodeManifest, makeManifest, type ManifestEntry } from '../data/domain.js';
import type { MemoryAuditLog } from './data-harness.js';

export interface DataHarness {
  readonly api: DataApi;
  readonly audit: MemoryAuditLog;
  cleanup(): Promise<void>;
}

async function expectError(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CairnError);
    expect((e as CairnError).code).toBe(code);
    if (pattern) expect((e as CairnError).message).toMatch(pattern);
    return;
  }
  throw new Error(`expected ${code} error, got success`);
}

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
let counter = 0;
const unique = (p: string) => `${p}-${process.pid}-${Date.now()}-${++counter}`;

async function readAll(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** Uploads file contents and their manifest; returns the manifest digest. */
async function upload(api: DataApi, files: Record<string, string>): Promise<string> {
  const entries: ManifestEntry[] = [];
  for (const [path, content] of Object.entries(files)) {
    const bytes = Buffer.from(content);
    const digest = sha(bytes);
    await api.putBlob(digest, bytes);
    entries.push({ path, size: bytes.length, digest, mode: 0o644 });
  }
  const text = Buffer.from(encodeManifest(makeManifest(entries)));
  const digest = sha(text);
  await api.putBlob(digest, text);
  return digest;
}

export function describeDataConformance(name: string, factory: () => Promise<DataHarness>): void {
  describe(`data conformance: ${name}`, () => {
    let h: DataHarness;
    let api: DataApi;
    beforeAll(async () => {
      h = await factory();
      api = h.api;
    });
    afterAll(async () => h?.cleanup());

    it('creates, gets and lists datasets; names are checked', async () => {
      const n = unique('ds');
      const ds = await api.createDataset(n, 'churn data');
      expect(ds).toMatchObject({ name: n, description: 'churn data', latestVersion: 0, tags: {} });
      expect((await api.getDataset(n)).name).toBe(n);
      expect((await api.listDatasets()).map((d) => d.name)).toContain(n);
      await expectError(api.createDataset(n), 'ALREADY_EXISTS', /already exists/);
      await expectError(api.createDataset('bad name!'), 'INVALID_ARGUMENT', /dataset name/);
      await expectError(api.getDataset(unique('nope')), 'NOT_FOUND', /not found/);
      expect(h.audit.entries.some((e) => e.action === 'dataset.create' && e.targetId === n)).toBe(true);
    });

    it('stores blobs by content, verifies them, and answers which are missing', async () => {
      const bytes = Buffer.from(unique('blob'));
      const d = sha(bytes);
      const absent = sha(unique('absent'));
      expect(await api.missingBlobs([d, absent])).toEqual([d, absent]);
      await expectError(api.putBlob(d, Buffer.from('other content')), 'INVALID_ARGUMENT', /hashes to/);
      expect(await api.missingBlobs([d])).toEqual([d]);
      await api.putBlob(d, bytes);
      await api.putBlob(d, bytes); // idempotent
      expect(await api.missingBlobs([d, absent])).toEqual([absent]);
      expect((await readAll(await api.openBlob(d))).equals(bytes)).toBe(true);
      await expectError(api.openBlob(absent), 'NOT_FOUND');
      await expectError(api.missingBlobs(['../etc/passwd']), 'INVALID_ARGUMENT');
    });

    it('records versions from uploaded manifests, idempotently, only when every blob is stored', async () => {
      const n = unique('ds');
      const m1 = await upload(api, { 'a.txt': 'A', 'sub/b.txt': 'B' });
      const v1 = await api.addVersion(n, { manifestDigest: m1, message: 'first' });
      expect(v1.created).toBe(true);
      expect(v1.version).toMatchObject({ dataset: n, version: 1, manifestDigest: m1, fileCount: 2, totalSize: 2, message: 'first' });
      const again = await api.addVersion(n, { manifestDigest: m1 });
      expect(again).toMatchObject({ created: false, version: { version: 1 } });
      const m2 = await upload(api, { 'a.txt': 'A2', 'c.txt': 'C' });
      expect((await api.addVersion(n, { manifestDigest: m2 })).version.version).toBe(2);
      expect((await api.getVersion(n, 'latest')).version).toBe(2);
      expect((await api.getVersion(n, '1')).manifestDigest).toBe(m1);
      expect((await api.listVersions(n)).map((v) => v.version)).toEqual([1, 2]);
      expect((await api.getDataset(n)).latestVersion).toBe(2);
      await expectError(api.getVersion(n, '9'), 'NOT_FOUND', /no version 9/);

      await expectError(api.addVersion(n, { manifestDigest: sha(unique('no-manifest')) }), 'INVALID_STATE', /manifest blob/);
      const fileDigest = sha(unique('never uploaded'));
      const text = Buffer.from(encodeManifest(makeManifest([{ path: 'x', size: 3, digest: fileDigest, mode: 0o644 }])));
      await api.putBlob(sha(text), text);
      await expectError(api.addVersion(n, { manifestDigest: sha(text) }), 'INVALID_STATE', /not in the artifact store/);
      expect((await api.getDataset(n)).latestVersion).toBe(2);
      expect(h.audit.entries.filter((e) => e.action === 'dataset_version.create' && e.targetId.startsWith(`${n}/`))).toHaveLength(2);
    });

    it('numbers concurrent versions densely', async () => {
      const n = unique('ds');
      const manifests = await Promise.all([1, 2, 3, 4].map((i) => upload(api, { 'f.txt': `${n}-${i}` })));
      const got = await Promise.all(manifests.map((m) => api.addVersion(n, { manifestDigest: m })));
      expect(got.map((g) => g.version.version).sort()).toEqual([1, 2, 3, 4]);
    });

    it('tags versions and resolves tags; moving a tag is audited', async () => {
      const n = unique('ds');
      await api.addVersion(n, { manifestDigest: await upload(api, { 'a': '1' }) });
      await api.addVersion(n, { manifestDigest: await upload(api, { 'a': '2' }) });
      expect((await api.tagVersion(n, 'v2.3', '1')).tags).toEqual(['v2.3']);
      expect((await api.getVersion(n, 'v2.3')).version).toBe(1);
      await api.tagVersion(n, 'v2.3', 'latest');
      expect((await api.getVersion(n, 'v2.3')).version).toBe(2);
      expect((await api.getDataset(n)).tags).toEqual({ 'v2.3': 2 });
      await expectError(api.tagVersion(n, '42', '1'), 'INVALID_ARGUMENT', /tag/);
      await expectError(api.getVersion(n, 'nope'), 'NOT_FOUND', /no tag/);
      const moves = h.audit.entries.filter((e) => e.action === 'dataset_tag.set' && e.targetId === `${n}/v2.3`);
      expect(moves.at(-1)).toMatchObject({ before: { version: 1 }, after: { version: 2 } });
    });

    it('diffs two versions', async () => {
      const n = unique('ds');
      await api.addVersion(n, { manifestDigest: await upload(api, { 'keep': 'k', 'change': 'old', 'gone': 'g' }) });
      await api.addVersion(n, { manifestDigest: await upload(api, { 'keep': 'k', 'change': 'new', 'fresh': 'f' }) });
      const d = await api.diffVersions(n, '1', '2');
      expect(d).toMatchObject({ dataset: n, from: 1, to: 2, unchanged: 1 });
      expect(d.added.map((e) => e.path)).toEqual(['fresh']);
      expect(d.removed.map((e) => e.path)).toEqual(['gone']);
      expect(d.modified.map((e) => e.path)).toEqual(['change']);
      expect(d.modified[0]!.after.digest).toBe(sha('new'));
    });

    it('records reports per version and kind and finds the validated version', async () => {
      const n = unique('ds');
      await api.addVersion(n, { manifestDigest: await upload(api, { 'a': '1' }) });
      await api.addVersion(n, { manifestDigest: await upload(api, { 'a': '2' }) });
      expect(await api.validatedVersion(n)).toBeNull();
      expect(await api.getReport(n, '1', 'validation')).toBeNull();
      await api.recordReport(n, '1', 'validation', false, { failed: ['x'] });
      await api.recordReport(n, '1', 'validation', true, { checks: 3 });
      await api.recordReport(n, '2', 'profile', null, { rows: 10 });
      expect(await api.getReport(n, '1', 'validation')).toMatchObject({ dataset: n, version: '1', kind: 'validation', passed: true, body: { checks: 3 } });
      expect((await api.getReport(n, 'latest', 'profile'))?.body).toEqual({ rows: 10 });
      expect(await api.validatedVersion(n)).toBe(1);
      await expectError(api.recordReport(n, '7', 'profile', null, {}), 'NOT_FOUND');
    });
  });
}
