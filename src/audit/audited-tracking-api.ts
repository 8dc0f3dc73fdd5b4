/**
 * A TrackingApi that records every successful mutation in the audit log,
 * acting as one actor. Reads pass straight through. Where a mutation
 * overwrites state (renames, status changes, tags, lifecycle) the entry holds
 * the value before and after; metric points are append-only observations, so
 * a batch is one entry with its counts and keys, not its values.
 *
 * The entry is appended after the mutation commits: a crash in between loses
 * the entry, never invents one.
 */
import type { Actor } from '../core/actor.js';
import { NotFound } from '../core/errors.js';
import type { ArtifactEntry, DatasetInput, Experiment, ExperimentStats, MetricSeries, Page, Run } from '../tracking/domain.js';
import type {
  ByteSource, CreateExperimentInput, CreateRunInput, HistoryOptions, ListExperimentsInput, LogBatchInput,
  SearchRunsInput, TrackingApi, UpdateExperimentInput, UpdateRunInput, WriteOptions,
} from '../tracking/tracking-api.js';
import type { AuditLog } from './audit-log.js';

const experimentState = (e: Experiment) => ({
  name: e.name, description: e.description, lifecycle: e.lifecycle, requiredTags: e.requiredTags, runNamePattern: e.runNamePattern,
});
const runState = (r: Run) => ({ name: r.name, status: r.status, lifecycle: r.lifecycle, endTime: r.endTime, notes: r.notes });
const keysOf = (o: Record<string, string> | undefined) => Object.keys(o ?? {}).sort();
const pick = (o: Readonly<Record<string, string>>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

export class AuditedTrackingApi implements TrackingApi {
  constructor(private readonly inner: TrackingApi, private readonly audit: AuditLog, private readonly actor: Actor) {}

  private async record(action: string, targetType: string, targetId: string, before?: unknown, after?: unknown): Promise<void> {
    await this.audit.append({ actor: this.actor.name, action, targetType, targetId, before, after });
  }

  /** Deletion and restore: the lifecycle before and after. */
  private async lifecycle(kind: 'experiment' | 'run', verb: 'delete' | 'restore', id: string, op: () => Promise<void>): Promise<void> {
    await op();
    const [from, to] = verb === 'delete' ? ['active', 'deleted'] : ['deleted', 'active'];
    await this.record(`${kind}.${verb}`, kind, id, { lifecycle: from }, { lifecycle: to });
  }

  /** A tag set (value) or deleted (null): its value before and after. */
  private async tag(kind: 'experiment' | 'run', id: string, key: string, value: string | null, op: () => Promise<void>): Promise<void> {
    const tags = kind === 'run' ? (await this.inner.getRun(id)).tags : (await this.inner.getExperiment(id)).tags;
    await op();
    await this.record(`${kind}.tag.${value === null ? 'delete' : 'set'}`, kind, id, { [key]: tags[key] ?? null }, { [key]: value });
  }

  // Reads
  getExperiment(id: string): Promise<Experiment> { return this.inner.getExperiment(id); }
  getExperimentByName(name: string): Promise<Experiment> { return this.inner.getExperimentByName(name); }
  listExperiments(input?: ListExperimentsInput): Promise<Page<Experiment>> { return this.inner.listExperiments(input); }
  experimentStats(ids: readonly string[]): Promise<ExperimentStats[]> { return this.inner.experimentStats(ids); }
  getRun(id: string): Promise<Run> { return this.inner.getRun(id); }
  getMetricHistory(runId: string, key: string, opts?: HistoryOptions): Promise<MetricSeries> { return this.inner.getMetricHistory(runId, key, opts); }
  searchRuns(input: SearchRunsInput): Promise<Page<Run>> { return this.inner.searchRuns(input); }
  listArtifacts(runId: string, path?: string): Promise<ArtifactEntry[]> { return this.inner.listArtifacts(runId, path); }
  openArtifact(runId: string, path: string): Promise<AsyncIterable<Uint8Array>> { return this.inner.openArtifact(runId, path); }

  // Experiments
  async createExperiment(input: CreateExperimentInput): Promise<Experiment> {
    const e = await this.inner.createExperiment(input);
    await this.record('experiment.create', 'experiment', e.id, undefined, { ...experimentState(e), tags: e.tags });
    return e;
  }
  async updateExperiment(id: string, input: UpdateExperimentInput): Promise<Experiment> {
    const before = await this.inner.getExperiment(id);
    const after = await this.inner.updateExperiment(id, input);
    await this.record('experiment.update', 'experiment', id, experimentState(before), experimentState(after));
    return after;
  }
  deleteExperiment(id: string): Promise<void> { return this.lifecycle('experiment', 'delete', id, () => this.inner.deleteExperiment(id)); }
  restoreExperiment(id: string): Promise<void> { return this.lifecycle('experiment', 'restore', id, () => this.inner.restoreExperiment(id)); }
  setExperimentTag(id: string, key: string, value: string): Promise<void> {
    return this.tag('experiment', id, key, value, () => this.inner.setExperimentTag(id, key, value));
  }
  deleteExperimentTag(id: string, key: string): Promise<void> {
    return this.tag('experiment', id, key, null, () => this.inner.deleteExperimentTag(id, key));
  }

  // Runs
  async createRun(input: CreateRunInput): Promise<Run> {
    // A run named into a missing experiment creates it: audit that creation too.
    const implicit = input.experimentId === undefined && input.experimentName !== undefined
      && !(await this.inner.getExperimentByName(input.experimentName).then(() => true, (e: unknown) => {
        if (e instanceof NotFound) return false;
        throw e;
      }));
    const r = await this.inner.createRun(input);
    if (implicit) {
      const e = await this.inner.getExperiment(r.experimentId);
      await this.record('experiment.create', 'experiment', e.id, undefined, { ...experimentState(e), tags: e.tags });
    }
    await this.record('run.create', 'run', r.id, undefined, {
      experimentId: r.experimentId, ...runState(r), parentRunId: r.parentRunId, params: r.params, tags: r.tags,
    });
    return r;
  }
  async updateRun(id: string, input: UpdateRunInput): Promise<Run> {
    const before = await this.inner.getRun(id);
    const after = await this.inner.updateRun(id, input);
    await this.record('run.update', 'run', id, runState(before), runState(after));
    return after;
  }
  deleteRun(id: string): Promise<void> { return this.lifecycle('run', 'delete', id, () => this.inner.deleteRun(id)); }
  restoreRun(id: string): Promise<void> { return this.lifecycle('run', 'restore', id, () => this.inner.restoreRun(id)); }
  async logBatch(runId: string, batch: LogBatchInput, opts?: WriteOptions): Promise<void> {
    const tagKeys = keysOf(batch.tags);
    const before = tagKeys.length > 0 ? { tags: pick((await this.inner.getRun(runId)).tags, tagKeys) } : undefined;
    await this.inner.logBatch(runId, batch, opts);
    const metrics = batch.metrics ?? [];
    await this.record('run.log_batch', 'run', runId, before, {
      metrics: { count: metrics.length, keys: [...new Set(metrics.map((m) => m.key))].sort() },
      params: batch.params ?? {},
      tags: batch.tags ?? {},
      ...(opts?.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    });
  }
  async logMetricSeries(runId: string, series: readonly MetricSeries[], opts?: WriteOptions): Promise<void> {
    await this.inner.logMetricSeries(runId, series, opts);
    await this.record('run.log_series', 'run', runId, undefined, {
      metrics: { count: series.reduce((n, s) => n + s.values.length, 0), keys: series.map((s) => s.key).sort() },
      ...(opts?.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    });
  }
  setTag(runId: string, key: string, value: string): Promise<void> {
    return this.tag('run', runId, key, value, () => this.inner.setTag(runId, key, value));
  }
  deleteTag(runId: string, key: string): Promise<void> {
    return this.tag('run', runId, key, null, () => this.inner.deleteTag(runId, key));
  }
  async logInputs(runId: string, inputs: readonly DatasetInput[]): Promise<void> {
    await this.inner.logInputs(runId, inputs);
    await this.record('run.log_inputs', 'run', runId, undefined, {
      inputs: inputs.map((i) => ({ name: i.name, digest: i.digest, context: i.context })),
    });
  }
  async logArtifact(runId: string, path: string, body: ByteSource): Promise<ArtifactEntry> {
    const a = await this.inner.logArtifact(runId, path, body);
    await this.record('artifact.log', 'run', runId, undefined, { path: a.path, digest: a.digest, size: a.size });
    return a;
  }

  async deleteArtifact(runId: string, path: string): Promise<void> {
    await this.inner.deleteArtifact(runId, path);
    await this.record('artifact.delete', 'run', runId, { path }, null);
  }
}
