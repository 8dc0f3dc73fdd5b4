/**
 * `cairn repro`: rerun a run from its recorded metadata alone — a clean git
 * worktree at the recorded commit with the recorded patch applied, every
 * recorded dataset version checked out there from the server, the same
 * command, params, seed and recorded environment — then compare the final
 * metrics and store one verdict on both runs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Writable } from 'node:stream';
import { InvalidState, NotFound } from '../core/errors.js';
import type { DataApi } from '../data/data-api.js';
import { restoreRunInputs } from '../data/restore-run-inputs.js';
import type { Run } from '../tracking/domain.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { probe, run as git } from './exec.js';
import { MANIFEST_PATH, PATCH_PATH, REQUIREMENTS_PATH, TAGS, parseManifest, type RunManifest } from './manifest.js';
import { executeRun } from './run-executor.js';
import {
  compareMetrics, decideVerdict, reproBlockers, type MetricComparison, type Tolerance, type Verdict,
} from './verdict.js';

export interface ReproInput {
  readonly api: TrackingApi;
  /** Where the recorded dataset versions are fetched from (the same server). */
  readonly data: DataApi;
  readonly runId: string;
  readonly tolerance: Tolerance;
  readonly perMetric: ReadonlyMap<string, Tolerance>;
  /** Where the user is: the repository to take the commit from, when it has it. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly trackingUrl: string;
  readonly token: string | null;
  readonly sampleIntervalMs: number;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly note: (line: string) => void;
}

export interface ReproResult {
  readonly verdict: Verdict;
  readonly reasons: readonly string[];
  readonly original: Run;
  /** The rerun; null when the run could not be rerun at all. */
  readonly rerun: Run | null;
  readonly comparisons: readonly MetricComparison[];
}

async function readText(api: TrackingApi, runId: string, path: string): Promise<string | null> {
  try {
    const chunks: Uint8Array[] = [];
    for await (const c of await api.openArtifact(runId, path)) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof NotFound) return null;
    throw e;
  }
}

const finalMetrics = (r: Run): Record<string, number> => Object.fromEntries(r.metrics.map((m) => [m.key, m.value]));

async function recordVerdict(api: TrackingApi, runIds: readonly string[], verdict: Verdict, reasons: readonly string[], rerunId: string | null): Promise<void> {
  const detail = reasons.join('\n');
  for (const id of runIds) {
    await api.logBatch(id, {
      tags: {
        [TAGS.verdict]: verdict,
        [TAGS.verdictDetail]: detail.length > 5000 ? `${detail.slice(0, 4990)}…` : detail || verdict,
        ...(rerunId !== null && id !== rerunId ? { [TAGS.reproRun]: rerunId } : {}),
      },
    });
  }
}

/** A repository that has `commit`: the user's, else the one the run was made in. */
async function findRepository(cwd: string, m: RunManifest, commit: string): Promise<string> {
  const candidates = [(await probe('git', ['rev-parse', '--show-toplevel'], { cwd }))?.trim(), m.git?.root];
  for (const dir of candidates) {
    if (!dir) continue;
    if ((await probe('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: dir })) !== null) return dir;
  }
  const where = m.git?.remote ? ` a clone of ${m.git.remote}` : ' the repository the run was made in';
  throw new InvalidState(`commit ${commit} is not in this repository; run cairn repro inside${where} (git fetch first)`);
}

export async function reproduce(x: ReproInput): Promise<ReproResult> {
  const original = await x.api.getRun(x.runId);
  const text = await readText(x.api, original.id, MANIFEST_PATH);
  const notReproducible = async (reasons: string[]): Promise<ReproResult> => {
    await recordVerdict(x.api, [original.id], 'NOT REPRODUCIBLE', reasons, null);
    return { verdict: 'NOT REPRODUCIBLE', reasons, original, rerun: null, comparisons: [] };
  };
  if (text === null) return notReproducible([`the run has no ${MANIFEST_PATH}: it was not started with 'cairn run', so its command, code and environment are unknown`]);
  const manifest = parseManifest(text);
  const blockers = reproBlockers(manifest);
  if (blockers.length > 0) return notReproducible(blockers);
  const commit = manifest.git?.commit as string;
  const repo = await findRepository(x.cwd, manifest, commit);

  const tree = await mkdtemp(join(tmpdir(), 'cairn-repro-'));
  let added = false;
  try {
    await git('git', ['worktree', 'add', '--detach', '--quiet', tree, commit], repo);
    added = true;
    if (manifest.git?.dirty) {
      const patch = await readText(x.api, original.id, PATCH_PATH);
      if (patch === null) return notReproducible([`the run had uncommitted changes but ${PATCH_PATH} is missing`]);
      const file = join(tree, '.cairn-repro.patch');
      await writeFile(file, patch);
      await git('git', ['apply', '--binary', '--whitespace=nowarn', file], tree);
      await rm(file);
    }
    const cwd = manifest.cwd === '.' ? tree : join(tree, manifest.cwd);
    const inputs = await restoreRunInputs(x.data, x.trackingUrl, cwd, manifest.inputs);
    if (inputs.missing.length > 0) return notReproducible([...inputs.missing]);
    for (const i of inputs.restored) {
      x.note(`cairn repro: ${i.name}@${i.version} (${i.files} files)${i.path === null ? ' exists' : ` checked out at ${relative(tree, i.path)}`}`);
    }
    x.note(`cairn repro: rerunning ${original.id} at ${commit.slice(0, 12)}${manifest.git?.dirty ? ' + recorded patch' : ''}`);
    const result = await executeRun({
      api: x.api,
      experiment: original.experimentId,
      name: `${original.name}-repro`,
      command: manifest.command,
      params: manifest.params,
      seed: manifest.seed,
      inputs: manifest.inputs,
      cwd,
      env: { ...x.env, ...manifest.env },
      trackingUrl: x.trackingUrl,
      token: x.token,
      requireClean: false,
      tags: { [TAGS.reproduces]: original.id },
      sampleIntervalMs: x.sampleIntervalMs,
      stdout: x.stdout,
      stderr: x.stderr,
      note: x.note,
    });
    const rerun = await x.api.getRun(result.run.id);
    const comparisons = compareMetrics(finalMetrics(original), finalMetrics(rerun), x.tolerance, x.perMetric);
    const { verdict, reasons } = decideVerdict({
      original: manifest,
      rerun: result.manifest,
      originalStatus: original.status,
      rerunStatus: rerun.status,
      comparisons,
      originalPackages: await readText(x.api, original.id, REQUIREMENTS_PATH),
      rerunPackages: result.freeze,
      rerunStderrTail: rerun.tags[TAGS.stderrTail] ?? null,
    });
    await recordVerdict(x.api, [original.id, rerun.id], verdict, reasons, rerun.id);
    return { verdict, reasons, original, rerun, comparisons };
  } finally {
    if (added) await probe('git', ['worktree', 'remove', '--force', tree], { cwd: repo });
    await rm(tree, { recursive: true, force: true });
    if (added) await probe('git', ['worktree', 'prune'], { cwd: repo });
  }
}
