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
  const seen: string[] = [];
  beforeAll(async () => {
    dir = await tempDir();
    db = new SqliteDb(join(dir, 'cairn.db'));
    await migrate(db, MIGRATIONS);
    const hook: TabularDiffHook = {
      async describe(change, blobs) {
        seen.push(change.path);
        if (!change.path.endsWith('.csv')) return undefined;
        const rows = async (d: string) => {
          let text = '';
          for await (const c of await blobs.get(d)) text += Buffer.from(c as Uint8Array).toString();
          return text.trim().split('\n').length - 1;
        };
        return { rowsBefore: await rows(change.before.digest), rowsAfter: await rows(change.after.digest) };
      },
    };
    svc = new DataService({ store: new SqlDataStore(db), blobs: new LocalBlobStore(join(dir, 'blobs')), audit: NO_AUDIT, tabularDiff: hook });
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
    expect(seen.sort()).toEqual(['a.csv', 'notes.txt']);
    expect(d.modified.find((m) => m.path === 'a.csv')?.tabular).toEqual({ rowsBefore: 1, rowsAfter: 2 });
    expect(d.modified.find((m) => m.path === 'notes.txt')).not.toHaveProperty('tabular');
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
