/**
 * A LoggedModelApi that records every successful mutation in the audit log,
 * acting as one actor, as `AuditedTrackingApi` does for runs: reads pass
 * straight through; status, lifecycle and tag changes hold the value before
 * and after; metric points are recorded as counts and keys, not values.
 * The entry is appended after the mutation commits.
 */
import type { Actor } from '../core/actor.js';
import type { ArtifactEntry, Page } from '../tracking/domain.js';
import type { CreateLoggedModelInput, LoggedModelApi, SearchLoggedModelsInput } from '../tracking/logged-models/logged-model-api.js';
import type { LoggedModel, LoggedModelMetric, LoggedModelStatus, RunModelDirection, RunModelLink } from '../tracking/logged-models/logged-model.js';
import type { ByteSource } from '../tracking/tracking-api.js';
import type { AuditLog } from './audit-log.js';

const T = 'logged_model';

export class AuditedLoggedModelApi implements LoggedModelApi {
  constructor(private readonly inner: LoggedModelApi, private readonly audit: AuditLog, private readonly actor: Actor) {}

  private async record(action: string, targetType: string, targetId: string, before?: unknown, after?: unknown): Promise<void> {
    await this.audit.append({ actor: this.actor.name, action, targetType, targetId, before, after });
  }

  // Reads
  getLoggedModel(id: string, opts?: { readonly allowDeleted?: boolean }): Promise<LoggedModel> { return this.inner.getLoggedModel(id, opts); }
  searchLoggedModels(input: SearchLoggedModelsInput): Promise<Page<LoggedModel>> { return this.inner.searchLoggedModels(input); }
  runModelLinks(runId: string): Promise<RunModelLink[]> { return this.inner.runModelLinks(runId); }
  listModelArtifacts(id: string, path?: string): Promise<ArtifactEntry[]> { return this.inner.listModelArtifacts(id, path); }
  openModelArtifact(id: string, path: string): Promise<AsyncIterable<Uint8Array>> { return this.inner.openModelArtifact(id, path); }

  async createLoggedModel(input: CreateLoggedModelInput): Promise<LoggedModel> {
    const m = await this.inner.createLoggedModel(input);
    await this.record('logged_model.create', T, m.id, undefined, {
      experimentId: m.experimentId, name: m.name, sourceRunId: m.sourceRunId, modelType: m.modelType, params: m.params, tags: m.tags,
    });
    return m;
  }
  async finalizeLoggedModel(id: string, status: LoggedModelStatus, message?: string | null): Promise<LoggedModel> {
    const before = await this.inner.getLoggedModel(id);
    const after = await this.inner.finalizeLoggedModel(id, status, message);
    await this.record('logged_model.finalize', T, id, { status: before.status }, { status: after.status, message: after.statusMessage });
    return after;
  }
  async deleteLoggedModel(id: string): Promise<void> {
    await this.inner.deleteLoggedModel(id);
    await this.record('logged_model.delete', T, id, { lifecycle: 'active' }, { lifecycle: 'deleted' });
  }
  async setLoggedModelTags(id: string, tags: Record<string, string>): Promise<void> {
    const old = (await this.inner.getLoggedModel(id)).tags;
    await this.inner.setLoggedModelTags(id, tags);
    await this.record('logged_model.tag.set', T, id, Object.fromEntries(Object.keys(tags).map((k) => [k, old[k] ?? null])), tags);
  }
  async deleteLoggedModelTag(id: string, key: string): Promise<void> {
    const old = (await this.inner.getLoggedModel(id)).tags[key] ?? null;
    await this.inner.deleteLoggedModelTag(id, key);
    await this.record('logged_model.tag.delete', T, id, { [key]: old }, { [key]: null });
  }
  async logLoggedModelParams(id: string, params: Record<string, string>): Promise<void> {
    await this.inner.logLoggedModelParams(id, params);
    await this.record('logged_model.log_params', T, id, undefined, { params });
  }
  async logLoggedModelMetrics(id: string, metrics: readonly LoggedModelMetric[]): Promise<void> {
    await this.inner.logLoggedModelMetrics(id, metrics);
    await this.record('logged_model.log_metrics', T, id, undefined, { metrics: { count: metrics.length, keys: [...new Set(metrics.map((m) => m.key))].sort() } });
  }
  async linkRunModels(runId: string, direction: RunModelDirection, models: readonly { modelId: string; step: number }[]): Promise<void> {
    await this.inner.linkRunModels(runId, direction, models);
    await this.record('run.link_models', 'run', runId, undefined, { direction, models: models.map((m) => m.modelId) });
  }
  async logModelArtifact(id: string, path: string, body: ByteSource): Promise<ArtifactEntry> {
    const a = await this.inner.logModelArtifact(id, path, body);
    await this.record('artifact.log', T, id, undefined, { path: a.path, digest: a.digest, size: a.size });
    return a;
  }
  async deleteModelArtifact(id: string, path: string): Promise<void> {
    await this.inner.deleteModelArtifact(id, path);
    await this.record('artifact.delete', T, id, { path }, null);
  }
}
