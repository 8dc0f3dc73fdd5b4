/**
 * The engine of `cairn sweep` and `cairn worker`: trials as captured child
 * processes (the `cairn run` engine, recording into the trial's run).
 *
 * Protocol with the child: it logs the objective metric(s) to its run
 * (CAIRN_RUN_ID at CAIRN_URL, with Cairn's or MLflow's client or plain
 * HTTP), or prints a final JSON line holding them (`{"loss": 0.12}`: the
 * study's metric names as keys). The sweep polls the first objective
 * metric's history, feeds each new step to the pruner (`report`), and stops
 * the child's process group (SIGTERM) when the pruner says so: the trial is
 * PRUNED. On exit 0 each objective is the latest value of its metric, or,
 * when it was never logged, that key of the last non-empty stdout line
 * parsed as a JSON object; a failing command, or an objective found in
 * neither, makes the trial FAIL with the reason in the tag
 * `cairn.trial.fail_reason`. The child also
 * sees CAIRN_STUDY and CAIRN_TRIAL_NUMBER, so it may instead call the
 * ask/tell API's `report` itself and stop when `shouldPrune` is true.
 */
import type { Writable } from 'node:stream';
import { CairnError } from '../core/errors.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { executeRun } from '../repro/run-executor.js';
import { paramString, TRIAL_TAGS, type Study, type Trial } from './domain.js';
import type { StudyApi, TellInput } from './study-api.js';

export const SWEEP_COMMAND_TAG = 'cairn.sweep.command';

export interface SweepInput {
  readonly hpo: StudyApi;
  readonly tracking: TrackingApi;
  readonly study: Study;
  readonly command: readonly string[];
  /** Trials run at once by this process. */
  readonly parallel: number;
  /** Stop asking once the study holds this many trials (all workers together) and none is WAITING; null: no limit. */
  readonly studyTrials: number | null;
  /** Stop after this process has run this many trials; null: no limit. */
  readonly maxTrials: number | null;
  readonly worker: string;
  readonly pollMs: number;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly trackingUrl: string;
  readonly token: string | null;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly note: (line: string) => void;
}

const fmt = (t: Trial): string =>
  `trial ${t.number} ${t.state}${t.values ? ` values=${t.values.join(',')}` : ''} ${JSON.stringify(t.params)}`;

export async function runSweep(x: SweepInput): Promise<Trial[]> {
  const done: Trial[] = [];
  let started = 0;
  const full = async (): Promise<boolean> => {
    if (x.maxTrials !== null && started >= x.maxTrials) return true;
    if (x.studyTrials === null) return false;
    // Enqueued and retried trials still run after the count is reached.
    const trials = await x.hpo.listTrials(x.study.name);
    return trials.length >= x.studyTrials && !trials.some((t) => t.state === 'WAITING');
  };
  const lane = async (): Promise<void> => {
    while (!(await full())) {
      started++;
      let asked: Trial;
      try {
        asked = await x.hpo.ask(x.study.name, { worker: x.worker });
      } catch (e) {
        // A used-up grid ends the sweep; anything else is an error.
        if (e instanceof CairnError && e.code === 'INVALID_STATE') {
          x.note(`cairn sweep: ${e.message}`);
          return;
        }
        throw e;
      }
      const t = await runTrial(x, asked);
      if (t) {
        done.push(t);
        x.note(`cairn sweep: ${fmt(t)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, x.parallel) }, lane));
  return done;
}

async function runTrial(x: SweepInput, trial: Trial): Promise<Trial | null> {
  const runId = trial.runId as string;
  const metric = x.study.metricNames[0] ?? 'value';
  let pid: number | null = null;
  let pruned = false;
  let lastStep = -1;
  let busy = false;
  const poll = async (): Promise<void> => {
    if (busy || pruned) return;
    busy = true;
    try {
      const h = await x.tracking.getMetricHistory(runId, metric);
      for (let i = 0; i < h.steps.length && !pruned; i++) {
        const step = h.steps[i] as number;
        const value = h.values[i] as number;
        if (step <= lastStep || !Number.isFinite(value)) continue;
        lastStep = step;
        const r = await x.hpo.report(x.study.name, trial.number, step, value, { logToRun: false });
        if (r.shouldPrune && pid !== null) {
          pruned = true;
          try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
        }
      }
    } catch {
      // The next poll tries again; a lost poll only delays pruning.
    } finally {
      busy = false;
    }
  };
  const watch = setInterval(() => void poll(), x.pollMs);
  const beatMs = x.study.heartbeatTimeoutMs === null ? null : Math.max(10, x.study.heartbeatTimeoutMs / 3);
  const beat = beatMs === null ? undefined : setInterval(() => { x.hpo.heartbeat(x.study.name, trial.number).catch(() => undefined); }, beatMs);
  let outcome: TellInput;
  try {
    const r = await executeRun({
      api: x.tracking, runId, command: x.command,
      params: Object.fromEntries(Object.entries(trial.params).map(([k, v]) => [k, paramString(v)])),
      seed: null, inputs: [], cwd: x.cwd, env: { ...x.env, CAIRN_STUDY: x.study.name, CAIRN_TRIAL_NUMBER: String(trial.number) }, trackingUrl: x.trackingUrl, token: x.token, requireClean: false,
      tags: { 'cairn.sweep.worker': x.worker }, sampleIntervalMs: 5000, stdout: x.stdout, stderr: x.stderr, note: () => undefined,
      onSpawn: (p) => { pid = p; },
    });
    clearInterval(watch);
    while (busy) await new Promise((res) => setTimeout(res, 5));
    if (!pruned) await poll();
    outcome = pruned ? { state: 'PRUNED' } : r.status === 'FINISHED' ? await finalValues(x, runId, r.child.stdoutLastLine) : { state: 'FAIL' };
  } catch (e) {
    outcome = { state: 'FAIL' };
    x.note(`cairn sweep: trial ${trial.number} could not run: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearInterval(watch);
    clearInterval(beat);
  }
  try {
    return await x.hpo.tell(x.study.name, trial.number, outcome);
  } catch (e) {
    // The trial may have been failed by a heartbeat timeout meanwhile.
    if (e instanceof CairnError && e.code === 'INVALID_STATE') {
      x.note(`cairn sweep: trial ${trial.number}: ${e.message}`);
      return null;
    }
    throw e;
  }
}

/** The objective values of a run that exited 0: logged metrics first, else the final JSON line's keys. */
async function finalValues(x: SweepInput, runId: string, lastLine: string | null): Promise<TellInput> {
  const run = await x.tracking.getRun(runId);
  const printed = parseFinalLine(lastLine);
  const values: number[] = [];
  for (const m of x.study.metricNames) {
    const logged = run.metrics.find((l) => l.key === m)?.value;
    const v = logged !== undefined && Number.isFinite(logged) ? logged : printed.ok ? printed.values[m] : undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const why = printed.ok
        ? `its final JSON line has no finite number for "${m}"`
        : printed.reason;
      const reason = `exited 0 but logged no finite '${m}' metric, and ${why}; log '${m}' to CAIRN_RUN_ID or print {"${m}": <number>} as the last line`;
      x.note(`cairn sweep: run ${runId} ${reason}; the trial is FAIL`);
      await x.tracking.logBatch(runId, { tags: { [TRIAL_TAGS.failReason]: reason } }).catch(() => undefined);
      return { state: 'FAIL' };
    }
    values.push(v);
  }
  return { values };
}

type FinalLine = { ok: true; values: Readonly<Record<string, unknown>> } | { ok: false; reason: string };

/** The last stdout line as a JSON object, or why it is not one. */
function parseFinalLine(line: string | null): FinalLine {
  if (line === null) return { ok: false, reason: 'printed no final line' };
  const shown = line.length > 200 ? `${line.slice(0, 200)}…` : line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { ok: false, reason: `its last output line is not JSON: ${shown}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: `its last output line is JSON but not an object: ${shown}` };
  }
  return { ok: true, values: parsed as Record<string, unknown> };
}
