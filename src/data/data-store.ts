import type { ReportKind, DatasetReport } from './dataset-reports.js';
import type { Dataset, DatasetVersion } from './domain.js';

export interface NewVersion {
  readonly manifestDigest: string;
  readonly fileCount: number;
  readonly totalSize: number;
  readonly message: string | null;
  readonly createdBy: string;
}

/**
 * Persistence for the data slice; implemented once by `SqlDataStore`.
 *
 * Contract: every call is atomic, and safe when several server processes
 * share one database. Versions are immutable once added; numbers are dense
 * per dataset (1, 2, 3…) and never reused. Rows returned are snapshots.
 */
export interface DataStore {
  /** Creates the dataset; returns null when the name is taken. */
  createDataset(name: string, description: string | null, createdBy: string, now: number): Promise<Dataset | null>;
  getDataset(name: string): Promise<Dataset | null>;
  listDatasets(): Promise<Dataset[]>;
  /**
   * Appends the next version, unless the latest version already has this
   * manifest: then that version is returned with `created: false`.
   * Returns null when the dataset does not exist.
   */
  addVersion(name: string, v: NewVersion, now: number): Promise<{ version: DatasetVersion; created: boolean } | null>;
  getVersion(name: string, version: number): Promise<DatasetVersion | null>;
  listVersions(name: string): Promise<DatasetVersion[]>;
  /** Points `tag` at `version` (moving it if it exists); returns the version it pointed at before, if any. */
  setTag(name: string, tag: string, version: number, now: number): Promise<number | null>;
  putReport(r: DatasetReport): Promise<void>;
  getReport(name: string, version: number, kind: ReportKind): Promise<DatasetReport | null>;
  /** Versions of `name` with a passing validation report, newest first. */
  validatedVersions(name: string): Promise<number[]>;
}
