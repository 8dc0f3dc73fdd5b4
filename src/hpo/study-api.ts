/**
 * The HPO capability as callers see it (ask/tell). Implemented by
 * `StudyService` in process and by `HttpStudyClient` over /api/v1/studies,
 * and checked against both by one conformance suite. Trials are addressed
 * by study name and trial number.
 */
import type { Distribution, ParamValue } from './distributions.js';
import type { Study, Trial } from './domain.js';
import type { PluginSpec } from './registry.js';
import type { HistoryPoint, ParallelCoordinates } from './analysis.js';
import type { Direction, TrialState } from './study-view.js';

export interface CreateStudyInput {
  readonly name: string;
  /** One per objective; default `['minimize']`. */
  readonly directions?: readonly Direction[];
  /** Metric name per objective; default `value` (or `value_0`, `value_1`, … for several). */
  readonly metricNames?: readonly string[];
  /** Experiment (name) holding the trial runs; default: one named after the study. */
  readonly experiment?: string;
  readonly sampler?: PluginSpec;
  readonly pruner?: PluginSpec;
  /** A declarative space (`{lr: {type: 'float', low, high, log}}`); ask then samples every param. */
  readonly space?: Readonly<Record<string, unknown>> | null;
  readonly heartbeatTimeoutMs?: number | null;
  readonly maxRetries?: number;
  /** Return the existing study of that name instead of failing. */
  readonly loadIfExists?: boolean;
}

export interface AskInput {
  /** Who runs the trial (`host:pid`); shown in trial lists. */
  readonly worker?: string;
}

export interface TellInput {
  /** Default COMPLETE. */
  readonly state?: 'COMPLETE' | 'PRUNED' | 'FAIL';
  /** Required for COMPLETE: one finite number per direction. */
  readonly values?: readonly number[];
}

export interface ReportOptions {
  /** Also log the value as the objective metric on the trial's run (default true; false when the run logged it itself). */
  readonly logToRun?: boolean;
}

export interface StudyReport {
  readonly study: Study;
  readonly counts: Readonly<Record<TrialState, number>>;
  /** The best trial (single objective) or the Pareto front (several). */
  readonly best: readonly Trial[];
  /** First objective's history. */
  readonly history: readonly HistoryPoint[];
  readonly parallelCoordinates: ParallelCoordinates;
  /** Param importances when an importance evaluator is installed; else null. */
  readonly importances: Readonly<Record<string, number>> | null;
}

export interface StudyApi {
  createStudy(input: CreateStudyInput): Promise<Study>;
  getStudy(name: string): Promise<Study>;
  listStudies(): Promise<Study[]>;
  /** A RUNNING trial: an enqueued or retried one when waiting (claimed atomically), else a new one. */
  ask(study: string, input?: AskInput): Promise<Trial>;
  /** Define-by-run: the value of one param; asking again with the same distribution returns the same value. */
  suggest(study: string, trial: number, name: string, distribution: Distribution): Promise<ParamValue>;
  /** Records an intermediate value and says whether the pruner would stop the trial. */
  report(study: string, trial: number, step: number, value: number, opts?: ReportOptions): Promise<{ shouldPrune: boolean }>;
  heartbeat(study: string, trial: number): Promise<void>;
  /** Finishes a RUNNING trial once. */
  tell(study: string, trial: number, input: TellInput): Promise<Trial>;
  /** A WAITING trial with fixed params, run before new samples. */
  enqueue(study: string, params: Readonly<Record<string, ParamValue>>): Promise<Trial>;
  listTrials(study: string, states?: readonly TrialState[]): Promise<Trial[]>;
  /** Best trial (single objective, at most one) or the Pareto front. */
  bestTrials(study: string): Promise<Trial[]>;
  /** Analysis for `cairn sweep report` and the UI. */
  studyReport(study: string): Promise<StudyReport>;
}
