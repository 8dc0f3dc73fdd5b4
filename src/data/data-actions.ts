/** `cairn data add|status|checkout|push|pull`: the workspace side of datasets. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { CliContext } from '../cli/cli-context.js';
import { formatBytes } from '../cli/format.js';
import { createProgress, type Progress } from '../cli/progress.js';
import { InvalidArgument, NotFound } from '../core/errors.js';
import type { CheckoutOptions, StatusOptions, TransferOptions, AddOptions } from './commands.js';
import type { DataApi } from './data-api.js';
import { diffManifests, encodeManifest, manifestDigests, parseDatasetRef } from './domain.js';
import { POINTER_SUFFIX, type Pointer } from './pointer.js';
import { dropCorruptBlobs } from './workspace/cache-check.js';
import { isLinkMode, type LinkMode } from './workspace/checkout.js';
import { loadManifest, restoreVersion } from './workspace/restore.js';
import { snapshot } from './workspace/snapshot.js';
import { targetKind } from './workspace/scan.js';
import { forEachLimit } from '../core/for-each-limit.js';
import { pushBlobs, serverPeer, storePeer, type BlobPeer } from './workspace/transfer.js';
import { findPointers, pointerFileOf, readPointer, targetOf, Workspace, writePointer } from './workspace/workspace.js';

/** The data client for the configured server. */
export async function dataClient(ctx: CliContext): Promise<{ api: DataApi; url: string }> {
  const cfg = await ctx.config();
  const { HttpDataClient } = await import('../client/http-data-client.js');
  return { api: new HttpDataClient({ url: cfg.url, token: cfg.token }), url: cfg.url };
}

const rate = (bytes: number, ms: number) => `${formatBytes(bytes / Math.max(ms / 1000, 1e-3))}/s`;

/** Uses the workspace, always closing its hash cache. */
async function withWorkspace<T>(fn: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = Workspace.open(process.cwd());
  try {
    return await fn(ws);
  } finally {
    ws.close();
  }
}

/** Pointer files for the given data paths or pointer files; all pointers below cwd when none. */
export function pointerFiles(paths: readonly string[]): string[] {
  if (paths.length === 0) {
    const found = findPointers(process.cwd());
    if (found.length === 0) throw new NotFound(`no ${POINTER_SUFFIX} pointer files below ${process.cwd()}; add data with 'cairn data add PATH'`);
    return found;
  }
  return paths.map((p) => (p.endsWith(POINTER_SUFFIX) ? resolve(p) : pointerFileOf(p)));
}

function datasetNameFor(abs: string): string {
  const n = basename(abs).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  if (n === '') throw new InvalidArgument(`cannot derive a dataset name from '${abs}'; give one with --name`);
  return n;
}

/** Progress at most every 250 ms (and at the end), so 100,000 files do not print 100,000 lines. */
function throttled(p: Progress): Progress {
  let last = 0;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 250) return;
      last = now;
      p.update(text);
    },
    done: () => p.done(),
  };
}

function transferProgress(p: Progress, verb: string) {
  return (done: number, total: number, bytes: number) => p.update(`${verb} ${done}/${total} blobs, ${formatBytes(bytes)}`);
}

export async function add(ctx: CliContext, paths: readonly string[], o: AddOptions): Promise<void> {
  if (o.name !== undefined && paths.length > 1) throw new InvalidArgument('--name applies to one path; add the paths one at a time to name each');
  const { api, url } = await dataClient(ctx);
  const progress = throttled(createProgress(ctx.out.stderr));
  await withWorkspace(async (ws) => {
    for (const path of paths) {
      const abs = resolve(path).replace(/[\\/]+$/, '');
      if (targetKind(abs) === null) throw new NotFound(`'${path}' does not exist; check the path`);
      const pointerFile = pointerFileOf(abs);
      const previous = existsSync(pointerFile) ? readPointer(pointerFile) : null;
      const name = o.name ?? previous?.dataset ?? datasetNameFor(abs);
      parseDatasetRef(name);
      const t0 = Date.now();
      // Everything that can fail on bad input (unreadable files, links, changing files) fails here, before any write.
      const snap = await snapshot(abs, ws.hashes, {
        onProgress: (n, bytes) => progress.update(`hashing ${n} files, ${formatBytes(bytes)} (${rate(bytes, Date.now() - t0)})`),
      });
      progress.done();
      const unique = new Map(snap.files.map((f) => [f.digest, f.file]));
      // Hard links where possible (no bytes copied); a cached blob later edited through its link is caught by dropCorruptBlobs.
      await dropCorruptBlobs(ws, [...unique.keys()]);
      await forEachLimit([...unique], 16, ([digest, file]) => ws.cache.importFile(file.abs, digest, file.size, { link: true }));
      const text = Buffer.from(encodeManifest(snap.manifest));
      const manifestDigest = createHash('sha256').update(text).digest('hex');
      await ws.cache.put(Readable.from([text]), { expectedDigest: manifestDigest });
      const sent = await pushBlobs(ws, serverPeer(api, url), [...unique.keys(), manifestDigest], transferProgress(progress, 'uploading'));
      progress.done();
      const r = await api.addVersion(name, { manifestDigest, message: o.message ?? null, description: o.description ?? null });
      const v = r.version;
      await writePointer(pointerFile, {
        dataset: name, version: v.version, manifest: manifestDigest, path: basename(abs), kind: snap.kind, files: v.fileCount, size: v.totalSize,
      });
      const rel = relative(process.cwd(), pointerFile) || pointerFile;
      ctx.out.line(`${name}@${v.version}${r.created ? '' : ' (unchanged)'}: ${v.fileCount} files, ${formatBytes(v.totalSize)}; `
        + `hashed ${snap.hashed} (${formatBytes(snap.hashedBytes)}), uploaded ${sent.blobs} new blobs (${formatBytes(sent.bytes)}) → ${rel}`);
    }
  });
}

export async function status(ctx: CliContext, paths: readonly string[], o: StatusOptions): Promise<void> {
  const files = pointerFiles(paths);
  const peer = async () => { const { api, url } = await dataClient(ctx); return serverPeer(api, url); };
  const report: unknown[] = [];
  await withWorkspace(async (ws) => {
    for (const file of files) {
      const p = readPointer(file);
      const target = targetOf(file, p);
      const rel = relative(process.cwd(), target) || '.';
      const manifest = await loadManifest(ws, peer, p.manifest);
      if (targetKind(target) === null) {
        report.push({ dataset: p.dataset, version: p.version, path: rel, state: 'missing' });
        if (!o.json) ctx.out.line(`${p.dataset}@${p.version} (${rel}): missing; run 'cairn data checkout' or 'cairn data pull'`);
        continue;
      }
      const now = await snapshot(target, ws.hashes);
      const d = diffManifests(manifest, now.manifest);
      const changed = d.added.length + d.removed.length + d.modified.length;
      report.push({
        dataset: p.dataset, version: p.version, path: rel, state: changed === 0 ? 'clean' : 'changed',
        added: d.added.map((e) => e.path), deleted: d.removed.map((e) => e.path), modified: d.modified.map((e) => e.path),
      });
      if (o.json) continue;
      if (changed === 0) {
        ctx.out.line(`${p.dataset}@${p.version} (${rel}): up to date, ${manifest.entries.length} files`);
        continue;
      }
      ctx.out.line(`${p.dataset}@${p.version} (${rel}): ${d.added.length} added, ${d.modified.length} modified, ${d.removed.length} deleted`);
      for (const e of d.added) ctx.out.line(`  added:    ${e.path}`);
      for (const e of d.modified) ctx.out.line(`  modified: ${e.path}`);
      for (const e of d.removed) ctx.out.line(`  deleted:  ${e.path}`);
    }
  });
  if (o.json) ctx.out.json(report);
}

function linkMode(v: string | undefined): LinkMode {
  const m = v ?? 'reflink';
  if (!isLinkMode(m)) throw new InvalidArgument(`--link ${m} is not one of reflink, hardlink, copy`);
  return m;
}

export async function checkout(ctx: CliContext, version: string | undefined, o: CheckoutOptions): Promise<void> {
  let files = pointerFiles(o.path === undefined ? [] : [o.path]);
  let ref: string | null = version ?? null;
  if (version !== undefined && version.includes('@')) {
    const r = parseDatasetRef(version);
    ref = r.ref;
    files = files.filter((f) => readPointer(f).dataset === r.name);
    if (files.length === 0) throw new NotFound(`no pointer file for dataset '${r.name}' below ${process.cwd()}`);
  }
  if (ref !== null && files.length > 1) {
    throw new InvalidArgument(`${files.length} pointer files found; say which data to switch with --path or dataset@version`);
  }
  const client = dataClient(ctx);
  const peer = async () => { const { api, url } = await client; return serverPeer(api, url); };
  const progress = throttled(createProgress(ctx.out.stderr));
  await withWorkspace(async (ws) => {
    for (const file of files) {
      let p = readPointer(file);
      if (ref !== null) {
        const v = await (await client).api.getVersion(p.dataset, ref);
        p = { ...p, version: v.version, manifest: v.manifestDigest, files: v.fileCount, size: v.totalSize };
      }
      const r = await restore(ws, file, p, peer, linkMode(o.link), progress);
      if (ref !== null) await writePointer(file, p);
      ctx.out.line(`${p.dataset}@${p.version} (${relative(process.cwd(), targetOf(file, p)) || '.'}): `
        + `${r.written} written, ${r.removed} removed, ${r.unchanged} unchanged`);
    }
  });
}

async function restore(ws: Workspace, file: string, p: Pointer, peer: () => Promise<BlobPeer>, mode: LinkMode, progress: Progress) {
  const r = await restoreVersion(ws, { manifest: p.manifest, target: targetOf(file, p), kind: p.kind }, peer, mode, transferProgress(progress, 'downloading'));
  progress.done();
  return r;
}

async function peerFor(ctx: CliContext, remote: string | undefined): Promise<BlobPeer> {
  if (remote === undefined) {
    const { api, url } = await dataClient(ctx);
    return serverPeer(api, url);
  }
  const cfg = await ctx.config();
  const { openBlobStore } = await import('../artifacts/open-blob-store.js');
  return storePeer(await openBlobStore(remote, { s3Endpoint: cfg.s3Endpoint, s3Region: cfg.s3Region }));
}

export async function push(ctx: CliContext, paths: readonly string[], o: TransferOptions): Promise<void> {
  const files = pointerFiles(paths);
  const peer = await peerFor(ctx, o.remote);
  const progress = throttled(createProgress(ctx.out.stderr));
  await withWorkspace(async (ws) => {
    for (const file of files) {
      const p = readPointer(file);
      const manifest = await loadManifest(ws, async () => peer, p.manifest);
      const t0 = Date.now();
      await dropCorruptBlobs(ws, manifestDigests(manifest));
      const r = await pushBlobs(ws, peer, [...manifestDigests(manifest), p.manifest], transferProgress(progress, 'uploading'));
      progress.done();
      ctx.out.line(`${p.dataset}@${p.version}: pushed ${r.blobs} blobs (${formatBytes(r.bytes)}, ${rate(r.bytes, Date.now() - t0)}) to ${peer.label}; ${r.skipped} already there`);
    }
  });
}

export async function pull(ctx: CliContext, paths: readonly string[], o: TransferOptions): Promise<void> {
  const files = pointerFiles(paths);
  const peer = await peerFor(ctx, o.remote);
  const progress = throttled(createProgress(ctx.out.stderr));
  await withWorkspace(async (ws) => {
    for (const file of files) {
      const p = readPointer(file);
      const t0 = Date.now();
      const r = await restore(ws, file, p, async () => peer, linkMode(o.link), progress);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      ctx.out.line(`${p.dataset}@${p.version}: pulled from ${peer.label} in ${secs} s; ${r.written} written, ${r.removed} removed, ${r.unchanged} unchanged`);
    }
  });
}
