/**
 * The data slice's rules, once: naming, version resolution (number, tag,
 * latest), "a version only refers to stored blobs", idempotent adds, and an
 * audit entry per mutation.
 */
import { Readable } from 'node:stream';
import { assertDigest, type BlobStore } from '../artifacts/blob-store.js';
import { LOCAL_ACTOR } from '../core/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import { AlreadyExists, InvalidArgument, InvalidState, NotFound } from '../core/errors.js';
import { forEachLimit } from '../core/for-each-limit.js';
import type { ActOptions, AddVersionInput, AddVersionResult, ByteSource, DataApi, VersionDiff } from './data-api.js';
import type { DataStore } from './data-store.js';
import { isReportKind, type DatasetReport, type ReportKind } from './dataset-reports.js';
import {
  assertDatasetName, assertTagName, decodeManifest, diffManifests, manifestDigests, manifestTotals, parseVersionRef,
  type Dataset, type DatasetManifest, type DatasetVersion, type ModifiedEntry,
} from './domain.js';

/**
 * The hook through which the tabular engines describe a modified tabular
 * file in a diff (row count, schema changes). `describe` is called only for
 * paths `handles` accepts, at most `TabularDiffLimits.concurrency` at a time.
 */
export interface TabularDiffHook {
  /** Whether `path` is a file it can describe (by its name; cheap). */
  handles(path: string): boolean;
  describe(change: ModifiedEntry, blobs: BlobStore): Promise<unknown>;
}

/** How much tabular work one diff may do: each description copies two blobs to disk and reads them. */
export interface TabularDiffLimits {
  /** Descriptions running at once. */
  readonly concurrency: number;
  /** A file larger than this, before or after, is not described; the diff says so instead. */
  readonly maxBytes: number;
}

export const DEFAULT_TABULAR_DIFF_LIMITS: TabularDiffLimits = { concurrency: 4, maxBytes: 256 * 2 ** 20 };
const sizeLimit = (n: number) => (n >= 2 ** 20 ? `${+(n / 2 ** 20).toFixed(1)}-MiB` : `${n}-byte`);

export interface DataServiceDeps {
  readonly store: DataStore;
  readonly blobs: BlobStore;
  readonly audit: AuditLog;
  readonly tabularDiff?: TabularDiffHook;
  readonly tabularDiffLimits?: TabularDiffLimits;
  readonly now?: () => number;
}

/** How many blob-existence checks run at once. */
const HAS_CONCURRENCY = 32;
export const MAX_MISSING_QUERY = 20_000;

export class DataService implements DataApi {
  readonly #d: DataServiceDeps;
  readonly #now: () => number;

  constructor(deps: DataServiceDeps) {
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
  }

  async createDataset(name: string, description: string | null = null, opts: ActOptions = {}): Promise<Dataset> {
    assertDatasetName(name);
    const actor = opts.actor ?? LOCAL_ACTOR;
    const ds = await this.#d.store.createDataset(name, description, actor.name, this.#now());
    if (!ds) throw new AlreadyExists(`dataset '${name}' already exists; add a version to it with 'cairn data add --name ${name}'`);
    await this.#d.audit.append({ actor: actor.name, action: 'dataset.create', targetType: 'dataset', targetId: name, after: ds });
    return ds;
  }

  async getDataset(name: string): Promise<Dataset> {
    assertDatasetName(name);
    const ds = await this.#d.store.getDataset(name);
    if (!ds) throw new NotFound(`dataset '${name}' not found; list datasets with 'cairn data list'`);
    return ds;
  }

  listDatasets(): Promise<Dataset[]> {
    return this.#d.store.listDatasets();
  }

  async addVersion(name: string, input: AddVersionInput, opts: ActOptions = {}): Promise<AddVersionResult> {
    assertDatasetName(name);
    assertDigest(input.manifestDigest);
    const actor = opts.actor ?? LOCAL_ACTOR;
    const manifest = await this.#manifest(input.manifestDigest);
    const missing = await this.missingBlobs(manifestDigests(manifest));
    if (missing.length > 0) {
      throw new InvalidState(
        `${missing.length} file(s) of this version are not in the artifact store (first: ${missing[0]}); upload them before recording the version`,
        { missing: missing.slice(0, 20) });
    }
    if (!(await this.#d.store.getDataset(name))) {
      await this.createDataset(name, input.description ?? null, opts).catch((e: unknown) => {
        if (!(e instanceof AlreadyExists)) throw e; // created meanwhile by someone else: fine
      });
    }
    const totals = manifestTotals(manifest);
    const r = await this.#d.store.addVersion(name, {
      manifestDigest: input.manifestDigest, ...totals, message: input.message ?? null, createdBy: actor.name,
    }, this.#now());
    if (!r) throw new NotFound(`dataset '${name}' not found`);
    if (r.created) {
      await this.#d.audit.append({
        actor: actor.name, action: 'dataset_version.create', targetType: 'dataset_version',
        targetId: `${name}/${r.version.version}`, after: r.version,
      });
    }
    return r;
  }

  async getVersion(name: string, ref: string): Promise<DatasetVersion> {
    return (await this.#resolve(name, ref)).version;
  }

  async listVersions(name: string): Promise<DatasetVersion[]> {
    await this.getDataset(name);
    return this.#d.store.listVersions(name);
  }

  async tagVersion(name: string, tag: string, ref: string, opts: ActOptions = {}): Promise<DatasetVersion> {
    assertTagName(tag);
    const actor = opts.actor ?? LOCAL_ACTOR;
    const { version } = await this.#resolve(name, ref);
    const before = await this.#d.store.setTag(name, tag, version.version, this.#now());
    await this.#d.audit.append({
      actor: actor.name, action: 'dataset_tag.set', targetType: 'dataset_tag', targetId: `${name}/${tag}`,
      before: before === null ? undefined : { version: before }, after: { version: version.version },
    });
    return (await this.#d.store.getVersion(name, version.version))!;
  }

  async diffVersions(name: string, from: string, to: string): Promise<VersionDiff> {
    const [a, b] = await Promise.all([this.#resolve(name, from), this.#resolve(name, to)]);
    const [ma, mb] = await Promise.all([this.#manifest(a.version.manifestDigest), this.#manifest(b.version.manifestDigest)]);
    const diff = diffManifests(ma, mb);
    const modified = await this.#describeTabular(diff.modified);
    return { dataset: name, from: a.version.version, to: b.version.version, ...diff, modified };
  }

  /** `modified` with the tabular hook's description of each file it handles, within the limits. */
  async #describeTabular(modified: readonly ModifiedEntry[]): Promise<ModifiedEntry[]> {
    const hook = this.#d.tabularDiff;
    if (hook === undefined) return [...modified];
    const { concurrency, maxBytes } = this.#d.tabularDiffLimits ?? DEFAULT_TABULAR_DIFF_LIMITS;
    const out = [...modified];
    const todo = out.flatMap((m, i) => (hook.handles(m.path) ? [i] : []));
    await forEachLimit(todo, concurrency, async (i) => {
      const m = out[i]!;
      const tabular = Math.max(m.before.size, m.after.size) > maxBytes
        ? { skipped: `over the ${sizeLimit(maxBytes)} limit for tabular diffs; compare the two files with 'cairn data diff-table'` }
        : await hook.describe(m, this.#d.blobs);
      if (tabular !== undefined) out[i] = { ...m, tabular };
    });
    return out;
  }

  async validatedVersion(name: string): Promise<number | null> {
    await this.getDataset(name);
    return (await this.#d.store.validatedVersions(name))[0] ?? null;
  }

  async recordReport(dataset: string, version: string, kind: ReportKind, passed: boolean | null, body: unknown): Promise<DatasetReport> {
    if (!isReportKind(kind)) throw new InvalidArgument(`report kind '${String(kind)}' is unknown; use profile, validation or leakage`);
    const v = await this.getVersion(dataset, version);
    const report: DatasetReport = { dataset, version: String(v.version), kind, passed, body, createdAt: this.#now() };
    await this.#d.store.putReport(report);
    await this.#d.audit.append({
      actor: LOCAL_ACTOR.name, action: 'dataset_report.record', targetType: 'dataset_version',
      targetId: `${dataset}/${v.version}`, after: { kind, passed },
    });
    return report;
  }

  async getReport(dataset: string, version: string, kind: ReportKind): Promise<DatasetReport | null> {
    if (!isReportKind(kind)) throw new InvalidArgument(`report kind '${String(kind)}' is unknown; use profile, validation or leakage`);
    const v = await this.getVersion(dataset, version);
    return this.#d.store.getReport(dataset, v.version, kind);
  }

  async missingBlobs(digests: readonly string[]): Promise<string[]> {
    if (digests.length > MAX_MISSING_QUERY) {
      throw new InvalidArgument(`asked about ${digests.length} blobs at once; ask about at most ${MAX_MISSING_QUERY} per call`);
    }
    for (const d of digests) assertDigest(d);
    const present = new Array<boolean>(digests.length);
    await forEachLimit(digests.map((d, i) => [d, i] as const), HAS_CONCURRENCY, async ([d, i]) => { present[i] = await this.#d.blobs.has(d); });
    return digests.filter((_, i) => !present[i]);
  }

  async putBlob(digest: string, body: ByteSource, size?: number): Promise<void> {
    assertDigest(digest);
    const source = body instanceof Uint8Array ? Readable.from([body]) : body;
    await this.#d.blobs.put(source, { expectedDigest: digest, ...(size === undefined ? {} : { size }) });
  }

  async openBlob(digest: string): Promise<AsyncIterable<Uint8Array>> {
    assertDigest(digest);
    return this.#d.blobs.get(digest);
  }

  async #resolve(name: string, ref: string): Promise<{ dataset: Dataset; version: DatasetVersion }> {
    const dataset = await this.getDataset(name);
    const r = parseVersionRef(ref);
    let n: number | undefined;
    if (r.kind === 'latest') {
      if (dataset.latestVersion === 0) throw new NotFound(`dataset '${name}' has no version yet; add one with 'cairn data add'`);
      n = dataset.latestVersion;
    } else if (r.kind === 'tag') {
      n = dataset.tags[r.tag];
      if (n === undefined) throw new NotFound(`dataset '${name}' has no tag '${r.tag}'; see its tags with 'cairn data show ${name}'`);
    } else {
      n = r.version;
    }
    const version = await this.#d.store.getVersion(name, n);
    if (!version) throw new NotFound(`dataset '${name}' has no version ${n} (latest is ${dataset.latestVersion})`);
    return { dataset, version };
  }

  async #manifest(digest: string): Promise<DatasetManifest> {
    if (!(await this.#d.blobs.has(digest))) {
      throw new InvalidState(`manifest blob ${digest} is not in the artifact store; upload it before recording the version`);
    }
    const chunks: Buffer[] = [];
    for await (const c of await this.#d.blobs.get(digest)) chunks.push(Buffer.from(c as Uint8Array));
    return decodeManifest(Buffer.concat(chunks).toString('utf8'));
  }
}
