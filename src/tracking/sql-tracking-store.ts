import { placeholders, type Db, type Queryable, type SqlValue } from '../storage/db.js';
import { isUniqueViolation } from '../storage/sql-errors.js';
import { AlreadyExists, InvalidArgument, NotFound } from '../core/errors.js';
import { isLater, type MetricSeries, type ArtifactEntry, type DatasetInput, type Experiment, type ExperimentStats, type LatestMetric, type Lifecycle, type Run } from './domain.js';
import { encodeSeries } from './metric-codec.js';
import { SqlArtifactIndex } from './sql-artifact-index.js';
import { EXPERIMENT_DEFAULT_ORDER, EXPERIMENT_SQL, compileEntityOrder, compileEntityWhere, compileRunSearch } from './search/index.js';
import type {
  ExperimentPatch, ExperimentQuery, NewExperiment, NewRun, RunBatch, RunHeader, RunPatch, RunQuery, StoredArtifact, TrackingStore,
} from './tracking-store.js';
import {
  groupKeyValues, toExperiment, toInput, toMetric, toRun, toRunHeader,
  type ExperimentRow, type InputRow, type KeyValueRow, type MetricRow, type RunRow,
} from './sql-rows.js';
import { readRunDetails, withDetails } from './sql-run-details.js';

/** Rows per multi-row INSERT: 3 values each stays far below SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_INSERT = 500;

/** `(?, ?, ?), (?, ?, ?)`: `rows` placeholder groups of `width`. */
const rowGroups = (rows: number, width: number): string => new Array<string>(rows).fill(placeholders(width)).join(', ');

const paramConflict = (key: string, had: string, wanted: string) => new InvalidArgument(
  `param '${key}' was already logged as '${had}' and cannot change to '${wanted}'; params are immutable, log the new value under another key or start a new run`);

const UPSERT_LATEST = `INSERT INTO latest_metrics (run_id, key, value, is_nan, step, timestamp) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, is_nan = excluded.is_nan, step = excluded.step, timestamp = excluded.timestamp
WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND excluded.timestamp >= latest_metrics.timestamp)`;

/** The newest point of a series by MLflow's rule, without allocating per point. */
function latestPoint(s: MetricSeries): LatestMetric {
  let b = 0;
  const at = (i: number): LatestMetric => ({ key: s.key, step: s.steps[i] as number, timestamp: s.timestamps[i] as number, value: s.values[i] as number });
  for (let i = 1; i < s.values.length; i++) {
    const ds = (s.steps[i] as number) - (s.steps[b] as number);
    if (ds > 0 || (ds === 0 && isLater(at(i), at(b)))) b = i;
  }
  return at(b);
}

/** The tracking store over the dialect layer: one implementation for SQLite and PostgreSQL. */
export class SqlTrackingStore implements TrackingStore {
  private readonly artifacts: SqlArtifactIndex;

  constructor(private readonly db: Db) {
    this.artifacts = new SqlArtifactIndex(db, 'artifacts', 'run_id');
  }

  async insertExperiment(e: NewExperiment): Promise<void> {
    try {
      await this.db.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO experiments (id, name, description, lifecycle, artifact_location, required_tags, run_name_pattern, created_at, updated_at)
           VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?)`,
          [e.id, e.name, e.description, e.artifactLocation, JSON.stringify(e.requiredTags), e.runNamePattern, e.now, e.now],
        );
        for (const [k, v] of Object.entries(e.tags)) {
          await tx.run('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)', [e.id, k, v]);
        }
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExists(`experiment '${e.name}' already exists; choose another name or use the existing one`);
      throw err;
    }
  }

  private async hydrateExperiments(rows: readonly ExperimentRow[]): Promise<Experiment[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const tags = groupKeyValues(
      await this.db.all<KeyValueRow>(
        `SELECT experiment_id AS owner, key, value FROM experiment_tags WHERE experiment_id IN ${placeholders(ids.length)}`, ids),
    );
    return rows.map((r) => toExperiment(r, tags.get(r.id) ?? {}));
  }

  async getExperiment(id: string): Promise<Experiment | undefined> {
    const row = await this.db.get<ExperimentRow>('SELECT * FROM experiments WHERE id = ?', [id]);
    return row ? (await this.hydrateExperiments([row]))[0] : undefined;
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    const row = await this.db.get<ExperimentRow>('SELECT * FROM experiments WHERE name = ?', [name]);
    return row ? (await this.hydrateExperiments([row]))[0] : undefined;
  }

  async listExperiments(q: ExperimentQuery): Promise<Experiment[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.lifecycle !== 'all') { where.push('e.lifecycle = ?'); params.push(q.lifecycle); }
    if (q.nameLike) { where.push(this.db.dialect.ilike('e.name', '?')); params.push(q.nameLike); }
    const f = compileEntityWhere(q.filter, EXPERIMENT_SQL, this.db.dialect);
    where.push(f.sql);
    params.push(...f.params);
    const rows = await this.db.all<ExperimentRow>(
      `SELECT e.* FROM experiments e WHERE ${where.join(' AND ')}
       ORDER BY ${compileEntityOrder(q.orderBy, EXPERIMENT_SQL, EXPERIMENT_DEFAULT_ORDER)} LIMIT ? OFFSET ?`, [...params, q.limit, q.offset]);
    return this.hydrateExperiments(rows);
  }

  async experimentStats(ids: readonly string[]): Promise<ExperimentStats[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.all<{ experiment_id: string; n: number | string; last: number | string | null }>(
      `SELECT experiment_id, COUNT(*) AS n,
              MAX(CASE WHEN end_time IS NOT NULL AND end_time > start_time THEN end_time ELSE start_time END) AS last
         FROM runs WHERE lifecycle = 'active' AND experiment_id IN ${placeholders(ids.length)} GROUP BY experiment_id`, [...ids]);
    return rows.map((r) => ({ experimentId: r.experiment_id, runCount: Number(r.n), lastActivity: r.last === null ? null : Number(r.last) }));
  }

  async updateExperiment(id: string, patch: ExperimentPatch, now: number): Promise<void> {
    const sets: string[] = ['updated_at = ?'];
    const params: SqlValue[] = [now];
    if (patch.name !== undefined) { sets.push('name = ?'); params.push(patch.name); }
    if (patch.description !== undefined) { sets.push('description = ?'); params.push(patch.description); }
    if (patch.requiredTags !== undefined) { sets.push('required_tags = ?'); params.push(JSON.stringify(patch.requiredTags)); }
    if (patch.runNamePattern !== undefined) { sets.push('run_name_pattern = ?'); params.push(patch.runNamePattern); }
    try {
      await this.db.run(`UPDATE experiments SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new AlreadyExists(`experiment '${patch.name}' already exists; choose another name`);
      throw err;
    }
  }

  async setExperimentLifecycle(id: string, lifecycle: Lifecycle, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Deleting an experiment deletes its active runs with it; restoring brings
      // back the runs deleted together with it, not those deleted before.
      if (lifecycle === 'deleted') {
        await tx.run(`UPDATE runs SET lifecycle = 'deleted', deleted_at = ? WHERE experiment_id = ? AND lifecycle = 'active'`, [now, id]);
      } else {
        await tx.run(
          `UPDATE runs SET lifecycle = 'active', deleted_at = NULL
           WHERE experiment_id = ? AND deleted_at = (SELECT deleted_at FROM experiments WHERE id = ?)`, [id, id]);
      }
      await tx.run('UPDATE experiments SET lifecycle = ?, updated_at = ?, deleted_at = ? WHERE id = ?',
        [lifecycle, now, lifecycle === 'deleted' ? now : null, id]);
    });
  }

  async setExperimentTag(id: string, key: string, value: string): Promise<void> {
    await this.db.run(
      `INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)
       ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value`, [id, key, value]);
  }

  async deleteExperimentTag(id: string, key: string): Promise<void> {
    await this.db.run('DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?', [id, key]);
  }

  async insertRun(r: NewRun): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO runs (id, experiment_id, name, status, lifecycle, user_id, start_time, end_time, parent_run_id, notes, artifact_uri)
         VALUES (?, ?, ?, ?, 'active', ?, ?, NULL, ?, ?, ?)`,
        [r.id, r.experimentId, r.name, r.status, r.userId, r.startTime, r.parentRunId, r.notes, r.artifactUri],
      );
      await this.writeKeyValues(tx, r.id, r.params, r.tags);
    });
  }

  async getRun(id: string): Promise<Run | undefined> {
    const [header, details] = await Promise.all([this.getRunHeader(id), readRunDetails(this.db, id)]);
    return header && withDetails(header, details);
  }

  async getRunHeader(id: string): Promise<RunHeader | undefined> {
    const r = await this.db.get<RunRow>('SELECT * FROM runs WHERE id = ?', [id]);
    return r && toRunHeader(r);
  }

  async getRuns(ids: readonly string[]): Promise<Run[]> {
    if (ids.length === 0) return [];
    const list = placeholders(ids.length);
    const [rows, params, tags, metrics, inputs] = await Promise.all([
      this.db.all<RunRow>(`SELECT * FROM runs WHERE id IN ${list}`, ids),
      this.db.all<KeyValueRow>(`SELECT run_id AS owner, key, value FROM params WHERE run_id IN ${list}`, ids),
      this.db.all<KeyValueRow>(`SELECT run_id AS owner, key, value FROM run_tags WHERE run_id IN ${list}`, ids),
      this.db.all<MetricRow>(`SELECT * FROM latest_metrics WHERE run_id IN ${list} ORDER BY key`, ids),
      this.db.all<InputRow>(
        `SELECT i.run_id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile, i.context, i.tags
         FROM run_inputs i JOIN datasets d ON d.id = i.dataset_id WHERE i.run_id IN ${list} ORDER BY d.name`, ids),
    ]);
    const p = groupKeyValues(params);
    const t = groupKeyValues(tags);
    const m = new Map<string, LatestMetric[]>();
    for (const row of metrics) {
      const xs = m.get(row.run_id) ?? [];
      xs.push(toMetric(row));
      m.set(row.run_id, xs);
    }
    const ins = new Map<string, DatasetInput[]>();
    for (const row of inputs) {
      const xs = ins.get(row.run_id) ?? [];
      xs.push(toInput(row));
      ins.set(row.run_id, xs);
    }
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      return r ? [toRun(r, p.get(id) ?? {}, t.get(id) ?? {}, m.get(id) ?? [], ins.get(id) ?? [])] : [];
    });
  }

  async updateRun(id: string, patch: RunPatch): Promise<Run | undefined> {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    if (patch.name !== undefined) { sets.push('name = ?'); params.push(patch.name); }
    if (patch.status !== undefined) { sets.push('status = ?'); params.push(patch.status); }
    if (patch.endTime !== undefined) { sets.push('end_time = ?'); params.push(patch.endTime); }
    if (patch.notes !== undefined) { sets.push('notes = ?'); params.push(patch.notes); }
    if (sets.length === 0) return this.getRun(id);
    const [row, details] = await Promise.all([
      this.db.get<RunRow>(`UPDATE runs SET ${sets.join(', ')} WHERE id = ? RETURNING *`, [...params, id]),
      readRunDetails(this.db, id),
    ]);
    return row && withDetails(toRunHeader(row), details);
  }

  async setRunLifecycle(id: string, lifecycle: Lifecycle, now: number): Promise<void> {
    await this.db.run('UPDATE runs SET lifecycle = ?, deleted_at = ? WHERE id = ?',
      [lifecycle, lifecycle === 'deleted' ? now : null, id]);
  }

  private async writeKeyValues(tx: Queryable, runId: string, params?: Record<string, string>, tags?: Record<string, string>) {
    const pKeys = Object.keys(params ?? {});
    if (params && pKeys.length > 0) {
      const existing = await tx.all<{ key: string; value: string }>(
        `SELECT key, value FROM params WHERE run_id = ? AND key IN ${placeholders(pKeys.length)}`, [runId, ...pKeys]);
      for (const e of existing) {
        if (params[e.key] !== e.value) throw paramConflict(e.key, e.value, params[e.key] as string);
      }
      const have = new Set(existing.map((e) => e.key));
      const fresh = pKeys.filter((k) => !have.has(k));
      for (let at = 0; at < fresh.length; at += ROWS_PER_INSERT) {
        const keys = fresh.slice(at, at + ROWS_PER_INSERT);
        const ins = await tx.run(`INSERT INTO params (run_id, key, value) VALUES ${rowGroups(keys.length, 3)} ON CONFLICT (run_id, key) DO NOTHING`,
          keys.flatMap((k) => [runId, k, params[k] as string]));
        if (ins.changes < keys.length) {
          // Another writer logged some of these keys between our read and our insert.
          const won = await tx.all<{ key: string; value: string }>(
            `SELECT key, value FROM params WHERE run_id = ? AND key IN ${placeholders(keys.length)}`, [runId, ...keys]);
          for (const w of won) {
            if (params[w.key] !== w.value) throw paramConflict(w.key, w.value, params[w.key] as string);
          }
        }
      }
    }
    const tagRows = Object.entries(tags ?? {});
    for (let at = 0; at < tagRows.length; at += ROWS_PER_INSERT) {
      const rows = tagRows.slice(at, at + ROWS_PER_INSERT);
      await tx.run(
        `INSERT INTO run_tags (run_id, key, value) VALUES ${rowGroups(rows.length, 3)}
         ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value`, rows.flatMap(([k, v]) => [runId, k, v]));
    }
  }

  async writeBatch(runId: string, batch: RunBatch, idempotencyKey: string | null, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (idempotencyKey !== null) {
        const fresh = await tx.run('INSERT INTO ingest_keys (key, run_id, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
          [idempotencyKey, runId, now]);
        if (fresh.changes === 0) return false;
      }
      await this.writeKeyValues(tx, runId, batch.params, batch.tags);
      for (const s of batch.series ?? []) {
        if (s.values.length === 0) continue;
        for (const c of encodeSeries(s)) {
          await tx.run('INSERT INTO metric_chunks (run_id, key, n, min_step, max_step, data) VALUES (?, ?, ?, ?, ?, ?)',
            [runId, s.key, c.n, c.minStep, c.maxStep, c.data]);
        }
        const best = latestPoint(s);
        const nan = Number.isNaN(best.value);
        await tx.run(UPSERT_LATEST, [runId, s.key, nan ? null : best.value, nan ? 1 : 0, best.step, best.timestamp]);
      }
      if (batch.end) {
        const ended = await tx.run('UPDATE runs SET status = ?, end_time = ? WHERE id = ?', [batch.end.status, batch.end.endTime, runId]);
        // The run went between the caller's check and this transaction: write nothing.
        if (ended.changes === 0) throw new NotFound(`run '${runId}' does not exist; find runs with 'cairn runs list'`);
      }
      return true;
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.db.run('DELETE FROM run_tags WHERE run_id = ? AND key = ?', [runId, key]);
  }

  async logInputs(runId: string, experimentId: string, inputs: readonly DatasetInput[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const i of inputs) {
        const id = `${experimentId}:${i.name}:${i.digest}`;
        await tx.run(
          `INSERT INTO datasets (id, experiment_id, name, digest, source_type, source, schema, profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (experiment_id, name, digest) DO NOTHING`,
          [id, experimentId, i.name, i.digest, i.sourceType, i.source, i.schema, i.profile]);
        const ds = await tx.get<{ id: string }>('SELECT id FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?',
          [experimentId, i.name, i.digest]);
        await tx.run(
          `INSERT INTO run_inputs (run_id, dataset_id, context, tags) VALUES (?, ?, ?, ?)
           ON CONFLICT (run_id, dataset_id) DO UPDATE SET context = excluded.context, tags = excluded.tags`,
          [runId, ds?.id ?? id, i.context, JSON.stringify(i.tags)]);
      }
    });
  }

  async readMetricChunks(runId: string, key: string): Promise<{ n: number; data: Uint8Array }[]> {
    const rows = await this.db.all<{ n: number; data: Uint8Array }>(
      'SELECT n, data FROM metric_chunks WHERE run_id = ? AND key = ? ORDER BY id', [runId, key]);
    return rows.map((r) => ({ n: Number(r.n), data: r.data }));
  }

  async searchRunIds(q: RunQuery): Promise<string[]> {
    const { sql, params } = compileRunSearch(q, this.db.dialect);
    return (await this.db.all<{ id: string }>(sql, params)).map((r) => r.id);
  }

  putArtifact(runId: string, a: StoredArtifact, now: number): Promise<void> {
    return this.artifacts.put(runId, a, now);
  }

  getArtifact(runId: string, path: string): Promise<StoredArtifact | undefined> {
    return this.artifacts.get(runId, path);
  }

  listArtifacts(runId: string, dir: string): Promise<ArtifactEntry[]> {
    return this.artifacts.list(runId, dir);
  }

  deleteArtifacts(runId: string, path: string): Promise<number> {
    return this.artifacts.remove(runId, path);
  }
}
