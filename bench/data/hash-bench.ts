/**
 * Dataset versions: hashing and storing many files and one big file, beside
 * `sha256sum` and `dvc add` on the same data in the same run, and
 * `cairn data status` on 100,000 unchanged files.
 *
 *   bash bench/data/setup.sh && npm run build && node dist/bench/data/hash-bench.js \
 *     [--many-mib 2048] [--files 10000] [--single-mib 1024] [--status-files 100000]
 *
 * All data is random (nothing deduplicates) and read once before timing, so
 * every tool reads from the page cache, and every timed step starts after a
 * `sync`: the figures compare hashing and storing, not earlier steps' writeback.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomFillSync, createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeManifest } from '../../src/data/domain.js';
import { formatPointer } from '../../src/data/pointer.js';
import { hashFiles } from '../../src/data/workspace/file-hasher.js';
import { scanTarget } from '../../src/data/workspace/scan.js';
import { snapshot } from '../../src/data/workspace/snapshot.js';
import { forEachLimit } from '../../src/core/for-each-limit.js';
import { dropCorruptBlobs } from '../../src/data/workspace/cache-check.js';
import { Workspace } from '../../src/data/workspace/workspace.js';
import { printMachine, printTable, writeResult } from '../lib/bench-report.js';
import { startServerProcess } from '../lib/server-process.js';
import { withTempDir } from '../lib/temp-dir.js';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const BIN = join(ROOT, 'bin', 'cairn.js');
const DVC = join(ROOT, '.cairn', 'venv-dvc', 'bin', 'dvc');
const MiB = 1024 * 1024;

const { values: args } = parseArgs({
  options: {
    'many-mib': { type: 'string', default: '2048' },
    files: { type: 'string', default: '10000' },
    'single-mib': { type: 'string', default: '1024' },
    'status-files': { type: 'string', default: '100000' },
  },
});
const manyMiB = Number(args['many-mib']);
const fileCount = Number(args.files);
const singleMiB = Number(args['single-mib']);
const statusFiles = Number(args['status-files']);

interface Figure { readonly what: string; readonly data: string; readonly seconds: number; readonly bytes: number }
const figures: Figure[] = [];
const record = (what: string, data: string, seconds: number, bytes: number) => {
  figures.push({ what, data, seconds, bytes });
  console.error(`  ${what} on ${data}: ${seconds.toFixed(2)} s`);
};

/**
 * Times `fn` after a `sync`, so that no tool pays for writing back what an
 * earlier step (or the data generator) left dirty in the page cache.
 */
async function timed(fn: () => unknown): Promise<number> {
  execFileSync('sync');
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function sh(cmd: string, cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const r = spawnSync('bash', ['-c', cmd], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.toString().slice(-2000)}`);
}

function makeMany(dir: string): void {
  const each = Math.floor((manyMiB * MiB) / fileCount);
  const buf = Buffer.allocUnsafe(each);
  for (let i = 0; i < fileCount; i++) {
    const sub = join(dir, `part-${String(i % 100).padStart(2, '0')}`);
    if (i < 100) mkdirSync(sub, { recursive: true });
    randomFillSync(buf);
    writeFileSync(join(sub, `f${i}.bin`), buf);
  }
}

function makeSingle(file: string): void {
  const fd = openSync(file, 'w');
  const buf = Buffer.allocUnsafe(64 * MiB);
  for (let left = singleMiB * MiB; left > 0; left -= buf.length) {
    randomFillSync(buf);
    writeSync(fd, buf, 0, Math.min(left, buf.length));
  }
  closeSync(fd);
}

/** Reads everything once so every tool starts from the page cache. */
const warm = (path: string, cwd: string) => sh(`find ${JSON.stringify(path)} -type f -print0 | xargs -0 cat > /dev/null`, cwd);

/**
 * What `cairn data add` does locally: hash (empty hash cache), then store every
 * file once in the workspace cache (hard link where possible, as add does).
 */
async function cairnHashAndStore(wsRoot: string, target: string): Promise<void> {
  mkdirSync(join(wsRoot, '.cairn'), { recursive: true });
  const ws = Workspace.open(wsRoot);
  try {
    const snap = await snapshot(target, ws.hashes);
    await dropCorruptBlobs(ws, snap.files.map((f) => f.digest));
    await forEachLimit(snap.files, 16, ({ file, digest }) => ws.cache.importFile(file.abs, digest, file.size, { link: true }));
  } finally {
    ws.close();
  }
}

async function statusFixture(dir: string): Promise<{ ws: string; seconds: number[] }> {
  const ws = join(dir, 'status-ws');
  const data = join(ws, 'small');
  for (let i = 0; i < statusFiles; i++) {
    const sub = join(data, `d${String(i % 1000).padStart(3, '0')}`);
    if (i < 1000) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `r${i}.txt`), `row ${i}\n`);
  }
  mkdirSync(join(ws, '.cairn'), { recursive: true });
  const w = Workspace.open(ws);
  try {
    const snap = await snapshot(data, w.hashes);
    const text = Buffer.from(encodeManifest(snap.manifest));
    const digest = createHash('sha256').update(text).digest('hex');
    await w.cache.put(Readable.from([text]), { expectedDigest: digest });
    const size = snap.files.reduce((s, f) => s + f.file.size, 0);
    writeFileSync(join(ws, 'small.cairn'), formatPointer({ dataset: 'small', version: 1, manifest: digest, path: 'small', kind: 'folder', files: statusFiles, size }));
  } finally {
    w.close();
  }
  const seconds: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t = await timed(() => execFileSync(process.execPath, [BIN, 'data', 'status'], { cwd: ws, env: { ...process.env, CAIRN_URL: 'http://127.0.0.1:9' } }));
    if (i > 0) seconds.push(t); // the first run warms the page cache for the hash cache and stat data
  }
  return { ws, seconds };
}

await withTempDir('data', async (dir) => {
  if (!existsSync(DVC)) throw new Error(`no DVC at ${DVC}; run: bash bench/data/setup.sh`);
  printMachine();
  const repo = join(dir, 'repo');
  const many = join(repo, 'many');
  const single = join(repo, 'single.bin');
  mkdirSync(many, { recursive: true });
  console.error(`generating ${fileCount} files (${manyMiB} MiB) and one ${singleMiB} MiB file…`);
  makeMany(many);
  makeSingle(single);
  warm(repo, dir);
  const manyBytes = manyMiB * MiB;
  const singleBytes = singleMiB * MiB;
  const manyLabel = `${fileCount.toLocaleString('en-US')} files, ${manyMiB} MiB`;
  const singleLabel = `1 file, ${singleMiB} MiB`;
  const cores = availableParallelism();

  // Hashing only.
  record('sha256sum', singleLabel, await timed(() => sh(`sha256sum single.bin`, repo)), singleBytes);
  record('cairn hash (node:crypto, 4 MiB reads)', singleLabel, await timed(() => hashFiles(scanTarget(single))), singleBytes);
  record('sha256sum (one process)', manyLabel, await timed(() => sh(`find many -type f -print0 | xargs -0 sha256sum > /dev/null`, repo)), manyBytes);
  record(`sha256sum (xargs -P ${cores})`, manyLabel, await timed(() => sh(`find many -type f -print0 | xargs -0 -n 256 -P ${cores} sha256sum > /dev/null`, repo)), manyBytes);
  record(`cairn hash (${cores} worker threads)`, manyLabel, await timed(() => hashFiles(scanTarget(many))), manyBytes);

  // Hash and store in the local cache: the work of `dvc add`.
  const dvcEnv = { ...process.env, DVC_NO_ANALYTICS: '1' };
  sh(`${DVC} init --no-scm -q`, repo, dvcEnv);
  record('dvc add', singleLabel, await timed(() => sh(`${DVC} add -q single.bin`, repo, dvcEnv)), singleBytes);
  record('dvc add', manyLabel, await timed(() => sh(`${DVC} add -q many`, repo, dvcEnv)), manyBytes);
  record('cairn hash + store in workspace cache', singleLabel, await timed(() => cairnHashAndStore(join(dir, 'ws-single'), single)), singleBytes);
  record('cairn hash + store in workspace cache', manyLabel, await timed(() => cairnHashAndStore(join(dir, 'ws-many'), many)), manyBytes);

  // The whole command: hash, cache, upload new blobs to a server child's artifact store, record the version.
  const server = await startServerProcess({ db: join(dir, 'server.db'), artifacts: join(dir, 'server-artifacts') });
  try {
    const cliWs = join(dir, 'cli-ws');
    mkdirSync(join(cliWs, '.cairn'), { recursive: true });
    const env = { ...process.env, CAIRN_URL: server.url };
    record('cairn data add (hash, cache, upload to server)', manyLabel,
      await timed(() => execFileSync(process.execPath, [BIN, 'data', 'add', many, '--name', 'many'], { cwd: cliWs, env, stdio: 'ignore' })), manyBytes);
    writeFileSync(join(many, 'part-00', 'f0.bin'), readFileSync(join(many, 'part-00', 'f0.bin')).reverse());
    const out = execFileSync(process.execPath, [BIN, 'data', 'add', many], { cwd: cliWs, env, encoding: 'utf8' });
    console.error(`  after changing 1 file: ${out.trim()}`);
    record('cairn data add after changing 1 file', manyLabel,
      await timed(() => {
        writeFileSync(join(many, 'part-01', 'f1.bin'), readFileSync(join(many, 'part-01', 'f1.bin')).reverse());
        execFileSync(process.execPath, [BIN, 'data', 'add', many], { cwd: cliWs, env, stdio: 'ignore' });
      }), manyBytes);
  } finally {
    await server.stop();
  }

  console.error(`generating ${statusFiles} small files for status…`);
  const status = await statusFixture(dir);
  const statusBest = Math.min(...status.seconds);

  const gb = (f: Figure) => f.bytes / f.seconds / 1e9;
  console.log('');
  printTable(['what', 'data', 'seconds', 'GB/s'], figures.map((f) => [f.what, f.data, f.seconds.toFixed(2), gb(f).toFixed(2)]));
  const find = (what: string, data: string) => figures.find((f) => f.what.startsWith(what) && f.data === data)!;
  const singleRatio = find('sha256sum', singleLabel).seconds / find('cairn hash', singleLabel).seconds;
  const dvcRatio = find('dvc add', manyLabel).seconds / find('cairn hash + store', manyLabel).seconds;
  const dvcRatioSingle = find('dvc add', singleLabel).seconds / find('cairn hash + store', singleLabel).seconds;
  console.log(`\nsingle file: cairn hashes at ${(singleRatio * 100).toFixed(0)}% of sha256sum's throughput (target ≥ 80%)`);
  console.log(`many files: cairn hash + store is ${dvcRatio.toFixed(1)}× faster than dvc add (target ≥ 3×); single file ${dvcRatioSingle.toFixed(1)}×`);
  console.log(`status on ${statusFiles.toLocaleString('en-US')} unchanged files: ${status.seconds.map((s) => s.toFixed(2)).join(', ')} s (whole CLI process; target ≤ 1 s)`);
  const file = writeResult('data', {
    params: { manyMiB, fileCount, singleMiB, statusFiles, dvc: execFileSync(DVC, ['--version'], { encoding: 'utf8' }).trim(), cores },
    figures, singleVsSha256sum: singleRatio, manyVsDvc: dvcRatio, singleVsDvc: dvcRatioSingle, statusSeconds: status.seconds, statusBest,
  });
  console.log(`figures written to ${file}`);
});
