/**
 * The HPO store contract: studies and trials. Implemented once over the
 * dialect layer (`SqlStudyStore`) for SQLite and PostgreSQL.
 *
 * Promises:
 * - Safe across processes sharing one database: trial numbers are dense and
 *   unique per study; `claimWaiting` hands a WAITING trial to exactly one
 *   caller (a conditional UPDATE); `finish` succeeds once per trial.
 * - Returned trials are snapshots. A finished trial never changes again, so
 *   callers may cache finished trials and reload only from the lowest
 *   unfinished number (`loadTrials(studyId, fromNumber)`).
 */
import type { Distribution, ParamValue } from './distributions.js';
import type { Study, Trial } from './domain.js';
import type { TrialState } from './study-view.js';

export interface NewTrial {
  readonly id: string;
  readonly studyId: string;
  readonly state: 'WAITING' | 'RUNNING';
  readonly fixedParams: Readonly<Record<string, ParamValue>>;
  readonly worker: string | null;
  readonly retryOf: number | null;
  readonly now: number;
}

export interface StudyStore {
  /** Throws AlreadyExists when the name is taken. */
  insertStudy(s: Study): Promise<void>;
  getStudy(name: string): Promise<Study | undefined>;
  listStudies(): Promise<Study[]>;
  /** Inserts with the next free number; returns the new trial. */
  insertTrial(t: NewTrial): Promise<Trial>;
  /** Atomically moves the lowest-numbered WAITING trial to RUNNING for `worker`. */
  claimWaiting(studyId: string, worker: string | null, now: number): Promise<Trial | undefined>;
  getTrial(studyId: string, number: number): Promise<Trial | undefined>;
  /** Trials with number >= `fromNumber`, in number order. */
  loadTrials(studyId: string, fromNumber: number): Promise<Trial[]>;
  /** Links a trial to its run and, when given, records the relative params sampled at ask (one write). */
  setRunId(trialId: string, runId: string, relative?: Readonly<Record<string, ParamValue>> | null): Promise<void>;
  /**
   * Writes params and distributions of a RUNNING trial; false when it is no
   * longer RUNNING or, when `expected` is given, its stored params are no
   * longer exactly `expected` (compare-and-set: another writer got there first).
   */
  setParams(trialId: string, params: Readonly<Record<string, ParamValue>>, distributions: Readonly<Record<string, Distribution>>, relative: Readonly<Record<string, ParamValue>> | null,
    expected?: Readonly<Record<string, ParamValue>>): Promise<boolean>;
  /** Replaces the intermediate values of a RUNNING trial and refreshes its heartbeat; false when not RUNNING. */
  setIntermediate(trialId: string, intermediate: ReadonlyArray<readonly [number, number]>, now: number): Promise<boolean>;
  heartbeat(trialId: string, now: number): Promise<boolean>;
  /** RUNNING → a finished state, once; returns the finished trial, or undefined when it was not RUNNING (or does not exist). */
  finish(studyId: string, number: number, state: Exclude<TrialState, 'WAITING' | 'RUNNING'>, values: readonly number[] | null, now: number): Promise<Trial | undefined>;
  /** Marks RUNNING trials whose heartbeat is older than `before` FAIL; returns them as they are now. */
  failStale(studyId: string, before: number, now: number): Promise<Trial[]>;
  /** Relative params chosen at ask time, if any. */
  relativeParams(trialId: string): Promise<Record<string, ParamValue> | null>;
}
