/**
 * What retention and the blob collector ask the database. One SQL
 * implementation (`SqlRetentionStore`), checked on SQLite and PostgreSQL.
 *
 * Contract: every answer reflects committed data at the time of the call;
 * `purgeRunArtifacts` is atomic and conditional (it purges nothing from a run
 * that was restored, or registered, after `purgeableRuns` answered).
 */
export interface PurgeableRun {
  readonly runId: string;
  /** How many artifact entries it holds. */
  readonly artifacts: number;
}

export interface RetentionStore {
  /** Of `runIds`, those a registered model version names as its source run. */
  registeredRunIds(runIds: readonly string[]): Promise<Set<string>>;
  /** Deleted runs (on their own or with their experiment) deleted at or before `deletedBefore`, backing no model version, holding artifact entries. */
  purgeableRuns(deletedBefore: number): Promise<PurgeableRun[]>;
  /**
   * Every digest something live refers to: artifact entries of runs that are
   * not purgeable as of `deletedBefore`, logged models' artifacts, staged
   * multipart parts, and dataset versions' manifests (the entries inside a
   * manifest are added by the caller, which can read blobs).
   */
  referencedDigests(deletedBefore: number): Promise<{ readonly digests: Set<string>; readonly manifests: readonly string[] }>;
  /** The digests of a run's artifact entries. */
  runArtifactDigests(runId: string): Promise<string[]>;
  /** Removes a purgeable run's artifact entries and returns how many; null (nothing removed) when it is no longer purgeable or holds none. */
  purgeRunArtifacts(runId: string, deletedBefore: number): Promise<number | null>;
  /** Multipart uploads started at or before `createdBefore` and never completed or aborted, oldest first. */
  abandonedUploads(createdBefore: number): Promise<{ readonly id: string; readonly target: string; readonly createdAt: number; readonly parts: number }[]>;
  /** Drops an abandoned upload and its staged parts (their blobs become unreferenced); false when it is gone already. */
  dropUpload(id: string, createdBefore: number): Promise<boolean>;
  /** Forgets a deleted blob in the `blobs` index. */
  forgetBlob(digest: string): Promise<void>;
}
