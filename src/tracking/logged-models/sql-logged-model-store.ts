/** The logged-model store over the dialect layer: one implementation for SQLite and PostgreSQL. */
import { InvalidArgument } from '../../core/errors.js';
import { placeholders, type Db, type Queryable, type SqlValue } from '../../storage/db.js';
import type { ArtifactEntry, Lifecycle, Tags } from '../domain.js';
import { compileEntityOrder, compileEntityWhere, type EntityOrder, type EntitySqlMap } from '../search/index.js';
import { SqlArtifactIndex } from '../sql-artifact-index.js';
import { groupKeyValues, type KeyValueRow } from '../sql-rows.js';
import type { StoredArtifact } from '../tracking-store.js';
import type { LoggedModel, LoggedModelMetric, LoggedModelStatus, RunModelLink } from './logged-model.js';
import type { LoggedModelQuery, LoggedModelStore, NewLoggedModel } from './logged-model-store.js';

/** Columns of `logged_models m`. */
const LOGGED_MODEL_SQL: EntitySqlMap = {
  columns: {
    name: 'm.name', model_id: 'm.id', model_type: 'm.model_type', status: 'm.status', source_run_id: 'm.source_run_id',
    creation_timestamp: 'm.created_at', last_updated_timestamp: 'm.updated_at',
  },
  id: 'm.id',
  keyed: {
    tag: { table: 'logged_model_tags', owner: 'model_id' },
    param: { table: 'logged_model_params', owner: 'model_id' },
    metric: { table: 'logged_model_metrics', owner: 'model_id' },
  },
};

/** The newest model first, as MLflow lists them. */
const LOGGED_MODEL_DEFAULT_ORDER: readonly EntityOrder[] = [{ key: 'creation_timestamp', ascending: false }];

interface ModelRow {
  id: string; experiment_id: string; name: string; source_run_id: string | null; model_type: string | null;
  status: string; status_message: string | null; lifecycle: string; artifact_location: string; created_at: number; updated_at: number;
}
interface MetricRow {
  model_id: string; key: string; value: number | null; is_nan: number; step: number; timestamp: number;
  run_id: string | null; dataset_name: string | null; dataset_digest: string | null;
}

export class SqlLoggedModelStore implements LoggedModelStore {
  private readonly artifacts: SqlArtifactIndex;

  constructor(private readonly db: Db) {
    this.artifacts = new SqlArtifactIndex(db, 'logged_model_artifacts', 'model_id');
  }

  async insert(m: NewLoggedModel): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO logged_models (id, experiment_id, name, source_run_id, model_type, status, lifecycle, artifact_location, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'PENDING', 'active', ?, ?, ?)`,
        [m.id, m.experimentId, m.name, m.sourceRunId, m.modelType, m.artifactLocation, m.now, m.now]);
      await this.writeParams(tx, m.id, m.params);
      await this.writeTags(tx, m.id, m.tags);
    });
  }

  async get(id: string): Promise<LoggedModel | undefined> {
    const row = await this.db.get<ModelRow>('SELECT * FROM logged_models WHERE id = ?', [id]);
    return row ? (await this.hydrate([row]))[0] : undefined;
  }

  async search(q: LoggedModelQuery): Promise<LoggedModel[]> {
    const where = [`m.experiment_id IN ${placeholders(q.experimentIds.length)}`];
    const params: SqlValue[] = [...q.experimentIds];
    if (q.lifecycle !== 'all') { where.push('m.lifecycle = ?'); params.push(q.lifecycle); }
    const f = compileEntityWhere(q.filter, LOGGED_MODEL_SQL, this.db.dialect);
    where.push(f.sql);
    params.push(...f.params);
    const rows = await this.db.all<ModelRow>(
      `SELECT m.* FROM logged_models m WHERE ${where.join(' AND ')}
       ORDER BY ${compileEntityOrder(q.orderBy, LOGGED_MODEL_SQL, LOGGED_MODEL_DEFAULT_ORDER)} LIMIT ? OFFSET ?`,
      [...params, q.limit, q.offset]);
    return this.hydrate(rows);
  }

  private async hydrate(rows: readonly ModelRow[]): Promise<LoggedModel[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const list = placeholders(ids.length);
    const [params, tags, metrics] = await Promise.all([
      this.db.all<KeyValueRow>(`SELECT model_id AS owner, key, value FROM logged_model_params WHERE model_id IN ${list}`, ids),
      this.db.all<KeyValueRow>(`SELECT model_id AS owner, key, value FROM logged_model_tags WHERE model_id IN ${list}`, ids),
      this.db.all<MetricRow>(`SELECT * FROM logged_model_metrics WHERE model_id IN ${list} ORDER BY key, step, timestamp, id`, ids),
    ]);
    const p = groupKeyValues(params);
    const t = groupKeyValues(tags);
    const m = new Map<string, LoggedModelMetric[]>();
    for (const r of metrics) {
      const xs = m.get(r.model_id) ?? [];
      xs.push({
        key: r.key, value: r.is_nan ? NaN : Number(r.value), step: Number(r.step), timestamp: Number(r.timestamp),
        runId: r.run_id, datasetName: r.dataset_name, datasetDigest: r.dataset_digest,
      });
      m.set(r.model_id, xs);
    }
    return rows.map((r) => ({
      id: r.id, experimentId: r.experiment_id, name: r.name, sourceRunId: r.source_run_id, modelType: r.model_type,
      status: r.status as LoggedModelStatus, statusMessage: r.status_message, lifecycle: r.lifecycle as Lifecycle,
      artifactLocation: r.artifact_location, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
      params: p.get(r.id) ?? {}, tags: t.get(r.id) ?? {}, metrics: m.get(r.id) ?? [],
    }));
  }

  async setStatus(id: string, status: LoggedModelStatus, message: string | null, now: number): Promise<void> {
    await this.db.run('UPDATE logged_models SET status = ?, status_message = ?, updated_at = ? WHERE id = ?', [status, message, now, id]);
  }

  async setLifecycle(id: string, lifecycle: Lifecycle, now: number): Promise<void> {
    await this.db.run('UPDATE logged_models SET lifecycle = ?, updated_at = ? WHERE id = ?', [lifecycle, now, id]);
  }

  private async touch(tx: Queryable, id: string, now: number): Promise<void> {
    await tx.run('UPDATE logged_models SET updated_at = ? WHERE id = ?', [now, id]);
  }

  private async writeTags(tx: Queryable, id: string, tags: Tags): Promise<void> {
    await tx.runMany(
      'INSERT INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value',
      Object.entries(tags).map(([k, v]) => [id, k, v]));
  }

  private async writeParams(tx: Queryable, id: string, params: Tags): Promise<void> {
    for (const [k, v] of Object.entries(params)) {
      await tx.run('INSERT INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT (model_id, key) DO NOTHING', [id, k, v]);
      const had = await tx.get<{ value: string }>('SELECT value FROM logged_model_params WHERE model_id = ? AND key = ?', [id, k]);
      if (had && had.value !== v) {
        throw new InvalidArgument(`param '${k}' of logged model '${id}' is '${had.value}' and cannot change to '${v}'; params are immutable`);
      }
    }
  }

  async setTags(id: string, tags: Tags, now: number): Promise<void> {
    await this.db.transaction(async (tx) => { await this.writeTags(tx, id, tags); await this.touch(tx, id, now); });
  }

  async deleteTag(id: string, key: string, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?', [id, key]);
      await this.touch(tx, id, now);
    });
  }

  async logParams(id: string, params: Tags, now: number): Promise<void> {
    await this.db.transaction(async (tx) => { await this.writeParams(tx, id, params); await this.touch(tx, id, now); });
  }

  async logMetrics(id: string, metrics: readonly LoggedModelMetric[]): Promise<void> {
    await this.db.runMany(
      `INSERT INTO logged_model_metrics (model_id, key, value, is_nan, step, timestamp, run_id, dataset_name, dataset_digest)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      metrics.map((m) => {
        const nan = Number.isNaN(m.value);
        return [id, m.key, nan ? null : m.value, nan ? 1 : 0, m.step, m.timestamp, m.runId, m.datasetName, m.datasetDigest];
      }));
  }

  async link(l: RunModelLink): Promise<void> {
    await this.db.run(
      `INSERT INTO run_model_links (run_id, model_id, direction, step) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id, model_id, direction) DO UPDATE SET step = excluded.step`,
      [l.runId, l.modelId, l.direction, l.step]);
  }

  async linksOfRun(runId: string): Promise<RunModelLink[]> {
    const rows = await this.db.all<{ run_id: string; model_id: string; direction: string; step: number }>(
      'SELECT * FROM run_model_links WHERE run_id = ? ORDER BY direction, model_id', [runId]);
    return rows.map((r) => ({ runId: r.run_id, modelId: r.model_id, direction: r.direction as RunModelLink['direction'], step: Number(r.step) }));
  }

  putArtifact(id: string, a: StoredArtifact, now: number): Promise<void> { return this.artifacts.put(id, a, now); }
  getArtifact(id: string, path: string): Promise<StoredArtifact | undefined> { return this.artifacts.get(id, path); }
  listArtifacts(id: string, dir: string): Promise<ArtifactEntry[]> { return this.artifacts.list(id, dir); }
  deleteArtifacts(id: string, path: string): Promise<number> { return this.artifacts.remove(id, path); }
}
