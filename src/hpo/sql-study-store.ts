import type { Db } from '../storage/db.js';
import { isUniqueViolation } from '../storage/sql-errors.js';
import { AlreadyExists, Internal } from '../core/errors.js';
import type { Distribution, ParamValue } from './distributions.js';
import type { Study, Trial } from './domain.js';
import type { NewTrial, StudyStore } from './study-store.js';
import { TRIAL_STATES, type TrialState } from './study-view.js';

interface StudyRow {
  id: string; name: string; experiment_id: string; directions: string; metric_names: string; sampler: string; pruner: string;
  space: string | null; heartbeat_timeout_ms: number | string | null; max_retries: number | string; created_at: number | string;
}
interface TrialRow {
  id: string; study_id: string; number: number | string; state: string; run_id: string | null; params: string; distributions: string;
  fixed_params: string; trial_values: string | null; intermediate: string; worker: string | null; retry_of: number | string | null;
  heartbeat_at: number | string | null; started_at: number | string | null; completed_at: number | string | null;
}

const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toStudy(r: StudyRow): Study {
  return {
    id: r.id, name: r.name, experimentId: r.experiment_id, directions: JSON.parse(r.directions), metricNames: JSON.parse(r.metric_names),
    sampler: JSON.parse(r.sampler), pruner: JSON.parse(r.pruner), space: r.space === null ? null : JSON.parse(r.space),
    heartbeatTimeoutMs: numOrNull(r.heartbeat_timeout_ms), maxRetries: Number(r.max_retries), createdAt: Number(r.created_at),
  };
}

function toTrial(r: TrialRow): Trial {
  // The constant itself rather than the driver's copy: samplers compare every trial's state on each ask.
  const state = TRIAL_STATES.find((st) => st === r.state);
  if (!state) throw new Internal(`trial ${r.id} has an unknown state '${r.state}'`);
  return Object.freeze({
    id: r.id, number: Number(r.number), state, runId: r.run_id,
    params: JSON.parse(r.params), distributions: JSON.parse(r.distributions), fixedParams: JSON.parse(r.fixed_params),
    values: r.trial_values === null ? null : JSON.parse(r.trial_values), intermediate: JSON.parse(r.intermediate),
    worker: r.worker, retryOf: numOrNull(r.retry_of), heartbeatAt: numOrNull(r.heartbeat_at),
    startedAt: numOrNull(r.started_at), completedAt: numOrNull(r.completed_at),
  });
}

const TRIAL_COLS = 'id, study_id, number, state, run_id, params, distributions, fixed_params, trial_values, intermediate, worker, retry_of, heartbeat_at, started_at, completed_at';

/** The HPO store over the dialect layer: one implementation for SQLite and PostgreSQL. */
export class SqlStudyStore implements StudyStore {
  constructor(private readonly db: Db) {}

  async insertStudy(s: Study): Promise<void> {
    try {
      await this.db.run(
        `INSERT INTO studies (id, name, experiment_id, directions, metric_names, sampler, pruner, space, heartbeat_timeout_ms, max_retries, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [s.id, s.name, s.experimentId, JSON.stringify(s.directions), JSON.stringify(s.metricNames), JSON.stringify(s.sampler),
          JSON.stringify(s.pruner), s.space === null ? null : JSON.stringify(s.space), s.heartbeatTimeoutMs, s.maxRetries, s.createdAt],
      );
    } catch (e) {
      if (isUniqueViolation(e)) throw new AlreadyExists(`study '${s.name}' already exists; choose another name or load it (load_if_exists)`);
      throw e;
    }
  }

  async getStudy(name: string): Promise<Study | undefined> {
    const r = await this.db.get<StudyRow>('SELECT * FROM studies WHERE name = ?', [name]);
    return r && toStudy(r);
  }

  async listStudies(): Promise<Study[]> {
    return (await this.db.all<StudyRow>('SELECT * FROM studies ORDER BY created_at, name')).map(toStudy);
  }

  async insertTrial(t: NewTrial): Promise<Trial> {
    const running = t.state === 'RUNNING';
    // Two processes may pick the same next number; the unique key makes one retry.
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await this.db.get<TrialRow>(
          `INSERT INTO trials (id, study_id, number, state, params, distributions, fixed_params, intermediate, worker, retry_of, heartbeat_at, started_at)
           SELECT ?, ?, COALESCE(MAX(number), -1) + 1, ?, '{}', '{}', ?, '[]', ?, ?, ?, ? FROM trials WHERE study_id = ?
           RETURNING ${TRIAL_COLS}`,
          [t.id, t.studyId, t.state, JSON.stringify(t.fixedParams), t.worker, t.retryOf, running ? t.now : null, running ? t.now : null, t.studyId],
        );
        if (!r) throw new Internal(`inserting trial ${t.id} returned no row`);
        return toTrial(r);
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= 50) throw e;
      }
    }
  }

  async claimWaiting(studyId: string, worker: string | null, now: number): Promise<Trial | undefined> {
    for (;;) {
      const next = await this.db.get<{ id: string }>(
        "SELECT id FROM trials WHERE study_id = ? AND state = 'WAITING' ORDER BY number LIMIT 1", [studyId]);
      if (!next) return undefined;
      const r = await this.db.get<TrialRow>(
        `UPDATE trials SET state = 'RUNNING', worker = ?, heartbeat_at = ?, started_at = ? WHERE id = ? AND state = 'WAITING' RETURNING ${TRIAL_COLS}`,
        [worker, now, now, next.id]);
      if (r) return toTrial(r);
      // Another worker won this one; try the next.
    }
  }

  async getTrial(studyId: string, number: number): Promise<Trial | undefined> {
    const r = await this.db.get<TrialRow>(`SELECT ${TRIAL_COLS} FROM trials WHERE study_id = ? AND number = ?`, [studyId, number]);
    return r && toTrial(r);
  }

  async loadTrials(studyId: string, fromNumber: number): Promise<Trial[]> {
    const rows = await this.db.all<TrialRow>(
      `SELECT ${TRIAL_COLS} FROM trials WHERE study_id = ? AND number >= ? ORDER BY number`, [studyId, fromNumber]);
    return rows.map(toTrial);
  }

  async setRunId(trialId: string, runId: string, relative: Readonly<Record<string, ParamValue>> | null = null): Promise<void> {
    await this.db.run('UPDATE trials SET run_id = ?, relative_params = COALESCE(?, relative_params) WHERE id = ?',
      [runId, relative === null ? null : JSON.stringify(relative), trialId]);
  }

  async setParams(trialId: string, params: Readonly<Record<string, ParamValue>>, distributions: Readonly<Record<string, Distribution>>,
    relative: Readonly<Record<string, ParamValue>> | null, expected?: Readonly<Record<string, ParamValue>>): Promise<boolean> {
    const values = [JSON.stringify(params), JSON.stringify(distributions), relative === null ? null : JSON.stringify(relative), trialId];
    const { changes } = await this.db.run(
      `UPDATE trials SET params = ?, distributions = ?, relative_params = COALESCE(?, relative_params) WHERE id = ? AND state = 'RUNNING'${expected ? ' AND params = ?' : ''}`,
      expected ? [...values, JSON.stringify(expected)] : values);
    return changes === 1;
  }

  async setIntermediate(trialId: string, intermediate: ReadonlyArray<readonly [number, number]>, now: number): Promise<boolean> {
    const { changes } = await this.db.run(
      "UPDATE trials SET intermediate = ?, heartbeat_at = ? WHERE id = ? AND state = 'RUNNING'", [JSON.stringify(intermediate), now, trialId]);
    return changes === 1;
  }

  async heartbeat(trialId: string, now: number): Promise<boolean> {
    const { changes } = await this.db.run("UPDATE trials SET heartbeat_at = ? WHERE id = ? AND state = 'RUNNING'", [now, trialId]);
    return changes === 1;
  }

  async finish(studyId: string, number: number, state: Exclude<TrialState, 'WAITING' | 'RUNNING'>, values: readonly number[] | null, now: number): Promise<Trial | undefined> {
    const r = await this.db.get<TrialRow>(
      `UPDATE trials SET state = ?, trial_values = ?, completed_at = ? WHERE study_id = ? AND number = ? AND state = 'RUNNING' RETURNING ${TRIAL_COLS}`,
      [state, values === null ? null : JSON.stringify(values), now, studyId, number]);
    return r && toTrial(r);
  }

  async failStale(studyId: string, before: number, now: number): Promise<Trial[]> {
    const rows = await this.db.all<TrialRow>(
      `UPDATE trials SET state = 'FAIL', completed_at = ? WHERE study_id = ? AND state = 'RUNNING' AND heartbeat_at < ? RETURNING ${TRIAL_COLS}`,
      [now, studyId, before]);
    return rows.map(toTrial);
  }

  async relativeParams(trialId: string): Promise<Record<string, ParamValue> | null> {
    const r = await this.db.get<{ relative_params: string | null }>('SELECT relative_params FROM trials WHERE id = ?', [trialId]);
    return r?.relative_params ? JSON.parse(r.relative_params) : null;
  }
}
