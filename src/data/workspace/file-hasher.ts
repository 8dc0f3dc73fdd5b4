/**
 * sha256 of many local files, in parallel on worker threads. Each worker
 * reads with large synchronous reads into one reused buffer (no stream
 * overhead), so one big file hashes at close to `sha256sum`'s speed and many
 * files spread over every core.
 *
 * A file is stat'ed before and after it is read (through its descriptor and
 * by path); if its size, mtime or inode moved, it is read again, up to three
 * times, then refused: a digest never describes bytes that were changing.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidArgument } from '../../core/errors.js';
import type { LocalFile } from './scan.js';

/** What a file looked like when its bytes were hashed. */
export interface HashedFile {
  readonly file: LocalFile;
  readonly digest: string;
}

export interface HashOptions {
  /** Worker threads; default: the machine's available parallelism. */
  readonly workers?: number;
  readonly onProgress?: (files: number, bytes: number) => void;
}

const READ_BUFFER = 4 * 1024 * 1024;
const BATCH_FILES = 256;
const BATCH_BYTES = 64 * 1024 * 1024;

// Plain JavaScript, evaluated in each worker: runs the same from src (tests) and dist.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, fstatSync, statSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buf = Buffer.allocUnsafe(${READ_BUFFER});
const same = (a, b) => a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino && a.dev === b.dev;
function hashOne(abs) {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd;
    try { fd = openSync(abs, 'r'); } catch (e) { return { error: e.code || 'EIO' }; }
    try {
      const before = fstatSync(fd, { bigint: true });
      const h = createHash('sha256');
      let total = 0, n;
      while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) { h.update(n === buf.length ? buf : buf.subarray(0, n)); total += n; }
      const after = fstatSync(fd, { bigint: true });
      let byPath;
      try { byPath = statSync(abs, { bigint: true }); } catch { continue; }
      if (same(before, after) && same(after, byPath) && BigInt(total) === after.size) {
        return { digest: h.digest('hex'), size: total, mtimeNs: String(after.mtimeNs), ino: String(after.ino), dev: String(after.dev) };
      }
    } catch (e) {
      return { error: e.code || 'EIO' };
    } finally {
      closeSync(fd);
    }
  }
  return { error: 'CHANGED' };
}
parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, results: m.files.map(hashOne) }));
`;

interface WorkerResult { digest?: string; size?: number; mtimeNs?: string; ino?: string; dev?: string; error?: string }

function failure(file: LocalFile, code: string): InvalidArgument {
  if (code === 'CHANGED') {
    return new InvalidArgument(`'${file.path}' kept changing while it was being hashed; wait until whatever writes it has finished, then run the command again`);
  }
  if (code === 'EACCES' || code === 'EPERM') return new InvalidArgument(`cannot read '${file.path}' (permission denied); fix its permissions or move it out of the dataset`);
  if (code === 'ENOENT') return new InvalidArgument(`'${file.path}' disappeared while it was being hashed; run the command again`);
  return new InvalidArgument(`cannot read '${file.path}' (${code})`);
}

/**
 * Hashes `files`; resolves with one result per file, in order, each carrying
 * the stat fields as they were while the bytes were read.
 * @throws InvalidArgument naming the first file that was unreadable or kept changing.
 */
export async function hashFiles(files: readonly LocalFile[], opts: HashOptions = {}): Promise<HashedFile[]> {
  if (files.length === 0) return [];
  const totalBytes = files.reduce((s, f) => s + f.size, 0);
  const n = Math.max(1, Math.min(opts.workers ?? availableParallelism(), files.length, Math.ceil(totalBytes / (4 * 1024 * 1024)) || 1));
  const results = new Array<HashedFile>(files.length);
  let next = 0;
  let doneFiles = 0;
  let doneBytes = 0;
  let batchId = 0;
  const batches = new Map<number, number[]>();
  const takeBatch = (): number[] => {
    const idx: number[] = [];
    let bytes = 0;
    while (next < files.length && idx.length < BATCH_FILES && (idx.length === 0 || bytes < BATCH_BYTES)) {
      bytes += files[next]!.size;
      idx.push(next++);
    }
    return idx;
  };
  const workers = Array.from({ length: n }, () => new Worker(WORKER_SOURCE, { eval: true }));
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      const send = () => {
        const idx = takeBatch();
        if (idx.length === 0) return resolve();
        const id = ++batchId;
        batches.set(id, idx);
        w.postMessage({ id, files: idx.map((i) => files[i]!.abs) });
      };
      w.on('error', reject);
      w.on('message', (m: { id: number; results: WorkerResult[] }) => {
        const idx = batches.get(m.id)!;
        batches.delete(m.id);
        for (let k = 0; k < idx.length; k++) {
          const i = idx[k]!;
          const r = m.results[k]!;
          const f = files[i]!;
          if (r.error !== undefined) return reject(failure(f, r.error));
          results[i] = {
            digest: r.digest!,
            file: { ...f, size: r.size!, mtimeNs: BigInt(r.mtimeNs!), ino: BigInt(r.ino!), dev: BigInt(r.dev!) },
          };
          doneFiles++;
          doneBytes += r.size!;
        }
        opts.onProgress?.(doneFiles, doneBytes);
        send();
      });
      send();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
