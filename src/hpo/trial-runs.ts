/**
 * The Cairn run behind each trial, as a study writes it: created at ask with
 * the trial's tags, params for a declared space, intermediate values as
 * metric points, and at the end the params, final values, state tag and run
 * status. The study audits these writes as its trial events, so `tracking`
 * here is the unaudited service. Also: the experiment a study's runs go to.
 */
import { NotFound } from '../core/errors.js';
import type { RunStatus } from '../tracking/domain.js';
import type { LogBatchInput, TrackingApi } from '../tracking/tracking-api.js';
import type { ParamValue } from './distributions.js';
import { paramString, TRIAL_TAGS, type Study, type Trial } from './domain.js';

export type FinalState = 'COMPLETE' | 'PRUNED' | 'FAIL';

/** The run status a trial's final state gives its run. */
export const RUN_STATUS: Readonly<Record<FinalState, RunStatus>> = { COMPLETE: 'FINISHED', PRUNED: 'KILLED', FAIL: 'FAILED' };

const paramStrings = (params: Readonly<Record<string, ParamValue>>): Record<string, string> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, paramString(v)]));

/** The id of the experiment a study's runs go to, created (tagged with the study) when missing. */
export async function studyExperiment(tracking: TrackingApi, experimentName: string, studyName: string): Promise<string> {
  try {
    return (await tracking.getExperimentByName(experimentName)).id;
  } catch (e) {
    if (!(e instanceof NotFound)) throw e;
    return (await tracking.createExperiment({ name: experimentName, tags: { [TRIAL_TAGS.study]: studyName } }).catch(async (err: unknown) => {
      // Another process created it first.
      try { return await tracking.getExperimentByName(experimentName); } catch { throw err; }
    })).id;
  }
}

/**
 * The tracking a study writes its trial runs through (unaudited): the API,
 * and a run's last batch and end in one write (`TrackingService` has both).
 */
export interface TrialRunTracking extends TrackingApi {
  finishRun(runId: string, batch: LogBatchInput, status: RunStatus, endTime?: number): Promise<void>;
}

export class TrialRuns {
  constructor(private readonly tracking: TrialRunTracking, private readonly now: () => number) {}

  /** A RUNNING run for trial `number`, named `<study>-<number>`; returns its id. */
  async open(study: Study, number: number, startTime: number): Promise<string> {
    const run = await this.tracking.createRun({
      experimentId: study.experimentId, name: `${study.name}-${number}`, startTime,
      tags: { [TRIAL_TAGS.study]: study.name, [TRIAL_TAGS.number]: String(number), [TRIAL_TAGS.state]: 'RUNNING' },
    });
    return run.id;
  }

  async logParams(runId: string, params: Readonly<Record<string, ParamValue>>): Promise<void> {
    await this.tracking.logBatch(runId, { params: paramStrings(params) });
  }

  /** An intermediate value, as a point of the study's first metric. */
  async logIntermediate(study: Study, runId: string, step: number, value: number): Promise<void> {
    await this.tracking.logBatch(runId, { metrics: [{ key: study.metricNames[0] ?? 'value', value, step }] });
  }

  /** Records the outcome: params, final values (COMPLETE only), state tag and run status. */
  async close(study: Study, runId: string, state: FinalState, t: Trial, values: readonly number[] | null): Promise<void> {
    const step = t.intermediate.at(-1)?.[0] ?? 0;
    const metrics = (values ?? []).map((value, i) => ({ key: study.metricNames[i] ?? `value_${i}`, value, step }));
    await this.tracking.finishRun(runId, { params: paramStrings(t.params), metrics: state === 'COMPLETE' ? metrics : [], tags: { [TRIAL_TAGS.state]: state } },
      RUN_STATUS[state], this.now());
  }
}
