/** Actions of `cairn sweep`, `cairn worker` and `cairn studies`: parse flags, call the engine, print. */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { parseDocument } from 'yaml';
import { ExitStatus } from '../cli/cli-error.js';
import type { CliContext } from '../cli/cli-context.js';
import { renderTable } from '../cli/table.js';
import { InvalidArgument } from '../core/errors.js';
import { HttpStudyClient } from '../client/http-study-client.js';
import type { Trial } from './domain.js';
import type { StudyApi } from './study-api.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import type { CairnConfig } from '../config/config.js';
import type { DirectServices } from '../server/direct-services.js';
import type { StoreOptions, SweepOptions, WorkerOptions } from './commands.js';
import { parseSweepConfig } from './sweep-config.js';
import { parseSearchSpace } from './search-space.js';
import { runSweep, SWEEP_COMMAND_TAG, type SweepInput } from './sweep-runner.js';

function pollMs(v: string | undefined): number {
  if (v === undefined) return 1000;
  const s = Number(v);
  if (!Number.isFinite(s) || s < 0.01 || s > 600) throw new InvalidArgument(`--poll-interval must be seconds from 0.01 to 600; got '${v}'`);
  return Math.round(s * 1000);
}

async function readYaml(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InvalidArgument(`cannot read sweep config ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  const doc = parseDocument(text);
  const err = doc.errors[0];
  if (err) throw new InvalidArgument(`${file}: ${err.message}`);
  return doc.toJS();
}

/** Where the sweep's own traffic goes: a server over HTTP, or, with `--db`, the shared store itself. */
interface Clients {
  readonly cfg: CairnConfig;
  readonly hpo: StudyApi;
  readonly tracking: TrackingApi;
  /** The direct connection's role check; null when a server checks roles itself. */
  readonly requireRole: DirectServices['requireRole'] | null;
  close(): Promise<void>;
}

async function clients(ctx: CliContext, o: StoreOptions = {}): Promise<Clients> {
  if (o.db === undefined) {
    if (o.artifacts !== undefined) throw new InvalidArgument('--artifacts goes with --db (a worker writing to the shared store itself); without --db the server stores artifacts');
    const cfg = await ctx.config();
    return { cfg, hpo: new HttpStudyClient({ url: cfg.url, token: cfg.token }), tracking: await ctx.tracking(), requireRole: null, close: async () => undefined };
  }
  const cfg = await ctx.config({ db: o.db, ...(o.artifacts === undefined ? {} : { artifacts: o.artifacts }) });
  const { openDirectServices } = await import('../server/direct-services.js');
  const d = await openDirectServices(cfg);
  return { cfg, hpo: d.hpo, tracking: d.tracking, requireRole: d.requireRole, close: d.close };
}

async function withClients<T>(ctx: CliContext, o: StoreOptions, fn: (c: Clients) => Promise<T>): Promise<T> {
  const c = await clients(ctx, o);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

async function run(c: Clients, ctx: CliContext, base: Omit<SweepInput, 'cwd' | 'env' | 'trackingUrl' | 'token' | 'stdout' | 'stderr' | 'note' | 'hpo' | 'tracking'>): Promise<void> {
  const { cfg, hpo, tracking } = c;
  await c.requireRole?.({ kind: 'experiment', id: base.study.experimentId }, 'editor');
  const trials = await runSweep({
    ...base, hpo, tracking, cwd: process.cwd(), env: cfg.env, trackingUrl: cfg.url, token: cfg.token,
    stdout: ctx.out.stderr, stderr: ctx.out.stderr, note: (l) => ctx.out.note(l),
  });
  const best = await hpo.bestTrials(base.study.name);
  ctx.out.line(`${base.study.name}: ${trials.length} trial(s) run here; best: ${best.map((t) => `trial ${t.number} ${JSON.stringify(t.values)} ${JSON.stringify(t.params)}`).join('; ') || 'none yet'}`);
  if (trials.length > 0 && trials.every((t) => t.state === 'FAIL')) throw new ExitStatus(1);
}

export async function sweepCommand(ctx: CliContext, command: readonly string[], o: SweepOptions): Promise<void> {
  if (command.length === 0) throw new InvalidArgument('no trial command given; write it after --, e.g. cairn sweep -c sweep.yaml -- python train.py --lr {lr}');
  if (o.config === undefined) throw new InvalidArgument('cairn sweep needs --config <sweep.yaml>; see cairn sweep --help for its keys');
  const conf = parseSweepConfig(await readYaml(o.config));
  await withClients(ctx, o, async (c) => {
    await c.requireRole?.({ kind: 'global' }, 'editor');
    const study = await c.hpo.createStudy(conf.study);
    if (JSON.stringify(study.space) !== JSON.stringify(parseSearchSpace(conf.study.space))) {
      ctx.out.note(`cairn sweep: study ${study.name} already exists with another search space; its stored space is used (choose a new study name to change it)`);
    }
    await c.tracking.setExperimentTag(study.experimentId, SWEEP_COMMAND_TAG, JSON.stringify(command));
    ctx.out.note(`cairn sweep: study ${study.name} (experiment ${study.experimentId}), sampler ${study.sampler.name}, pruner ${study.pruner.name}`);
    await run(c, ctx, {
      study, command, parallel: o.parallel ?? 1, studyTrials: o.trials ?? conf.trials, maxTrials: null,
      worker: o.worker ?? `${hostname()}:${process.pid}`, pollMs: pollMs(o.pollInterval),
    });
  });
}

export async function workerCommand(ctx: CliContext, command: readonly string[], o: WorkerOptions): Promise<void> {
  const poll = pollMs(o.pollInterval);
  await withClients(ctx, o, async (c) => {
    const study = await c.hpo.getStudy(o.study);
    let argv = command;
    if (argv.length === 0) {
      const tag = (await c.tracking.getExperiment(study.experimentId)).tags[SWEEP_COMMAND_TAG];
      if (!tag) throw new InvalidArgument(`study '${study.name}' has no recorded sweep command; give it after --`);
      argv = JSON.parse(tag) as string[];
    }
    if (study.space === null) throw new InvalidArgument(`study '${study.name}' has no declared search space; workers run studies created by cairn sweep or with a space`);
    await run(c, ctx, {
      study, command: argv, parallel: o.parallel ?? 1, studyTrials: o.trials ?? null, maxTrials: o.maxTrials ?? null,
      worker: o.worker ?? `${hostname()}:${process.pid}`, pollMs: poll,
    });
  });
}

const vals = (t: Trial): string => (t.values ? t.values.map((v) => v.toPrecision(6)).join(', ') : '-');

export async function reportCommand(ctx: CliContext, name: string, o: { json?: boolean }): Promise<void> {
  const { hpo } = await clients(ctx);
  const r = await hpo.studyReport(name);
  if (o.json) return ctx.out.json(r);
  ctx.out.line(`study ${r.study.name}: ${r.study.directions.join(', ')} ${r.study.metricNames.join(', ')}; sampler ${r.study.sampler.name}, pruner ${r.study.pruner.name}`);
  ctx.out.line(`trials: ${Object.entries(r.counts).map(([s, n]) => `${n} ${s}`).join(', ')}`);
  ctx.out.line(r.study.directions.length > 1 ? `Pareto front (${r.best.length}):` : 'best:');
  for (const l of renderTable(r.best.map((t) => [String(t.number), vals(t), JSON.stringify(t.params), t.runId ?? '']), { header: ['TRIAL', 'VALUES', 'PARAMS', 'RUN'] })) ctx.out.line(`  ${l}`);
  const gains = r.history.filter((h, i) => i === 0 || h.best !== r.history[i - 1]?.best);
  if (gains.length > 0) ctx.out.line(`best so far: ${gains.map((h) => `#${h.number} ${h.best.toPrecision(4)}`).join(' → ')}`);
  if (r.importances) ctx.out.line(`importances: ${Object.entries(r.importances).map(([k, v]) => `${k}=${v.toFixed(3)}`).join(', ')}`);
}

export async function listStudiesCommand(ctx: CliContext, o: { json?: boolean }): Promise<void> {
  const { hpo } = await clients(ctx);
  const studies = await hpo.listStudies();
  if (o.json) return ctx.out.json({ items: studies });
  const rows = studies.map((s) => [s.name, s.directions.join(','), s.sampler.name, s.pruner.name, s.experimentId]);
  for (const l of renderTable(rows, { header: ['NAME', 'DIRECTIONS', 'SAMPLER', 'PRUNER', 'EXPERIMENT'] })) ctx.out.line(l);
}

export async function showStudyCommand(ctx: CliContext, name: string, o: { json?: boolean }): Promise<void> {
  const { hpo } = await clients(ctx);
  const trials = await hpo.listTrials(name);
  if (o.json) return ctx.out.json({ items: trials });
  const rows = trials.map((t) => [String(t.number), t.state, vals(t), JSON.stringify(t.params), t.runId ?? '', t.worker ?? '']);
  for (const l of renderTable(rows, { header: ['TRIAL', 'STATE', 'VALUES', 'PARAMS', 'RUN', 'WORKER'] })) ctx.out.line(l);
}
