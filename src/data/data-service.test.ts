/** DataService rules that the HTTP contract does not show: the tabular diff hook, and the validated-version check built on it. */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../artifacts/local-blob-store.js';
import { NO_AUDIT } from '../audit/audit-log.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { tempDir } from '../testing/tracking-harness.js';
import { DataService, type TabularDiffHook } from './data-service.js';
import { encodeManifest, makeManifest } from './domain.js';
import { SqlDataStore } from './sql-data-store.js';
import { ValidatedVersionCheck } from './validated-version-check.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('DataService tabular diff hook', () => {
  let dir: string;
  let db: SqliteDb;
  let svc: DataService;
  let store: SqlDataStore;
  let blobs: LocalBlobStore;
  const seen: string[] = [];
  beforeAll(async () => {
    dir = await tempDir();
    db = new SqliteDb(join(dir, 'cairn.db'));
    await migrate(db, MIGRATIONS);
    const hook: TabularDiffHook = {
      handles: (path) => path.endsWith('.csv'),
      async describe(change, blobs) {
        seen.push(change.path);
        const rows = async (d: string) => {
          let text = '';
          for await (const c of await blobs.get(d)) text += Buffer.from(c as Uint8Array).toString();
          return text.trim().split('\n').length - 1;
        };
        return { rowsBefore: await rows(change.before.digest), rowsAfter: await rows(change.after.digest) };
      },
    };
    store = new SqlDataStore(db);
    blobs = new LocalBlobStore(join(dir, 'blobs'));
    svc = new DataService({ store, blobs, audit: NO_AUDIT, tabularDiff: hook });
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function version(files: Record<string, string>): Promise<void> {
    const entries = [];
    for (const [path, text] of Object.entries(files)) {
      const b = Buffer.from(text);
      await svc.putBlob(sha(b), b);
      entries.push({ path, size: b.length, digest: sha(b), mode: 0o644 });
    }
    const m = Buffer.from(encodeManifest(makeManifest(entries)));
    await svc.putBlob(sha(m), m);
    await svc.addVersion('t', { manifestDigest: sha(m) });
  }

  it('lets the tabular engines describe modified tabular files', async () => {
    await version({ 'a.csv': 'id\n1\n', 'notes.txt': 'x' });
    await version({ 'a.csv': 'id\n1\n2\n', 'notes.txt': 'y' });
    const d = await svc.diffVersions('t', '1', '2');
    expect(seen).toEqual(['a.csv']);
    expect(d.modified.find((m) => m.path === 'a.csv')?.tabular).toEqual({ rowsBefore: 1, rowsAfter: 2 });
    expect(d.modified.find((m) => m.path === 'notes.txt')).not.toHaveProperty('tabular');
  });

  it('describes at most `concurrency` files at once and skips files over `maxBytes`, saying so', async () => {
    let running = 0;
    let most = 0;
    const limited = new DataService({
      store, blobs, audit: NO_AUDIT, tabularDiffLimits: { concurrency: 2, maxBytes: 12 },
      tabularDiff: {
        handles: (path) => path.endsWith('.csv'),
        async describe() {
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
          return { rows: 1 };
        },
      },
    });
    const files = (v: string) => Object.fromEntries([...'abcdef'].map((k) => [`${k}.csv`, `id\n${v}\n`]));
    await version({ ...files('1'), 'big.csv': 'id\n1\n' });
    await version({ ...files('2'), 'big.csv': 'id\n1\n2\n3\n4\n5\n' });
    const d = await limited.diffVersions('t', 'latest', String((await svc.getVersion('t', 'latest')).version - 1));
    expect(most).toBe(2);
    expect(d.modified.filter((m) => m.path !== 'big.csv').map((m) => m.tabular)).toEqual(Array(6).fill({ rows: 1 }));
    expect(d.modified.find((m) => m.path === 'big.csv')?.tabular).toEqual({
      skipped: "over the 12-byte limit for tabular diffs; compare the two files with 'cairn data diff-table'",
    });
  });

  it('flags evaluation on a version other than the validated one, by number or tag, skipping unknown datasets', async () => {
    const check = new ValidatedVersionCheck(svc);
    const eval2 = [{ dataset: 't', version: '2' }];
    expect(await check.flagsFor(eval2)).toEqual([{ ...eval2[0], message: expect.stringMatching(/no version of t passed validation/) }]);
    await svc.recordReport('t', '1', 'validation', true, {});
    await svc.tagVersion('t', 'gold', '1');
    expect(await check.flagsFor(eval2)).toEqual([{
      dataset: 't', version: '2', message: 'evaluated on t@2, but the validated version is t@1; evaluate on @1 or validate @2',
    }]);
    expect(await check.flagsFor([{ dataset: 't', version: '1' }, { dataset: 't', version: 'gold' }, { dataset: 'elsewhere', version: '3' }])).toEqual([]);
  });
});
