/**
 * `cairn run`'s engine, shared with `cairn repro`: capture code, environment
 * and machine; create the run; run the command as a child with the run's
 * coordinates in its environment; sample system metrics; store the log; and
 * record the outcome.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { InvalidState, NotFound } from '../core/errors.js';
import type { Run, RunStatus } from '../tracking/domain.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { runChild, type ChildResult } from './child-runner.js';
import { expandCommand, paramEnvName } from './command-template.js';
import { DEFAULT_ENV_ALLOW, recordableEnv } from './env-filter.js';
import { captureGit } from './git-capture.js';
import { captureMachine, captureRuntimes, pythonFor } from './machine-capture.js';
import {
  LOG_PATH, MANIFEST_PATH, PATCH_PATH, REQUIREMENTS_PATH, TAGS, machineSummary, type InputRef, type RunManifest,
} from './manifest.js';
import { SystemSampler } from './system-sampler.js';
import { pointerTargets, withPointerInputs } from '../data/pointer-inputs.js';

export interface ExecuteInput {
  readonly api: TrackingApi;
  /** Experiment name or id; a missing name is created. Default: the Default experiment. */
  readonly experiment?: string;
  readonly name?: string;
  /** The command with `{param}` placeholders. */
  readonly command: readonly string[];
  readonly params: Readonly<Record<string, string>>;
  readonly seed: string | null;
  readonly inputs: readonly InputRef[];
  /** Absolute working folder. */
  readonly cwd: string;
  /** The environment the child inherits (the caller's). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Extra names (or `PREFIX*`) to record besides the default allow-list. */
  readonly envAllow?: readonly string[];
  readonly trackingUrl: string;
  readonly token: string | null;
  readonly requireClean: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  readonly sampleIntervalMs: number;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** One status line for the user (stderr). */
  readonly note: (line: string) => void;
  /** Record into this existing run (a sweep's trial run) instead of creating one. */
  readonly runId?: string;
  /** Called once the child has a pid; its process group is `-pid` (a sweep stops pruned trials through it). */
  readonly onSpawn?: (pid: number) => void;
  /**
   * The version number a dataset ref (`3`, `latest`, a tag) names now, so a
   * run records what it read, not a ref that may later name another version.
   * Absent: inputs are recorded as given.
   */
  readonly resolveVersion?: (dataset: string, ref: string) => Promise<number>;
}

/**
 * Each input's ref as the version number it names now (`ref` keeps what was
 * asked for). A version the server does not have is recorded as given, with a
 * note: the run goes ahead, and `cairn repro` will name it.
 */
async function resolveInputs(x: ExecuteInput, inputs: readonly InputRef[]): Promise<InputRef[]> {
  const resolve = x.resolveVersion;
  if (!resolve) return [...inputs];
  return Promise.all(inputs.map(async (i) => {
    if (i.version === null) return i;
    try {
      const n = String(await resolve(i.name, i.version));
      return n === i.version ? i : { ...i, version: n, ref: i.version };
    } catch (e) {
      if (!(e instanceof NotFound)) throw e;
      x.note(`cairn run: ${e.message}; ${i.name}@${i.version} is recorded as given, and cairn repro will report it missing`);
      return i;
    }
  }));
}

export interface ExecuteResult {
  readonly run: Run;
  readonly manifest: RunManifest;
  readonly freeze: string | null;
  readonly child: ChildResult;
  readonly status: RunStatus;
}

const KILL_SIGNALS = new Set(['SIGINT', 'SIGTERM', 'SIGKILL', 'SIGHUP']);

/** FINISHED on exit 0, KILLED when interrupted or killed, FAILED otherwise. */
export function statusOf(r: ChildResult): RunStatus {
  if (r.interrupted || (r.signal !== null && KILL_SIGNALS.has(r.signal))) return 'KILLED';
  return r.exitCode === 0 ? 'FINISHED' : 'FAILED';
}

async function experimentRef(api: TrackingApi, e: string | undefined): Promise<{ experimentId?: string; experimentName?: string }> {
  if (e === undefined) return {};
  for (const get of [api.getExperimentByName, api.getExperiment]) {
    try {
      return { experimentId: (await get.call(api, e)).id };
    } catch (err) {
      if (!(err instanceof NotFound)) throw err;
    }
  }
  return { experimentName: e };
}

const clip = (s: string, n = 5000): string => (s.length > n ? s.slice(s.length - n) : s);

export async function executeRun(x: ExecuteInput): Promise<ExecuteResult> {
  const git = await captureGit(x.cwd, pointerTargets(x.cwd));
  if (x.requireClean && git && (git.state.dirty || git.state.untracked.length > 0)) {
    throw new InvalidState(`require_clean is on and the working tree is dirty (${git.state.dirty ? 'uncommitted changes' : ''}${git.state.dirty && git.state.untracked.length ? ', ' : ''}${git.state.untracked.length ? `${git.state.untracked.length} untracked file(s)` : ''}); commit or stash them, or run without --require-clean`);
  }
  const [machine, runtimes] = await Promise.all([
    captureMachine(),
    captureRuntimes(pythonFor(x.command, x.env), git ? [x.cwd, git.state.root] : [x.cwd]),
  ]);
  // Data tracked by *.cairn pointer files in the working folder is an input too.
  const inputs = await resolveInputs(x, withPointerInputs(x.inputs, x.cwd));
  const manifest: RunManifest = {
    format: 1,
    command: [...x.command],
    cwd: git ? git.relativeCwd : x.cwd,
    params: { ...x.params },
    seed: x.seed,
    inputs,
    git: git?.state ?? null,
    env: recordableEnv(x.env, [...DEFAULT_ENV_ALLOW, ...(x.envAllow ?? [])]),
    machine,
    runtimes: { node: runtimes.node, python: runtimes.python },
    packages: runtimes.packages,
  };
  const tags: Record<string, string> = {
    [TAGS.command]: clip(JSON.stringify(x.command)),
    [TAGS.cwd]: manifest.cwd,
    [TAGS.host]: machineSummary(machine),
    [TAGS.mlflowSourceType]: 'LOCAL',
    [TAGS.mlflowSourceName]: clip(x.command.join(' ')),
    ...(x.seed !== null ? { [TAGS.seed]: x.seed } : {}),
    ...(runtimes.python ? { [TAGS.python]: runtimes.python } : {}),
    ...(runtimes.node ? { [TAGS.node]: runtimes.node } : {}),
    ...x.tags,
  };
  if (git) {
    tags[TAGS.dirty] = String(git.state.dirty);
    tags[TAGS.untracked] = String(git.state.untracked.length);
    if (git.state.commit) Object.assign(tags, { [TAGS.commit]: git.state.commit, [TAGS.mlflowCommit]: git.state.commit });
    if (git.state.branch) Object.assign(tags, { [TAGS.branch]: git.state.branch, [TAGS.mlflowBranch]: git.state.branch });
    if (git.state.remote) Object.assign(tags, { [TAGS.remote]: git.state.remote, [TAGS.mlflowRepo]: git.state.remote });
  }
  const run = x.runId !== undefined
    ? await x.api.logBatch(x.runId, { params: { ...x.params }, tags }).then(() => x.api.getRun(x.runId as string))
    : await x.api.createRun({
      ...(await experimentRef(x.api, x.experiment)),
      ...(x.name ? { name: x.name } : {}),
      params: { ...x.params },
      tags,
    });
  const enc = new TextEncoder();
  await x.api.logArtifact(run.id, MANIFEST_PATH, enc.encode(JSON.stringify(manifest, null, 2)));
  if (git?.patch) await x.api.logArtifact(run.id, PATCH_PATH, enc.encode(git.patch));
  if (runtimes.freeze !== null) await x.api.logArtifact(run.id, REQUIREMENTS_PATH, enc.encode(runtimes.freeze));
  if (inputs.length > 0) {
    await x.api.logInputs(run.id, inputs.map((i) => ({
      name: i.name, digest: i.version ?? 'unversioned', sourceType: 'cairn', source: `${i.name}@${i.version ?? ''}`,
      context: i.context ?? 'input', schema: null, profile: null,
      tags: { ...(i.version ? { version: i.version } : {}), ...(i.ref ? { ref: i.ref } : {}) } as Record<string, string>,
    })));
  }
  x.note(`cairn run: run ${run.id} (${run.name}) in experiment ${run.experimentId} at ${x.trackingUrl}`);

  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(x.env)) if (v !== undefined) childEnv[k] = v;
  Object.assign(childEnv, {
    CAIRN_URL: x.trackingUrl, CAIRN_RUN_ID: run.id, CAIRN_EXPERIMENT_ID: run.experimentId,
    MLFLOW_TRACKING_URI: x.trackingUrl, MLFLOW_RUN_ID: run.id, MLFLOW_EXPERIMENT_ID: run.experimentId,
    PYTHONUNBUFFERED: '1',
  });
  if (x.token) Object.assign(childEnv, { CAIRN_TOKEN: x.token, MLFLOW_TRACKING_TOKEN: x.token });
  if (x.seed !== null) Object.assign(childEnv, { CAIRN_SEED: x.seed, PYTHONHASHSEED: x.seed });
  for (const [k, v] of Object.entries(x.params)) childEnv[paramEnvName(k)] = v;

  const tmp = await mkdtemp(join(tmpdir(), 'cairn-run-'));
  let sampling: NodeJS.Timeout | undefined;
  try {
    let step = 0;
    let busy = false;
    const child = await runChild({
      argv: expandCommand(x.command, x.params, x.seed), cwd: x.cwd, env: childEnv,
      logFile: join(tmp, 'output.log'), stdout: x.stdout, stderr: x.stderr,
      onSpawn: (pid) => {
        x.onSpawn?.(pid);
        const sampler = new SystemSampler(pid, machine.gpus.length > 0);
        const tick = async (): Promise<void> => {
          if (busy) return;
          busy = true;
          try {
            const s = await sampler.sample();
            const metrics = Object.entries(s.values).map(([key, value]) => ({ key, value, step, timestamp: s.timestamp }));
            step++;
            await x.api.logBatch(run.id, { metrics });
          } catch {
            // A lost sample is not worth failing the run over.
          } finally {
            busy = false;
          }
        };
        void tick();
        sampling = setInterval(() => void tick(), x.sampleIntervalMs);
      },
    });
    clearInterval(sampling);
    const status = statusOf(child);
    await x.api.logArtifact(run.id, LOG_PATH, createReadStream(join(tmp, 'output.log')));
    const outcome: Record<string, string> = {
      [TAGS.exitCode]: String(child.exitCode ?? (child.signal ? `signal ${child.signal}` : '')),
      [TAGS.durationMs]: String(child.durationMs),
    };
    if (status !== 'FINISHED' && child.stderrTail) outcome[TAGS.stderrTail] = clip(child.stderrTail);
    await x.api.logBatch(run.id, { tags: outcome });
    const final = await x.api.updateRun(run.id, { status, endTime: Date.now() });
    x.note(`cairn run: ${status} after ${(child.durationMs / 1000).toFixed(1)} s (exit ${child.exitCode ?? child.signal}); run ${run.id}`);
    return { run: final, manifest, freeze: runtimes.freeze, child, status };
  } catch (e) {
    clearInterval(sampling);
    await x.api.updateRun(run.id, { status: 'FAILED', endTime: Date.now() }).catch(() => undefined);
    throw e;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
