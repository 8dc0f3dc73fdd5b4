/** The workspace side on real files: hash cache, bad input, exact and atomic checkout, verified transfers. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../artifacts/local-blob-store.js';
import { manifestDigests } from '../domain.js';
import { checkoutVersion } from './checkout.js';
import { hashFiles } from './file-hasher.js';
import { scanTarget } from './scan.js';
import { snapshot } from './snapshot.js';
import { fetchBlobs, pushBlobs, storePeer } from './transfer.js';
import { Workspace } from './workspace.js';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

async function listAll(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('workspace', () => {
  let root: string;
  let ws: Workspace;
  let data: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'cairn-ws-'));
    await mkdir(join(root, '.cairn'));
    ws = Workspace.open(root);
    data = join(root, 'data');
    await mkdir(join(data, 'sub'), { recursive: true });
    await writeFile(join(data, 'a.txt'), 'alpha');
    await writeFile(join(data, 'sub', 'b.txt'), 'beta');
    await writeFile(join(data, 'run.sh'), '#!/bin/sh\n');
    await chmod(join(data, 'run.sh'), 0o755);
  });
  afterAll(async () => {
    ws.close();
    await rm(root, { recursive: true, force: true });
  });

  it('hashes like sha256sum, then reads only what changed (hash cache on inode, mtime, size)', async () => {
    const first = await snapshot(data, ws.hashes);
    expect(first.hashed).toBe(3);
    const plain = 0o666 & ~process.umask();
    expect(first.manifest.entries.map((e) => [e.path, e.digest, e.mode])).toEqual([
      ['a.txt', sha('alpha'), plain], ['run.sh', sha('#!/bin/sh\n'), 0o755], ['sub/b.txt', sha('beta'), plain],
    ]);
    expect((await snapshot(data, ws.hashes)).hashed).toBe(0);
    await writeFile(join(data, 'a.txt'), 'alpha, edited');
    const again = await snapshot(data, ws.hashes);
    expect(again.hashed).toBe(1);
    expect(again.manifest.entries[0]!.digest).toBe(sha('alpha, edited'));
    expect(Workspace.open(join(data, 'sub')).root).toBe(root);
  });

  it('hashes a large file in one pass and many files in parallel', async () => {
    const big = Buffer.alloc(9 * 1024 * 1024 + 7, 7);
    await writeFile(join(root, 'big.bin'), big);
    const [h] = await hashFiles(scanTarget(join(root, 'big.bin')));
    expect(h!.digest).toBe(sha(big));
    const many = await hashFiles(scanTarget(data), { workers: 2 });
    expect(many.map((m) => m.digest)).toContain(sha('beta'));
  });

  it('follows symlinks inside the dataset and refuses those that leave it', async () => {
    const d = join(root, 'links');
    await mkdir(d);
    await writeFile(join(d, 'real.txt'), 'real');
    await symlink('real.txt', join(d, 'alias.txt'));
    expect((await snapshot(d, ws.hashes)).manifest.entries.map((e) => [e.path, e.digest])).toEqual([
      ['alias.txt', sha('real')], ['real.txt', sha('real')],
    ]);
    await symlink(join(root, 'big.bin'), join(d, 'escape'));
    await expect(snapshot(d, ws.hashes)).rejects.toThrow(/symlink 'escape' points outside the dataset/);
  });

  it('refuses a file that keeps changing while it is hashed', async () => {
    const file = join(root, 'growing.log');
    await writeFile(file, Buffer.alloc(64 * 1024 * 1024));
    const writer = spawn(process.execPath, ['-e', `const fs=require('fs');setInterval(()=>fs.appendFileSync(${JSON.stringify(file)},'x'),1)`], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      await expect(hashFiles(scanTarget(file))).rejects.toThrow(/'growing.log' kept changing while it was being hashed/);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('never counts a killed checkout\'s staged temporary files as data', async () => {
    const d = join(root, 'staged');
    await mkdir(d);
    await writeFile(join(d, 'x.csv'), 'x');
    await writeFile(join(d, '.x.csv.0123456789ab.cairn-tmp'), 'half');
    expect(scanTarget(d).map((f) => f.path)).toEqual(['x.csv']);
  });

  it('names a file that vanished or cannot be read, and writes nothing', async () => {
    const d = join(root, 'vanish');
    await mkdir(d);
    await writeFile(join(d, 'x'), 'x');
    const files = scanTarget(d);
    await unlink(join(d, 'x'));
    await expect(hashFiles(files)).rejects.toThrow(/'x' disappeared while it was being hashed/);
  });

  it('checks out exactly and atomically, removing extras, from the cache', async () => {
    const snap = await snapshot(data, ws.hashes);
    for (const { file, digest } of snap.files) await ws.cache.importFile(file.abs, digest, file.size);
    await writeFile(join(data, 'a.txt'), 'scribbled');
    await writeFile(join(data, 'sub', 'extra.txt'), 'extra');
    await rm(join(data, 'run.sh'));
    const r = await checkoutVersion(ws, data, 'folder', snap.manifest);
    expect(r).toEqual({ written: 2, removed: 1, unchanged: 1 });
    expect(await listAll(data)).toEqual(['a.txt', 'run.sh', 'sub/b.txt']);
    expect(await readFile(join(data, 'a.txt'), 'utf8')).toBe('alpha, edited');
    expect((await stat(join(data, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect((await snapshot(data, ws.hashes)).hashed).toBe(0);

    // A version whose content is not cached fails before touching anything.
    const missing = { format: 1 as const, entries: [...snap.manifest.entries, { path: 'zz.txt', size: 1, digest: sha('not cached'), mode: 0o644 }] };
    await writeFile(join(data, 'a.txt'), 'local edit');
    await expect(checkoutVersion(ws, data, 'folder', missing)).rejects.toThrow(/'zz.txt'.*not in the workspace cache/);
    expect(await listAll(data)).toEqual(['a.txt', 'run.sh', 'sub/b.txt']);
    expect(await readFile(join(data, 'a.txt'), 'utf8')).toBe('local edit');

    const linked = await checkoutVersion(ws, data, 'folder', snap.manifest, 'hardlink');
    expect(linked.written).toBe(1);
    expect((await stat(join(data, 'a.txt'))).ino).toBe((await stat(ws.cache.blobPath(snap.manifest.entries[0]!.digest))).ino);
  });

  it('catches a cached blob edited in place through its hard link, and drops it', async () => {
    const d = join(root, 'linked');
    await mkdir(d);
    await writeFile(join(d, 'x.csv'), 'original');
    const snap = await snapshot(d, ws.hashes);
    const { file, digest } = snap.files[0]!;
    await ws.cache.importFile(file.abs, digest, file.size, { link: true });
    expect((await stat(ws.cache.blobPath(digest))).ino).toBe((await stat(file.abs)).ino);
    await writeFile(join(d, 'x.csv'), 'edited!!'); // same size, same inode: the cached blob changed too
    await expect(checkoutVersion(ws, d, 'folder', snap.manifest)).rejects.toThrow(/'x.csv'.*not in the workspace cache; run 'cairn data pull'/);
    expect(await ws.cache.has(digest)).toBe(false);
    expect(await readFile(join(d, 'x.csv'), 'utf8')).toBe('edited!!');
  });

  it('pushes only missing blobs to a remote and refuses a corrupt one on pull', async () => {
    const snap = await snapshot(data, ws.hashes);
    const digests = manifestDigests(snap.manifest);
    const remote = new LocalBlobStore(join(root, 'remote'));
    const first = await pushBlobs(ws, storePeer(remote), digests);
    expect(first).toMatchObject({ blobs: 3, skipped: 0 });
    expect(await pushBlobs(ws, storePeer(remote), digests)).toMatchObject({ blobs: 0, skipped: 3 });

    const root2 = await mkdtemp(join(tmpdir(), 'cairn-ws2-'));
    await mkdir(join(root2, '.cairn'));
    const ws2 = Workspace.open(root2);
    try {
      const victim = digests[0]!;
      await writeFile(remote.blobPath(victim), 'tampered bytes');
      await expect(fetchBlobs(ws2, storePeer(remote), digests)).rejects.toThrow(new RegExp(`blob ${victim} in .* is corrupt \\(checksum mismatch\\)`));
      expect(await ws2.cache.has(victim)).toBe(false);
      await rm(remote.blobPath(victim));
      await remote.put(Readable.from([await readFile(ws.cache.blobPath(victim))]));
      const r = await fetchBlobs(ws2, storePeer(remote), digests);
      expect(r.blobs).toBeGreaterThan(0);
      await checkoutVersion(ws2, join(root2, 'data'), 'folder', snap.manifest);
      expect(await listAll(join(root2, 'data'))).toEqual(['a.txt', 'run.sh', 'sub/b.txt']);
    } finally {
      ws2.close();
      await rm(root2, { recursive: true, force: true });
    }
  });
});
