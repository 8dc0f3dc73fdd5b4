import { endpoints as E } from '../api/endpoints.js';
import { decodeRun, decodeSeries, encodeNumber, encodeSeries, type WireRun, type WireSeries } from '../api/wire.js';
import type { ArtifactEntry, DatasetInput, Experiment, ExperimentStats, MetricSeries, Page, Run } from '../tracking/domain.js';
import type {
  ByteSource, CreateExperimentInput, CreateRunInput, HistoryOptions, ListExperimentsInput, LogBatchInput,
  SearchRunsInput, TrackingApi, UpdateExperimentInput, UpdateRunInput, WriteOptions,
} from '../tracking/tracking-api.js';
import { Transport, type TransportOptions } from './transport.js';
import { normalizeArtifactPath } from '../artifacts/artifact-path.js';

/** TrackingApi over HTTP: the same contract as the in-process service. */
export class HttpTrackingClient implements TrackingApi {
  readonly transport: Transport;

  constructor(opts: TransportOptions | Transport) {
    this.transport = opts instanceof Transport ? opts : new Transport(opts);
  }

  private get t() { return this.transport; }

  async createExperiment(input: CreateExperimentInput): Promise<Experiment> {
    return (await this.t.json<{ experiment: Experiment }>(E.createExperiment, { body: input })).experiment;
  }
  async getExperiment(id: string): Promise<Experiment> {
    return (await this.t.json<{ experiment: Experiment }>(E.getExperiment, { params: { id } })).experiment;
  }
  async getExperimentByName(name: string): Promise<Experiment> {
    return (await this.t.json<{ experiment: Experiment }>(E.getExperimentByName, { params: { name } })).experiment;
  }
  async listExperiments(input: ListExperimentsInput = {}): Promise<Page<Experiment>> {
    const { orderBy, ...rest } = input;
    return this.t.json<Page<Experiment>>(E.listExperiments, { query: { ...rest, orderBy: orderBy?.length ? orderBy.join(',') : undefined } });
  }
  async updateExperiment(id: string, input: UpdateExperimentInput): Promise<Experiment> {
    return (await this.t.json<{ experiment: Experiment }>(E.updateExperiment, { params: { id }, body: input })).experiment;
  }
  async deleteExperiment(id: string): Promise<void> { await this.t.send(E.deleteExperiment, { params: { id } }); }
  async restoreExperiment(id: string): Promise<void> { await this.t.send(E.restoreExperiment, { params: { id } }); }
  async setExperimentTag(id: string, key: string, value: string): Promise<void> {
    await this.t.send(E.setExperimentTag, { params: { id }, body: { key, value } });
  }
  async deleteExperimentTag(id: string, key: string): Promise<void> {
    await this.t.send(E.deleteExperimentTag, { params: { id }, query: { key } });
  }

  async experimentStats(ids: readonly string[]): Promise<ExperimentStats[]> {
    return (await this.t.json<{ items: ExperimentStats[] }>(E.experimentStats, { body: { ids } })).items;
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    return decodeRun((await this.t.json<{ run: WireRun }>(E.createRun, { body: input })).run);
  }
  async getRun(id: string): Promise<Run> {
    return decodeRun((await this.t.json<{ run: WireRun }>(E.getRun, { params: { id } })).run);
  }
  async updateRun(id: string, input: UpdateRunInput): Promise<Run> {
    return decodeRun((await this.t.json<{ run: WireRun }>(E.updateRun, { params: { id }, body: input })).run);
  }
  async deleteRun(id: string): Promise<void> { await this.t.send(E.deleteRun, { params: { id } }); }
  async restoreRun(id: string): Promise<void> { await this.t.send(E.restoreRun, { params: { id } }); }

  async logBatch(runId: string, batch: LogBatchInput, opts: WriteOptions = {}): Promise<void> {
    const body = {
      ...batch,
      metrics: batch.metrics?.map((m) => ({ ...m, value: encodeNumber(m.value) })),
      idempotencyKey: opts.idempotencyKey,
    };
    await this.t.send(E.logBatch, { params: { id: runId }, body, idempotent: opts.idempotencyKey !== undefined });
  }
  async logMetricSeries(runId: string, series: readonly MetricSeries[], opts: WriteOptions = {}): Promise<void> {
    await this.t.send(E.logMetricSeries, {
      params: { id: runId },
      body: { series: series.map(encodeSeries), idempotencyKey: opts.idempotencyKey },
      idempotent: opts.idempotencyKey !== undefined,
    });
  }
  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.t.send(E.setTag, { params: { id: runId }, body: { key, value } });
  }
  async deleteTag(runId: string, key: string): Promise<void> {
    await this.t.send(E.deleteTag, { params: { id: runId }, query: { key } });
  }
  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    await this.t.send(E.logInputs, { params: { id: runId }, body: { inputs } });
  }
  async getMetricHistory(runId: string, key: string, opts: HistoryOptions = {}): Promise<MetricSeries> {
    const r = await this.t.json<{ series: WireSeries }>(E.getMetricHistory, { params: { id: runId }, query: { key, ...opts } });
    return decodeSeries(r.series);
  }
  async searchRuns(input: SearchRunsInput): Promise<Page<Run>> {
    const r = await this.t.json<{ items: WireRun[]; nextPageToken: string | null }>(E.searchRuns, { body: input });
    return { items: r.items.map(decodeRun), nextPageToken: r.nextPageToken };
  }

  async logArtifact(runId: string, path: string, body: ByteSource): Promise<ArtifactEntry> {
    return (await this.t.json<{ artifact: ArtifactEntry }>(E.logArtifact, { params: { id: runId, '*': normalizeArtifactPath(path) }, raw: body })).artifact;
  }
  async listArtifacts(runId: string, path = ''): Promise<ArtifactEntry[]> {
    return (await this.t.json<{ items: ArtifactEntry[] }>(E.listArtifacts, { params: { id: runId }, query: { path: path || undefined } })).items;
  }
  async deleteArtifact(runId: string, path: string): Promise<void> {
    await this.t.send(E.deleteArtifact, { params: { id: runId, '*': normalizeArtifactPath(path) } });
  }
  async openArtifact(runId: string, path: string): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.t.send(E.getArtifact, { params: { id: runId, '*': normalizeArtifactPath(path) } });
    return res.body as unknown as AsyncIterable<Uint8Array>;
  }
}
