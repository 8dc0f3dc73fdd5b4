/**
 * Retention and garbage collection as callers see them: `RetentionService`
 * in process, `HttpRetentionClient` over /api/v1/retention and /api/v1/gc.
 */
import type { RetentionDecision, RetentionMode } from './retention-rule.js';

/** Blobs put more recently than this are never collected (uploads in flight): one hour. */
export const DEFAULT_GRACE_SECONDS = 3600;
/** Multipart uploads open this long are abandoned: 7 days, S3's usual lifecycle rule for incomplete uploads. */
export const DEFAULT_ABANDONED_UPLOAD_SECONDS = 7 * 24 * 3600;

export interface ApplyRetentionInput {
  readonly experimentId: string;
  readonly keep: number;
  readonly metric: string;
  /** Default `min`. */
  readonly mode?: RetentionMode;
  /** Only report what would be deleted. */
  readonly dryRun?: boolean;
}

export interface RetentionReport {
  readonly experimentId: string;
  readonly keep: number;
  readonly metric: string;
  readonly mode: RetentionMode;
  readonly dryRun: boolean;
  /** Every active run of the experiment with its decision, kept runs first. */
  readonly decisions: readonly RetentionDecision[];
  /** Runs deleted by this call (0 on a dry run). */
  readonly deleted: number;
}

export interface CollectGarbageInput {
  readonly dryRun?: boolean;
  /** Blobs put more recently than this many seconds ago are never collected (uploads in flight). Default 3600. */
  readonly graceSeconds?: number;
  /** Only runs deleted at least this many seconds ago lose their artifacts. Default 0: every deleted run. */
  readonly deletedForSeconds?: number;
  /** Multipart uploads started this many seconds ago and still not completed or aborted are aborted, so their parts can go. Default 7 days. */
  readonly abandonedUploadSeconds?: number;
}

export interface GcReport {
  readonly dryRun: boolean;
  /** Deleted runs whose artifact entries were (or would be) purged, with their entry counts. */
  readonly purgedRuns: readonly { readonly runId: string; readonly artifacts: number }[];
  /** Unreferenced blobs older than the grace period: deleted, or to be deleted on a dry run. */
  readonly blobs: number;
  readonly bytes: number;
  /** Unreferenced blobs left alone because they are younger than the grace period. */
  readonly young: number;
  /** Blobs something still refers to. */
  readonly referenced: number;
  /** Abandoned multipart uploads aborted (or to be aborted on a dry run), with their staged part counts. */
  readonly abortedUploads: readonly { readonly id: string; readonly target: string; readonly parts: number }[];
}

export interface RetentionApi {
  /** Keeps the best runs of an experiment and deletes the others (soft: `restoreRun` brings one back until `gc`). */
  applyRetention(input: ApplyRetentionInput): Promise<RetentionReport>;
  /** Purges the artifact entries of deleted runs, then deletes the blobs nothing refers to. Admin only. */
  collectGarbage(input?: CollectGarbageInput): Promise<GcReport>;
}
