import { dataEndpoints as E } from '../api/data-endpoints.js';
import type { ActOptions, AddVersionInput, AddVersionResult, ByteSource, DataApi, VersionDiff } from '../data/data-api.js';
import type { DatasetReport, ReportKind } from '../data/dataset-reports.js';
import type { Dataset, DatasetVersion } from '../data/domain.js';
import { Transport, type TransportOptions } from './transport.js';

/** Digests per `missingBlobs` request; larger lists are split. */
const MISSING_BATCH = 10_000;

/** DataApi over HTTP: the same contract as the in-process `DataService`. */
export class HttpDataClient implements DataApi {
  readonly transport: Transport;

  constructor(opts: TransportOptions | Transport) {
    this.transport = opts instanceof Transport ? opts : new Transport(opts);
  }

  private get t() { return this.transport; }

  async createDataset(name: string, description: string | null = null, _opts?: ActOptions): Promise<Dataset> {
    return (await this.t.json<{ dataset: Dataset }>(E.createDataset, { body: { name, description } })).dataset;
  }
  async getDataset(name: string): Promise<Dataset> {
    return (await this.t.json<{ dataset: Dataset }>(E.getDataset, { params: { name } })).dataset;
  }
  async listDatasets(): Promise<Dataset[]> {
    return (await this.t.json<{ items: Dataset[] }>(E.listDatasets)).items;
  }
  async addVersion(name: string, input: AddVersionInput, _opts?: ActOptions): Promise<AddVersionResult> {
    // Recording the same manifest twice yields the same version, so a retry is safe.
    return this.t.json<AddVersionResult>(E.addDatasetVersion, { params: { name }, body: input, idempotent: true });
  }
  async getVersion(name: string, ref: string): Promise<DatasetVersion> {
    return (await this.t.json<{ version: DatasetVersion }>(E.getDatasetVersion, { params: { name, ref } })).version;
  }
  async listVersions(name: string): Promise<DatasetVersion[]> {
    return (await this.t.json<{ items: DatasetVersion[] }>(E.listDatasetVersions, { params: { name } })).items;
  }
  async tagVersion(name: string, tag: string, ref: string, _opts?: ActOptions): Promise<DatasetVersion> {
    return (await this.t.json<{ version: DatasetVersion }>(E.tagDatasetVersion, { params: { name }, body: { tag, version: ref } })).version;
  }
  async diffVersions(name: string, from: string, to: string): Promise<VersionDiff> {
    return (await this.t.json<{ diff: VersionDiff }>(E.diffDatasetVersions, { params: { name }, query: { from, to } })).diff;
  }
  async validatedVersion(name: string): Promise<number | null> {
    return (await this.t.json<{ version: number | null }>(E.getValidatedVersion, { params: { name } })).version;
  }
  async recordReport(dataset: string, version: string, kind: ReportKind, passed: boolean | null, body: unknown): Promise<DatasetReport> {
    return (await this.t.json<{ report: DatasetReport }>(E.recordDatasetReport, { params: { name: dataset, ref: version, kind }, body: { passed, body } })).report;
  }
  async getReport(dataset: string, version: string, kind: ReportKind): Promise<DatasetReport | null> {
    return (await this.t.json<{ report: DatasetReport | null }>(E.getDatasetReport, { params: { name: dataset, ref: version, kind } })).report;
  }
  async missingBlobs(digests: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < digests.length; i += MISSING_BATCH) {
      const r = await this.t.json<{ missing: string[] }>(E.missingBlobs, { body: { digests: digests.slice(i, i + MISSING_BATCH) }, idempotent: true });
      out.push(...r.missing);
    }
    return out;
  }
  async putBlob(digest: string, body: ByteSource, size?: number): Promise<void> {
    await this.t.send(E.putBlob, { params: { digest }, query: { size }, raw: body });
  }
  async openBlob(digest: string): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.t.send(E.getBlob, { params: { digest } });
    return res.body as unknown as AsyncIterable<Uint8Array>;
  }
}
