/**
 * Actions of `cairn run`, `cairn repro` and `cairn runs check`: parse flags,
 * call the engines, print. Loaded only when one of them runs.
 */
import { ExitStatus } from '../cli/cli-error.js';
import type { CliContext } from '../cli/cli-context.js';
import { InvalidArgument, NotFound } from '../core/errors.js';
import { parseParams } from './command-template.js';
import type { ReproOptions, RunOptions } from './commands.js';
import { MANIFEST_PATH, parseInputRef, parseManifest } from './manifest.js';
import { checkReproducibility } from './reproducibility-checks.js';
import { reproduce } from './repro-executor.js';
import { executeRun } from './run-executor.js';
import { DEFAULT_TOLERANCE, parseMetricTolerance, parseTolerance } from './verdict.js';

function sampleMs(v: string | undefined): number {
  if (v === undefined) return 5000;
  const s = Number(v);
  if (!Number.isFinite(s) || s < 0.05 || s > 3600) throw new InvalidArgument(`--sample-interval must be seconds from 0.05 to 3600; got '${v}'`);
  return Math.round(s * 1000);
}

/** Exit status for a command that ended by a signal, as shells report it. */
const SIGNAL_STATUS: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGKILL: 137, SIGTERM: 143 };

export async function runCommand(ctx: CliContext, command: readonly string[], o: RunOptions): Promise<void> {
  if (command.length === 0) throw new InvalidArgument('no command given; write it after --, e.g. cairn run -- python train.py');
  const params = parseParams(o.param ?? []);
  const inputs = [
    ...(o.input ?? []).map((i) => parseInputRef(i)),
    ...(o.evalInput ?? []).map((i) => parseInputRef(i, 'evaluation')),
  ];
  const cfg = await ctx.config();
  const { HttpDataClient } = await import('../client/http-data-client.js');
  const data = new HttpDataClient({ url: cfg.url, token: cfg.token });
  const result = await executeRun({
    api: await ctx.tracking(),
    resolveVersion: async (dataset, ref) => (await data.getVersion(dataset, ref)).version,
    ...(o.experiment !== undefined ? { experiment: o.experiment } : {}),
    ...(o.name !== undefined ? { name: o.name } : {}),
    command, params, seed: o.seed ?? null, inputs,
    cwd: process.cwd(),
    env: cfg.env,
    envAllow: o.env ?? [],
    trackingUrl: cfg.url,
    token: cfg.token,
    requireClean: o.requireClean === true || cfg.requireClean,
    sampleIntervalMs: sampleMs(o.sampleInterval),
    stdout: ctx.out.stdout,
    stderr: ctx.out.stderr,
    note: (l) => ctx.out.note(l),
  });
  const { exitCode, signal } = result.child;
  const status = exitCode ?? (signal ? SIGNAL_STATUS[signal] ?? 1 : 1);
  if (status !== 0) throw new ExitStatus(status);
}

export async function reproCommand(ctx: CliContext, runId: string, o: ReproOptions): Promise<void> {
  const tolerance = o.tolerance === undefined ? DEFAULT_TOLERANCE : parseTolerance(o.tolerance);
  const perMetric = new Map((o.metricTolerance ?? []).map(parseMetricTolerance));
  const cfg = await ctx.config();
  const { dataClient } = await import('../data/data-actions.js');
  const r = await reproduce({
    api: await ctx.tracking(), data: (await dataClient(ctx)).api, runId, tolerance, perMetric,
    cwd: process.cwd(), env: cfg.env, trackingUrl: cfg.url, token: cfg.token,
    sampleIntervalMs: sampleMs(o.sampleInterval),
    // The rerun's own output goes to stderr, so stdout carries only the verdict.
    stdout: ctx.out.stderr, stderr: ctx.out.stderr,
    note: (l) => ctx.out.note(l),
  });
  if (o.json) {
    ctx.out.json({ verdict: r.verdict, reasons: r.reasons, run: r.original.id, rerun: r.rerun?.id ?? null, metrics: r.comparisons });
  } else {
    ctx.out.line(`${r.verdict}: run ${r.original.id}${r.rerun ? ` rerun as ${r.rerun.id}` : ''}`);
    for (const reason of r.reasons) ctx.out.line(`  - ${reason}`);
    if (r.verdict === 'REPRODUCED') for (const c of r.comparisons) ctx.out.line(`  ✓ ${c.key} = ${c.reproduced}`);
  }
  if (r.verdict !== 'REPRODUCED') throw new ExitStatus(1);
}

export async function checkCommand(ctx: CliContext, runId: string, o: { json?: boolean }): Promise<void> {
  const api = await ctx.tracking();
  const run = await api.getRun(runId);
  let text: string | null = null;
  try {
    const chunks: Uint8Array[] = [];
    for await (const c of await api.openArtifact(run.id, MANIFEST_PATH)) chunks.push(c);
    text = Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (!(e instanceof NotFound)) throw e;
  }
  const answers = checkReproducibility(text === null ? null : parseManifest(text));
  if (o.json) ctx.out.json({ run: run.id, answers });
  else for (const a of answers) ctx.out.line(`${a.ok ? 'yes' : 'no '}  ${a.question}  ${a.reason}`);
  if (answers.some((a) => !a.ok)) throw new ExitStatus(1);
}
