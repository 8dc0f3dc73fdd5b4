import type { Actor } from '../core/actor.js';
import type { DatasetReports } from './dataset-reports.js';
import type { Dataset, DatasetVersion, ManifestDiff } from './domain.js';

/** Bytes in: a buffer or any async iterable of chunks (a file stream). */
export type ByteSource = Uint8Array | AsyncIterable<Uint8Array>;

/** Who acts; the HTTP client ignores it (the server takes the caller from the request). */
export interface ActOptions {
  readonly actor?: Actor;
}

export interface AddVersionInput {
  /** sha256 of a manifest already uploaded as a blob (see `encodeManifest`). */
  readonly manifestDigest: string;
  readonly message?: string | null;
  /** Description for a dataset that does not exist yet (it is created). */
  readonly description?: string | null;
}

export interface AddVersionResult {
  readonly version: DatasetVersion;
  /** False when the manifest equals the latest version's: no new version was made. */
  readonly created: boolean;
}

export interface VersionDiff extends ManifestDiff {
  readonly dataset: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The data capability as callers see it: `DataService` in process,
 * `HttpDataClient` over HTTP. Same contract, checked by the data conformance
 * suite against SQLite, PostgreSQL and the HTTP client.
 *
 * Versions are immutable. Blobs are content-addressed and shared by every
 * dataset and version: uploading content that is already stored is a no-op.
 */
export interface DataApi extends DatasetReports {
  /** @throws AlreadyExists when the name is taken. */
  createDataset(name: string, description?: string | null, opts?: ActOptions): Promise<Dataset>;
  /** @throws NotFound */
  getDataset(name: string): Promise<Dataset>;
  listDatasets(): Promise<Dataset[]>;
  /**
   * Records a version from an uploaded manifest; creates the dataset on first use.
   * @throws InvalidState when the manifest or any file it lists is not in the blob store yet.
   */
  addVersion(name: string, input: AddVersionInput, opts?: ActOptions): Promise<AddVersionResult>;
  /** `ref`: a number, a tag or `latest`. @throws NotFound */
  getVersion(name: string, ref: string): Promise<DatasetVersion>;
  listVersions(name: string): Promise<DatasetVersion[]>;
  /** Points `tag` at the version `ref` names, moving it if it exists. */
  tagVersion(name: string, tag: string, ref: string, opts?: ActOptions): Promise<DatasetVersion>;
  /** Added, removed and modified files between two versions. */
  diffVersions(name: string, from: string, to: string): Promise<VersionDiff>;
  /** The newest version whose validation report passed, or null. */
  validatedVersion(name: string): Promise<number | null>;

  /** Which of `digests` the blob store lacks, in the order given. */
  missingBlobs(digests: readonly string[]): Promise<string[]>;
  /** Stores content under its sha256. @throws InvalidArgument when it hashes to something else (nothing is stored). */
  putBlob(digest: string, body: ByteSource, size?: number): Promise<void>;
  /** Streams a blob, verified while streaming. @throws NotFound */
  openBlob(digest: string): Promise<AsyncIterable<Uint8Array>>;
}
