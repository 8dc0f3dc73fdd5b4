/**
 * Bringing a dataset version back onto disk from a peer: its manifest and
 * the blobs the workspace cache lacks are fetched (each verified), then the
 * target is checked out atomically. Shared by `cairn data checkout|pull` and
 * `cairn repro`.
 */
import { decodeManifest, manifestDigests, type DatasetManifest } from '../domain.js';
import { dropCorruptBlobs } from './cache-check.js';
import { checkoutVersion, type CheckoutResult, type LinkMode } from './checkout.js';
import type { TargetKind } from './scan.js';
import { fetchBlobs, type BlobPeer, type TransferProgress } from './transfer.js';
import type { Workspace } from './workspace.js';

/** A version's manifest: from the workspace cache, else fetched from `peer` into it. */
export async function loadManifest(ws: Workspace, peer: () => Promise<BlobPeer>, digest: string): Promise<DatasetManifest> {
  if (!(await ws.cache.has(digest))) await fetchBlobs(ws, await peer(), [digest]);
  const chunks: Buffer[] = [];
  for await (const c of await ws.cache.get(digest)) chunks.push(Buffer.from(c as Uint8Array));
  return decodeManifest(Buffer.concat(chunks).toString('utf8'));
}

/** What to restore: the version's manifest digest and where it goes. */
export interface RestoreTarget {
  readonly manifest: string;
  /** Absolute path of the tracked file or folder. */
  readonly target: string;
  readonly kind: TargetKind;
}

/**
 * Makes `t.target` hold the version whose manifest is `t.manifest`, fetching
 * what the cache lacks from `peer`.
 * @throws InvalidState when the peer lacks a blob or holds a corrupt one (nothing is written then).
 */
export async function restoreVersion(
  ws: Workspace, t: RestoreTarget, peer: () => Promise<BlobPeer>, mode: LinkMode, onProgress?: TransferProgress,
): Promise<CheckoutResult> {
  const manifest = await loadManifest(ws, peer, t.manifest);
  const digests = manifestDigests(manifest);
  await dropCorruptBlobs(ws, digests);
  const missing = (await Promise.all(digests.map(async (d) => ((await ws.cache.has(d)) ? null : d)))).filter((d) => d !== null);
  if (missing.length > 0) await fetchBlobs(ws, await peer(), missing, onProgress);
  return checkoutVersion(ws, t.target, t.kind, manifest, mode);
}
