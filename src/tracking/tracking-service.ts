import { InvalidArgument, InvalidState, NotFound } from '../core/errors.js';
import type { BlobStore } from '../artifacts/index.js';
import { normalizeArtifactPath, putBytes } from '../artifacts/index.js';
import {
  LIMITS, checkNamingConventions, generateRunName, isRunStatus, isTerminalStatus, validateKey, validateRunNamePattern,
  validateValue, type ArtifactEntry, type DatasetInput, type Experiment, type ExperimentStats, type MetricSeries, type Page, type Run, type RunStatus,
} from './domain.js';
import { COLUMN, decodeChunks, decodeColumn, gatherPoints } from './metric-codec.js';
import { downsampleMinMax } from './downsample.js';
import {
  EXPERIMENT_VOCABULARY, decodePageToken, encodePageToken, parseEntityFilter, parseEntityOrderBy, parseFilter, parseOrderBy,
} from './search/index.js';
import type { NewRun, RunBatch, RunHeader, TrackingStore } from './tracking-store.js';
import type {
  ByteSource, CreateExperimentInput, CreateRunInput, HistoryOptions, ListExperimentsInput, LogBatchInput,
  SearchRunsInput, TrackingApi, UpdateExperimentInput, UpdateRunInput, WriteOptions,
} from './tracking-api.js';
import { checkSeries, checkTagMap, toSeries } from './batch-validation.js';

export interface TrackingDeps {
  readonly store: TrackingStore;
  readonly blobs: BlobStore;
  readonly now?: () => number;
  readonly random?: () => number;
  /** The URI scheme recorded on runs for their artifacts. */
  readonly artifactScheme?: string;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 50_000;

function pageSize(n: number | undefined): number {
  if (n === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new InvalidArgument(`maxResults must be an integer from 1 to ${MAX_PAGE}; got ${n}`);
  }
  return n;
}

const newId = (): string => globalThis.crypto.randomUUID().replaceAll('-', '');

/** Tracking use cases: validation and cross-entity rules over a TrackingStore. */
export class TrackingService implements TrackingApi {
  private readonly store: TrackingStore;
  private readonly blobs: BlobStore;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly scheme: string;

  constructor(deps: TrackingDeps) {
    this.store = deps.store;
    this.blobs = deps.blobs;
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.scheme = deps.artifactScheme ?? 'cairn-artifacts';
  }

  async createExperiment(input: CreateExperimentInput): Promise<Experiment> {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) throw new InvalidArgument('experiment name must be a non-empty string');
    if (name.length > LIMITS.experimentNameLength) {
      throw new InvalidArgument(`experiment name is ${name.length} characters; the limit is ${LIMITS.experimentNameLength}`);
    }
    if (input.runNamePattern) validateRunNamePattern(input.runNamePattern);
    const tags = checkTagMap('tag', input.tags ?? {});
    const id = String(Math.floor(this.random() * 9e14) + 1e14);
    await this.store.insertExperiment({
      id,
      name,
      description: input.description ?? null,
      artifactLocation: input.artifactLocation ?? `${this.scheme}:/${id}`,
      tags,
      requiredTags: (input.requiredTags ?? []).map((t) => validateKey('tag', t)),
      runNamePattern: input.runNamePattern ?? null,
      now: this.now(),
    });
    return this.getExperiment(id);
  }

  async getExperiment(id: string): Promise<Experiment> {
    const e = await this.store.getExperiment(String(id));
    if (!e) throw new NotFound(`experiment '${id}' does not exist; list experiments with 'cairn experiments list'`);
    return e;
  }

  async getExperimentByName(name: string): Promise<Experiment> {
    const e = await this.store.getExperimentByName(name);
    if (!e) throw new NotFound(`experiment named '${name}' does not exist; create it with 'cairn experiments create ${name}'`);
    return e;
  }

  async listExperiments(input: ListExperimentsInput = {}): Promise<Page<Experiment>> {
    const limit = pageSize(input.maxResults);
    const lifecycle = input.lifecycle ?? 'active';
    const filter = parseEntityFilter(input.filter, EXPERIMENT_VOCABULARY);
    const orderBy = parseEntityOrderBy(input.orderBy, EXPERIMENT_VOCABULARY);
    const fp = JSON.stringify(['experiments', lifecycle, input.nameLike ?? '', input.filter ?? '', input.orderBy ?? []]);
    const offset = input.pageToken ? decodePageToken(input.pageToken, fp).offset : 0;
    const rows = await this.store.listExperiments({
      lifecycle, nameLike: input.nameLike ?? null, filter, orderBy, limit: limit + 1, offset,
    });
    return {
      items: rows.slice(0, limit),
      nextPageToken: rows.length > limit ? encodePageToken({ offset: offset + limit, fingerprint: fp }) : null,
    };
  }

  async experimentStats(ids: readonly string[]): Promise<ExperimentStats[]> {
    if (ids.length > 1_000) throw new InvalidArgument(`experimentStats takes at most 1,000 experiment ids (got ${ids.length}); ask in pages`);
    const found = new Map((await this.store.experimentStats([...new Set(ids)])).map((s) => [s.experimentId, s]));
    return ids.map((id) => found.get(id) ?? { experimentId: id, runCount: 0, lastActivity: null });
  }

  async updateExperiment(id: string, input: UpdateExperimentInput): Promise<Experiment> {
    await this.getExperiment(id);
    if (input.name !== undefined && !input.name.trim()) throw new InvalidArgument('experiment name must be a non-empty string');
    if (input.runNamePattern) validateRunNamePattern(input.runNamePattern);
    await this.store.updateExperiment(id, {
      ...input,
      name: input.name?.trim(),
      requiredTags: input.requiredTags?.map((t) => validateKey('tag', t)),
    }, this.now());
    return this.getExperiment(id);
  }

  async deleteExperiment(id: string): Promise<void> {
    const e = await this.getExperiment(id);
    if (e.lifecycle === 'deleted') throw new InvalidState(`experiment '${e.name}' is already deleted`);
    await this.store.setExperimentLifecycle(id, 'deleted', this.now());
  }

  async restoreExperiment(id: string): Promise<void> {
    const e = await this.getExperiment(id);
    if (e.lifecycle === 'active') throw new InvalidState(`experiment '${e.name}' is not deleted; nothing to restore`);
    await this.store.setExperimentLifecycle(id, 'active', this.now());
  }

  async setExperimentTag(id: string, key: string, value: string): Promise<void> {
    await this.getExperiment(id);
    await this.store.setExperimentTag(id, validateKey('tag', key), validateValue('tag', key, value));
  }

  async deleteExperimentTag(id: string, key: string): Promise<void> {
    await this.getExperiment(id);
    await this.store.deleteExperimentTag(id, key);
  }

  private async experimentFor(input: CreateRunInput): Promise<Experiment> {
    if (input.experimentId !== undefined) return this.getExperiment(input.experimentId);
    if (input.experimentName !== undefined) {
      const found = await this.store.getExperimentByName(input.experimentName);
      if (found) return found;
      try {
        return await this.createExperiment({ name: input.experimentName });
      } catch (e) {
        const raced = await this.store.getExperimentByName(input.experimentName);
        if (raced) return raced;
        throw e;
      }
    }
    return this.getExperiment('0');
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    const exp = await this.experimentFor(input);
    if (exp.lifecycle !== 'active') {
      throw new InvalidState(`experiment '${exp.name}' is deleted; restore it with 'cairn experiments restore ${exp.id}' first`);
    }
    const name = input.name ?? generateRunName(this.random);
    if (typeof name !== 'string' || !name.trim() || name.length > LIMITS.runNameLength) {
      throw new InvalidArgument(`run name must be 1 to ${LIMITS.runNameLength} characters`);
    }
    const params = checkTagMap('param', input.params ?? {});
    const tags = checkTagMap('tag', input.tags ?? {});
    checkNamingConventions(exp, name, tags);
    if (input.parentRunId) await this.getRun(input.parentRunId);
    const id = newId();
    const run: NewRun = {
      id,
      experimentId: exp.id,
      name,
      status: 'RUNNING',
      userId: input.userId ?? null,
      startTime: input.startTime ?? this.now(),
      parentRunId: input.parentRunId ?? null,
      notes: input.notes ?? null,
      artifactUri: `${exp.artifactLocation}/${id}/artifacts`,
      params,
      tags,
    };
    await this.store.insertRun(run);
    // Nobody else knows the new id yet, so the run is exactly what was inserted.
    return { ...run, lifecycle: 'active', endTime: null, params: { ...run.params }, tags: { ...run.tags }, metrics: [], inputs: [] };
  }

  async getRun(id: string): Promise<Run> {
    const r = await this.store.getRun(id);
    if (!r) throw new NotFound(`run '${id}' does not exist; find runs with 'cairn runs list'`);
    return r;
  }

  /** The run's header (one query, not the whole run), once it is known to exist and not be deleted. */
  private async writableRun(id: string): Promise<RunHeader> {
    const r = await this.store.getRunHeader(id);
    if (!r) throw new NotFound(`run '${id}' does not exist; find runs with 'cairn runs list'`);
    return writable(r);
  }

  async updateRun(id: string, input: UpdateRunInput): Promise<Run> {
    const run = await this.writableRun(id);
    if (input.status !== undefined && !isRunStatus(input.status)) {
      throw new InvalidArgument(`status must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED; got '${String(input.status)}'`);
    }
    if (input.name !== undefined) {
      const exp = await this.getExperiment(run.experimentId);
      checkNamingConventions(exp, input.name, (await this.getRun(id)).tags);
    }
    if (input.notes && input.notes.length > LIMITS.notesLength) {
      throw new InvalidArgument(`notes are ${input.notes.length} characters; the limit is ${LIMITS.notesLength}`);
    }
    const endTime = input.endTime !== undefined ? input.endTime
      : input.status && isTerminalStatus(input.status) && run.endTime === null ? this.now() : undefined;
    const updated = await this.store.updateRun(id, { ...input, endTime });
    if (!updated) throw new NotFound(`run '${id}' does not exist; find runs with 'cairn runs list'`);
    return updated;
  }

  async deleteRun(id: string): Promise<void> {
    const r = await this.getRun(id);
    if (r.lifecycle === 'deleted') throw new InvalidState(`run '${id}' is already deleted`);
    await this.store.setRunLifecycle(id, 'deleted', this.now());
  }

  async restoreRun(id: string): Promise<void> {
    const r = await this.getRun(id);
    if (r.lifecycle === 'active') throw new InvalidState(`run '${id}' is not deleted; nothing to restore`);
    const exp = await this.getExperiment(r.experimentId);
    if (exp.lifecycle === 'deleted') throw new InvalidState(`run '${id}' belongs to deleted experiment '${exp.name}'; restore the experiment first`);
    await this.store.setRunLifecycle(id, 'active', this.now());
  }

  async logBatch(runId: string, batch: LogBatchInput, opts: WriteOptions = {}): Promise<void> {
    const checked = this.checkBatch(batch);
    await this.writableRun(runId);
    await this.store.writeBatch(runId, checked, opts.idempotencyKey ?? null, this.now());
  }

  /**
   * A run's last batch and its end in one write: `batch` as `logBatch` takes
   * it, then the terminal `status` and `endTime` (default now). For callers
   * that own a run's whole life and need nothing back, such as a study closing
   * a trial's run; `updateRun` is the general way to end a run.
   */
  async finishRun(runId: string, batch: LogBatchInput, status: RunStatus, endTime: number = this.now()): Promise<void> {
    if (!isRunStatus(status) || !isTerminalStatus(status)) {
      throw new InvalidArgument(`a run finishes as FINISHED, FAILED or KILLED; got '${String(status)}'`);
    }
    if (!Number.isFinite(endTime)) throw new InvalidArgument(`endTime must be a number of milliseconds; got ${String(endTime)}`);
    const checked = this.checkBatch(batch);
    await this.writableRun(runId);
    await this.store.writeBatch(runId, { ...checked, end: { status, endTime } }, null, this.now());
  }

  private checkBatch(batch: LogBatchInput): RunBatch {
    const metrics = batch.metrics ?? [];
    if (metrics.length > LIMITS.metricsPerBatch) {
      throw new InvalidArgument(`a batch holds at most ${LIMITS.metricsPerBatch} metrics; got ${metrics.length}. Split it, or use logMetricSeries`);
    }
    const params = checkTagMap('param', batch.params ?? {}, LIMITS.paramsPerBatch);
    const tags = checkTagMap('tag', batch.tags ?? {}, LIMITS.tagsPerBatch);
    return { params, tags, series: toSeries(metrics, this.now()) };
  }

  async logMetricSeries(runId: string, series: readonly MetricSeries[], opts: WriteOptions = {}): Promise<void> {
    checkSeries(series);
    await this.writableRun(runId);
    await this.store.writeBatch(runId, { series }, opts.idempotencyKey ?? null, this.now());
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.logBatch(runId, { tags: { [key]: value } });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    const r = writable(await this.getRun(runId));
    if (!(key in r.tags)) throw new NotFound(`run '${runId}' has no tag '${key}'`);
    await this.store.deleteTag(runId, key);
  }

  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    const r = await this.writableRun(runId);
    for (const i of inputs) {
      if (!i.name || !i.digest) throw new InvalidArgument('each dataset input needs a name and a digest');
    }
    await this.store.logInputs(runId, r.experimentId, inputs);
  }

  async getMetricHistory(runId: string, key: string, opts: HistoryOptions = {}): Promise<MetricSeries> {
    await this.getRun(runId);
    const chunks = await this.store.readMetricChunks(runId, key);
    if (opts.maxPoints !== undefined) {
      if (!Number.isInteger(opts.maxPoints) || opts.maxPoints < 4) throw new InvalidArgument('maxPoints must be an integer of at least 4');
      const xs = decodeColumn(chunks, opts.xAxis === 'timestamp' ? COLUMN.timestamps : COLUMN.steps);
      const picked = downsampleMinMax(xs, decodeColumn(chunks, COLUMN.values), opts.maxPoints, { xMin: opts.xMin, xMax: opts.xMax });
      return { key, ...gatherPoints(chunks, picked) };
    }
    const cols = decodeChunks(chunks);
    return { key, steps: Array.from(cols.steps), timestamps: Array.from(cols.timestamps), values: Array.from(cols.values) };
  }

  async searchRuns(input: SearchRunsInput): Promise<Page<Run>> {
    const limit = pageSize(input.maxResults);
    const ids = [...input.experimentIds].map(String);
    if (ids.length === 0) throw new InvalidArgument('give at least one experiment id to search in');
    const filter = parseFilter(input.filter ?? '');
    const orderBy = parseOrderBy(input.orderBy ?? []);
    const lifecycle = input.lifecycle ?? 'active';
    const fp = JSON.stringify([ids, input.filter ?? '', input.orderBy ?? [], lifecycle]);
    const offset = input.pageToken ? decodePageToken(input.pageToken, fp).offset : 0;
    const found = await this.store.searchRunIds({ experimentIds: ids, filter, orderBy, lifecycle, limit: limit + 1, offset });
    const runs = await this.store.getRuns(found.slice(0, limit));
    return {
      items: runs,
      nextPageToken: found.length > limit ? encodePageToken({ offset: offset + limit, fingerprint: fp }) : null,
    };
  }

  async logArtifact(runId: string, path: string, body: ByteSource): Promise<ArtifactEntry> {
    const clean = normalizeArtifactPath(path);
    await this.writableRun(runId);
    const blob = await putBytes(this.blobs, body);
    await this.store.putArtifact(runId, { path: clean, digest: blob.digest, size: blob.size }, this.now());
    return { path: clean, isDir: false, size: blob.size, digest: blob.digest };
  }

  async listArtifacts(runId: string, path = ''): Promise<ArtifactEntry[]> {
    await this.getRun(runId);
    return this.store.listArtifacts(runId, path === '' ? '' : normalizeArtifactPath(path));
  }

  async openArtifact(runId: string, path: string): Promise<AsyncIterable<Uint8Array>> {
    const clean = normalizeArtifactPath(path);
    await this.getRun(runId);
    const a = await this.store.getArtifact(runId, clean);
    if (!a) throw new NotFound(`run '${runId}' has no artifact '${clean}'; list them with 'cairn artifacts ls ${runId}'`);
    return (await this.blobs.get(a.digest)) as AsyncIterable<Uint8Array>;
  }

  async deleteArtifact(runId: string, path: string): Promise<void> {
    const clean = path === '' ? '' : normalizeArtifactPath(path);
    await this.writableRun(runId);
    await this.store.deleteArtifacts(runId, clean);
  }
}

/** Refuses writes to a deleted run. */
function writable<R extends RunHeader>(r: R): R {
  if (r.lifecycle === 'deleted') {
    throw new InvalidState(`run '${r.id}' is deleted; restore it with 'cairn runs restore ${r.id}' before writing to it`);
  }
  return r;
}
