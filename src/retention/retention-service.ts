/**
 * Retention ("keep the best N runs of an experiment by a metric") and the
 * blob collector (`cairn gc`).
 *
 * Retention deletes the other runs softly, through the caller's (audited)
 * `TrackingApi`: each is restorable until gc purges its artifacts. Runs that
 * back a registered model version are never deleted, nor running ones.
 *
 * The collector, in this order:
 * 1. reads every live reference (runs that are not purgeable, logged models,
 *    multipart staging, dataset manifests and the files they list) — before
 *    listing blobs, so a reference recorded later only makes it keep more;
 * 2. purges the artifact entries of deleted runs (deleted `deletedFor` ago,
 *    backing no model version); a run restored meanwhile is skipped and its
 *    blobs count as referenced;
 * 3. lists the blob store and deletes each unreferenced blob whose last put
 *    is older than the grace period, re-reading its age just before deleting.
 *    A put of existing content refreshes that age (the BlobStore contract),
 *    so an upload in flight — bytes stored, entry not yet recorded — is safe
 *    as long as it records its entry within the grace period.
 */
import type { BlobStore } from '../artifacts/blob-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Actor } from '../core/actor.js';
import { InvalidArgument, InvalidState } from '../core/errors.js';
import { decodeManifest, manifestDigests } from '../data/domain.js';
import type { Run } from '../tracking/domain.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import {
  DEFAULT_ABANDONED_UPLOAD_SECONDS, DEFAULT_GRACE_SECONDS,
  type ApplyRetentionInput, type CollectGarbageInput, type GcReport, type RetentionApi, type RetentionReport,
} from './retention-api.js';
import { planRetention, type RetentionCandidate, type RetentionPolicy } from './retention-rule.js';
import type { RetentionStore } from './retention-store.js';

const PAGE = 1000;

export interface RetentionDeps {
  readonly store: RetentionStore;
  readonly blobs: BlobStore;
  readonly audit: AuditLog;
  readonly now?: () => number;
}

const seconds = (v: number | undefined, fallback: number, name: string): number => {
  const s = v ?? fallback;
  if (!Number.isFinite(s) || s < 0) throw new InvalidArgument(`${name} must be a number of seconds, 0 or more; got ${s}`);
  return s * 1000;
};

async function readText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString('utf8');
}

export class RetentionService {
  private readonly now: () => number;
  constructor(private readonly deps: RetentionDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The API acting as `actor`, deleting runs through `tracking` (the request's audited one). */
  as(tracking: TrackingApi, actor: Actor): RetentionApi {
    return {
      applyRetention: (input) => this.applyRetention(tracking, actor, input),
      collectGarbage: (input) => this.collectGarbage(actor, input),
    };
  }

  private async activeRuns(tracking: TrackingApi, experimentId: string): Promise<Run[]> {
    const runs: Run[] = [];
    let pageToken: string | undefined;
    do {
      const page = await tracking.searchRuns({ experimentIds: [experimentId], lifecycle: 'active', maxResults: PAGE, ...(pageToken ? { pageToken } : {}) });
      runs.push(...page.items);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return runs;
  }

  private async applyRetention(tracking: TrackingApi, actor: Actor, input: ApplyRetentionInput): Promise<RetentionReport> {
    const policy: RetentionPolicy = { keep: input.keep, metric: input.metric, mode: input.mode ?? 'min' };
    const experiment = await tracking.getExperiment(input.experimentId);
    const runs = await this.activeRuns(tracking, experiment.id);
    const registered = await this.deps.store.registeredRunIds(runs.map((r) => r.id));
    const candidates: RetentionCandidate[] = runs.map((r) => {
      const v = r.metrics.find((m) => m.key === policy.metric)?.value;
      return { runId: r.id, name: r.name, value: v === undefined || Number.isNaN(v) ? null : v, running: r.status === 'RUNNING', registered: registered.has(r.id) };
    });
    const decisions = planRetention(candidates, policy);
    const dryRun = input.dryRun === true;
    const doomed = decisions.filter((d) => !d.keep);
    if (!dryRun) {
      for (const d of doomed) await tracking.deleteRun(d.runId);
      await this.deps.audit.append({
        actor: actor.name, action: 'retention.apply', targetType: 'experiment', targetId: experiment.id,
        after: { ...policy, deletedRuns: doomed.map((d) => d.runId) },
      });
    }
    return { experimentId: experiment.id, ...policy, dryRun, decisions, deleted: dryRun ? 0 : doomed.length };
  }

  private async collectGarbage(actor: Actor, input: CollectGarbageInput = {}): Promise<GcReport> {
    const now = this.now();
    const graceCutoff = now - seconds(input.graceSeconds, DEFAULT_GRACE_SECONDS, 'graceSeconds');
    const deletedBefore = now - seconds(input.deletedForSeconds, 0, 'deletedForSeconds');
    const abandonedBefore = now - seconds(input.abandonedUploadSeconds, DEFAULT_ABANDONED_UPLOAD_SECONDS, 'abandonedUploadSeconds');
    const dryRun = input.dryRun === true;
    const { store, blobs } = this.deps;

    // Uploads nobody finished in that long never will: abort them first, so their parts count as unreferenced below.
    const abortedUploads: { id: string; target: string; parts: number }[] = [];
    for (const u of await store.abandonedUploads(abandonedBefore)) {
      if (!dryRun && !(await store.dropUpload(u.id, abandonedBefore))) continue;
      abortedUploads.push({ id: u.id, target: u.target, parts: u.parts });
      if (!dryRun) {
        await this.deps.audit.append({
          actor: actor.name, action: 'multipart.abort', targetType: 'multipart_upload', targetId: u.id,
          before: { target: u.target, parts: u.parts, createdAt: u.createdAt }, reason: 'abandoned: gc',
        });
      }
    }

    const purgeable = await store.purgeableRuns(deletedBefore);
    const live = await this.referenced(deletedBefore);
    const purgedRuns: { runId: string; artifacts: number }[] = [];
    for (const r of purgeable) {
      const n = dryRun ? r.artifacts : await store.purgeRunArtifacts(r.runId, deletedBefore);
      if (n === null) {
        for (const d of await store.runArtifactDigests(r.runId)) live.add(d);
        continue;
      }
      purgedRuns.push({ runId: r.runId, artifacts: n });
      if (!dryRun) {
        await this.deps.audit.append({ actor: actor.name, action: 'run.artifacts.purge', targetType: 'run', targetId: r.runId, before: { artifacts: n }, after: { artifacts: 0 } });
      }
    }

    let young = 0;
    let referenced = 0;
    let count = 0;
    let bytes = 0;
    for await (const b of blobs.list()) {
      if (live.has(b.digest)) { referenced++; continue; }
      if (b.modifiedAt >= graceCutoff) { young++; continue; }
      if (!dryRun) {
        const fresh = await blobs.stat(b.digest);
        if (!fresh) continue;
        if (fresh.modifiedAt >= graceCutoff) { young++; continue; }
        await blobs.delete(b.digest);
        await store.forgetBlob(b.digest);
      }
      count++;
      bytes += b.size;
    }
    const report: GcReport = { dryRun, purgedRuns, blobs: count, bytes, young, referenced, abortedUploads };
    if (!dryRun) {
      await this.deps.audit.append({
        actor: actor.name, action: 'gc.collect', targetType: 'blob_store', targetId: blobs.url,
        after: { purgedRuns: purgedRuns.length, abortedUploads: abortedUploads.length, blobs: count, bytes, graceSeconds: (now - graceCutoff) / 1000 },
      });
    }
    return report;
  }

  /** Every digest something live refers to, the files listed in dataset manifests included. */
  private async referenced(deletedBefore: number): Promise<Set<string>> {
    const { digests, manifests } = await this.deps.store.referencedDigests(deletedBefore);
    for (const m of manifests) {
      let text: string;
      try {
        text = await readText(await this.deps.blobs.get(m));
      } catch (e) {
        // Without the manifest, what its files are is unknown: collecting anything could lose data.
        throw new InvalidState(`cannot read dataset manifest blob ${m} (${(e as Error).message}); gc stopped without deleting anything — restore the blob or re-add the dataset version, then run gc again`);
      }
      for (const d of manifestDigests(decodeManifest(text))) digests.add(d);
    }
    return digests;
  }
}
