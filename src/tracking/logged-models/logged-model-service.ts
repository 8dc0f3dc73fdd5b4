/** Logged-model use cases: validation and rules spanning experiments, runs and models, over a LoggedModelStore. */
import { InvalidArgument, InvalidState, NotFound } from '../../core/errors.js';
import { normalizeArtifactPath, putBytes, type BlobStore } from '../../artifacts/index.js';
import { checkTagMap } from '../batch-validation.js';
import { LIMITS, generateRunName, validateKey, type ArtifactEntry, type Page } from '../domain.js';
import { decodePageToken, encodePageToken, parseEntityFilter, parseEntityOrderBy } from '../search/index.js';
import type { ByteSource, TrackingApi } from '../tracking-api.js';
import type { CreateLoggedModelInput, LoggedModelApi, SearchLoggedModelsInput } from './logged-model-api.js';
import {
  LOGGED_MODEL_STATUSES, LOGGED_MODEL_VOCABULARY, checkModelName, isLoggedModelStatus,
  type LoggedModel, type LoggedModelMetric, type LoggedModelStatus, type RunModelDirection, type RunModelLink,
} from './logged-model.js';
import type { LoggedModelStore } from './logged-model-store.js';

export interface LoggedModelDeps {
  readonly store: LoggedModelStore;
  readonly blobs: BlobStore;
  /** Experiments and runs are looked up through the tracking capability. */
  readonly tracking: Pick<TrackingApi, 'getExperiment' | 'getRun'>;
  readonly now?: () => number;
  readonly random?: () => number;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 10_000;
const newModelId = (): string => `m-${globalThis.crypto.randomUUID().replaceAll('-', '')}`;

export class LoggedModelService implements LoggedModelApi {
  private readonly store: LoggedModelStore;
  private readonly blobs: BlobStore;
  private readonly tracking: LoggedModelDeps['tracking'];
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(deps: LoggedModelDeps) {
    this.store = deps.store;
    this.blobs = deps.blobs;
    this.tracking = deps.tracking;
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
  }

  async createLoggedModel(input: CreateLoggedModelInput): Promise<LoggedModel> {
    const exp = await this.tracking.getExperiment(input.experimentId);
    if (exp.lifecycle !== 'active') throw new InvalidState(`experiment '${exp.name}' is deleted; restore it before logging models to it`);
    const name = checkModelName(input.name ?? generateRunName(this.random));
    if (input.sourceRunId) await this.tracking.getRun(input.sourceRunId);
    if (input.modelType && input.modelType.length > LIMITS.keyLength) {
      throw new InvalidArgument(`model type is ${input.modelType.length} characters; the limit is ${LIMITS.keyLength}`);
    }
    const id = newModelId();
    await this.store.insert({
      id, experimentId: exp.id, name, sourceRunId: input.sourceRunId || null, modelType: input.modelType || null,
      artifactLocation: `${exp.artifactLocation}/models/${id}/artifacts`,
      params: checkTagMap('param', input.params ?? {}), tags: checkTagMap('tag', input.tags ?? {}), now: this.now(),
    });
    return this.getLoggedModel(id);
  }

  async getLoggedModel(id: string, opts: { readonly allowDeleted?: boolean } = {}): Promise<LoggedModel> {
    const m = await this.store.get(id);
    if (!m || (m.lifecycle === 'deleted' && !opts.allowDeleted)) {
      throw new NotFound(`logged model '${id}' does not exist${m ? ' (it is deleted)' : ''}`);
    }
    return m;
  }

  async searchLoggedModels(input: SearchLoggedModelsInput): Promise<Page<LoggedModel>> {
    const limit = input.maxResults ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new InvalidArgument(`max_results must be an integer from 1 to ${MAX_PAGE}; got ${limit}`);
    }
    const ids = [...input.experimentIds].map(String);
    if (ids.length === 0) throw new InvalidArgument('give at least one experiment id to search logged models in');
    for (const id of ids) await this.tracking.getExperiment(id);
    const filter = parseEntityFilter(input.filter, LOGGED_MODEL_VOCABULARY);
    const orderBy = parseEntityOrderBy(input.orderBy, LOGGED_MODEL_VOCABULARY);
    const lifecycle = input.lifecycle ?? 'active';
    const fp = JSON.stringify(['logged-models', [...ids].sort(), input.filter ?? '', input.orderBy ?? [], lifecycle]);
    const offset = input.pageToken ? decodePageToken(input.pageToken, fp).offset : 0;
    const rows = await this.store.search({ experimentIds: ids, filter, orderBy, lifecycle, limit: limit + 1, offset });
    return {
      items: rows.slice(0, limit),
      nextPageToken: rows.length > limit ? encodePageToken({ offset: offset + limit, fingerprint: fp }) : null,
    };
  }

  async finalizeLoggedModel(id: string, status: LoggedModelStatus, message: string | null = null): Promise<LoggedModel> {
    if (!isLoggedModelStatus(status)) throw new InvalidArgument(`status must be one of ${LOGGED_MODEL_STATUSES.join(', ')}; got '${String(status)}'`);
    await this.getLoggedModel(id);
    await this.store.setStatus(id, status, message, this.now());
    return this.getLoggedModel(id);
  }

  async deleteLoggedModel(id: string): Promise<void> {
    await this.getLoggedModel(id);
    await this.store.setLifecycle(id, 'deleted', this.now());
  }

  async setLoggedModelTags(id: string, tags: Record<string, string>): Promise<void> {
    const checked = checkTagMap('tag', tags, LIMITS.tagsPerBatch);
    await this.getLoggedModel(id);
    await this.store.setTags(id, checked, this.now());
  }

  async deleteLoggedModelTag(id: string, key: string): Promise<void> {
    const m = await this.getLoggedModel(id);
    if (!(key in m.tags)) throw new NotFound(`logged model '${id}' has no tag '${key}'`);
    await this.store.deleteTag(id, key, this.now());
  }

  async logLoggedModelParams(id: string, params: Record<string, string>): Promise<void> {
    const checked = checkTagMap('param', params, LIMITS.paramsPerBatch);
    await this.getLoggedModel(id);
    await this.store.logParams(id, checked, this.now());
  }

  async logLoggedModelMetrics(id: string, metrics: readonly LoggedModelMetric[]): Promise<void> {
    if (metrics.length > LIMITS.metricsPerBatch) throw new InvalidArgument(`a batch holds at most ${LIMITS.metricsPerBatch} metrics; got ${metrics.length}`);
    for (const m of metrics) {
      validateKey('metric', m.key);
      if (!Number.isSafeInteger(m.step) || !Number.isSafeInteger(m.timestamp)) {
        throw new InvalidArgument(`metric '${m.key}' needs integer step and timestamp`);
      }
    }
    await this.getLoggedModel(id);
    await this.store.logMetrics(id, metrics);
  }

  async linkRunModels(runId: string, direction: RunModelDirection, models: readonly { modelId: string; step: number }[]): Promise<void> {
    const run = await this.tracking.getRun(runId);
    if (run.lifecycle === 'deleted') throw new InvalidState(`run '${runId}' is deleted; restore it before recording its models`);
    for (const m of models) {
      await this.getLoggedModel(m.modelId);
      await this.store.link({ runId, modelId: m.modelId, direction, step: m.step });
    }
  }

  async runModelLinks(runId: string): Promise<RunModelLink[]> {
    return this.store.linksOfRun(runId);
  }

  async logModelArtifact(id: string, path: string, body: ByteSource): Promise<ArtifactEntry> {
    const clean = normalizeArtifactPath(path);
    await this.getLoggedModel(id);
    const blob = await putBytes(this.blobs, body);
    await this.store.putArtifact(id, { path: clean, digest: blob.digest, size: blob.size }, this.now());
    return { path: clean, isDir: false, size: blob.size, digest: blob.digest };
  }

  async listModelArtifacts(id: string, path = ''): Promise<ArtifactEntry[]> {
    await this.getLoggedModel(id, { allowDeleted: true });
    return this.store.listArtifacts(id, path === '' ? '' : normalizeArtifactPath(path));
  }

  async openModelArtifact(id: string, path: string): Promise<AsyncIterable<Uint8Array>> {
    const clean = normalizeArtifactPath(path);
    await this.getLoggedModel(id, { allowDeleted: true });
    const a = await this.store.getArtifact(id, clean);
    if (!a) throw new NotFound(`logged model '${id}' has no artifact '${clean}'`);
    return (await this.blobs.get(a.digest)) as AsyncIterable<Uint8Array>;
  }

  async deleteModelArtifact(id: string, path: string): Promise<void> {
    const clean = path === '' ? '' : normalizeArtifactPath(path);
    await this.getLoggedModel(id);
    await this.store.deleteArtifacts(id, clean);
  }
}
