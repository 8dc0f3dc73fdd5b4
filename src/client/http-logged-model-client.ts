import { endpoints as E } from '../api/endpoints.js';
import { decodeLoggedModel, encodeNumber, type WireLoggedModel } from '../api/wire.js';
import { normalizeArtifactPath } from '../artifacts/artifact-path.js';
import type { ArtifactEntry, Page } from '../tracking/domain.js';
import type {
  CreateLoggedModelInput, LoggedModel, LoggedModelApi, LoggedModelMetric, LoggedModelStatus, RunModelDirection, RunModelLink,
  SearchLoggedModelsInput,
} from '../tracking/logged-models/index.js';
import type { ByteSource } from '../tracking/tracking-api.js';
import { Transport, type TransportOptions } from './transport.js';

/** LoggedModelApi over HTTP: the same contract as the in-process service. */
export class HttpLoggedModelClient implements LoggedModelApi {
  readonly transport: Transport;

  constructor(opts: TransportOptions | Transport) {
    this.transport = opts instanceof Transport ? opts : new Transport(opts);
  }

  private get t() { return this.transport; }
  private async model(p: Promise<{ model: WireLoggedModel }>): Promise<LoggedModel> { return decodeLoggedModel((await p).model); }

  createLoggedModel(input: CreateLoggedModelInput): Promise<LoggedModel> {
    return this.model(this.t.json(E.createLoggedModel, { body: input }));
  }
  getLoggedModel(id: string, opts: { readonly allowDeleted?: boolean } = {}): Promise<LoggedModel> {
    return this.model(this.t.json(E.getLoggedModel, { params: { id }, query: { allowDeleted: opts.allowDeleted ? 'true' : undefined } }));
  }
  async searchLoggedModels(input: SearchLoggedModelsInput): Promise<Page<LoggedModel>> {
    const page = await this.t.json<Page<WireLoggedModel>>(E.searchLoggedModels, { body: input, idempotent: true });
    return { items: page.items.map(decodeLoggedModel), nextPageToken: page.nextPageToken };
  }
  finalizeLoggedModel(id: string, status: LoggedModelStatus, message: string | null = null): Promise<LoggedModel> {
    return this.model(this.t.json(E.finalizeLoggedModel, { params: { id }, body: { status, message }, idempotent: true }));
  }
  async deleteLoggedModel(id: string): Promise<void> { await this.t.send(E.deleteLoggedModel, { params: { id } }); }
  async setLoggedModelTags(id: string, tags: Record<string, string>): Promise<void> {
    await this.t.send(E.setLoggedModelTags, { params: { id }, body: { tags }, idempotent: true });
  }
  async deleteLoggedModelTag(id: string, key: string): Promise<void> {
    await this.t.send(E.deleteLoggedModelTag, { params: { id }, query: { key } });
  }
  async logLoggedModelParams(id: string, params: Record<string, string>): Promise<void> {
    await this.t.send(E.logLoggedModelParams, { params: { id }, body: { params }, idempotent: true });
  }
  async logLoggedModelMetrics(id: string, metrics: readonly LoggedModelMetric[]): Promise<void> {
    await this.t.send(E.logLoggedModelMetrics, { params: { id }, body: { metrics: metrics.map((m) => ({ ...m, value: encodeNumber(m.value) })) } });
  }
  async linkRunModels(runId: string, direction: RunModelDirection, models: readonly { modelId: string; step: number }[]): Promise<void> {
    await this.t.send(E.linkRunModels, { params: { id: runId }, body: { direction, models }, idempotent: true });
  }
  async runModelLinks(runId: string): Promise<RunModelLink[]> {
    return (await this.t.json<{ items: RunModelLink[] }>(E.runModelLinks, { params: { id: runId } })).items;
  }

  async logModelArtifact(id: string, path: string, body: ByteSource): Promise<ArtifactEntry> {
    return (await this.t.json<{ artifact: ArtifactEntry }>(E.logModelArtifact, { params: { id, '*': normalizeArtifactPath(path) }, raw: body })).artifact;
  }
  async listModelArtifacts(id: string, path = ''): Promise<ArtifactEntry[]> {
    return (await this.t.json<{ items: ArtifactEntry[] }>(E.listModelArtifacts, { params: { id }, query: { path: path || undefined } })).items;
  }
  async openModelArtifact(id: string, path: string): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.t.send(E.getModelArtifact, { params: { id, '*': normalizeArtifactPath(path) } });
    return res.body as unknown as AsyncIterable<Uint8Array>;
  }
  async deleteModelArtifact(id: string, path: string): Promise<void> {
    await this.t.send(E.deleteModelArtifact, { params: { id, '*': normalizeArtifactPath(path) } });
  }
}
