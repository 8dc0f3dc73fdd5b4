/**
 * Tracking's CLI commands: `cairn experiments`, `cairn runs` and
 * `cairn artifacts`. Thin: parse arguments, call the TrackingApi (the HTTP
 * client, loaded only when an action runs), print. Nothing heavy is imported
 * here, so registering these commands keeps `cairn --help` fast.
 */
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { formatBytes, formatDuration, formatNumber, formatTime, parseKeyValue } from '../cli/format.js';
import { collect, examples, parsePositiveInt } from '../cli/options.js';
import { allPages } from '../cli/all-pages.js';
import { renderComparison, renderTable, type CompareRow } from '../cli/table.js';
import { InvalidArgument, NotFound } from '../core/errors.js';
import type { Experiment, LifecycleFilter, Run } from './domain.js';
import type { TrackingApi } from './tracking-api.js';

export function registerTrackingCommands(program: Command, ctx: CliContext): void {
  registerExperiments(program, ctx);
  registerRuns(program, ctx);
  registerArtifacts(program, ctx);
}

/** Finds an experiment by name, else by id. */
export async function resolveExperiment(api: TrackingApi, idOrName: string): Promise<Experiment> {
  for (const get of [api.getExperimentByName, api.getExperiment]) {
    try {
      return await get.call(api, idOrName);
    } catch (e) {
      if (!(e instanceof NotFound)) throw e;
    }
  }
  throw new NotFound(`no experiment named '${idOrName}' or with that id; list them with 'cairn experiments list'`);
}

const print = (ctx: CliContext, lines: readonly string[]) => lines.forEach((l) => ctx.out.line(l));

/** `delete ID` and `restore ID` for experiments and runs. */
function registerLifecycle(
  parent: Command, ctx: CliContext, noun: 'experiment' | 'run',
  call: (api: TrackingApi, verb: 'delete' | 'restore', id: string) => Promise<void>,
): void {
  const help = {
    delete: `Delete a ${noun}; it stays restorable with '${parent.name()} restore'`,
    restore: `Restore a deleted ${noun}`,
  } as const;
  for (const verb of ['delete', 'restore'] as const) {
    examples(parent.command(verb).description(help[verb]).argument('<id>', `${noun} id`)
      .action(async (id: string) => {
        await call(await ctx.tracking(), verb, id);
        ctx.out.line(`${verb}d ${noun} ${id}`);
      }), `cairn ${parent.name()} ${verb} <${noun}-id>`);
  }
}

function registerExperiments(program: Command, ctx: CliContext): void {
  const cmd = program.command('experiments').description('List, create, delete and restore experiments');
  examples(cmd.command('list')
    .description('List experiments: the active ones, all of them (--all) or only deleted ones (--deleted)')
    .addOption(new Option('--all', 'include deleted experiments').conflicts('deleted'))
    .option('--deleted', 'only deleted experiments')
    .option('--json', 'print JSON')
    .action(async (o: { all?: boolean; deleted?: boolean; json?: boolean }) => {
      const api = await ctx.tracking();
      const lifecycle: LifecycleFilter = o.all ? 'all' : o.deleted ? 'deleted' : 'active';
      const items = await allPages((pageToken) => api.listExperiments({ lifecycle, pageToken }));
      if (o.json) return ctx.out.json(items);
      const rows = items.map((e) => [e.id, e.name, e.lifecycle, formatTime(e.createdAt), e.description ?? '']);
      print(ctx, renderTable(rows, { header: ['ID', 'NAME', 'STATE', 'CREATED', 'DESCRIPTION'] }));
    }), 'cairn experiments list', 'cairn experiments list --deleted --json');

  examples(cmd.command('create')
    .description('Create an experiment, optionally with naming rules that its runs must follow')
    .argument('<name>', 'experiment name, unique')
    .option('--description <text>', 'what the experiment is about')
    .option('--tag <key=value>', 'set a tag; repeat for more', collect)
    .option('--required-tag <key>', 'every run must carry this tag; repeat for more', collect)
    .option('--run-name-pattern <pattern>', "run names must match it: segments like 'task/model/variant', or 're:<regex>'")
    .option('--json', 'print the experiment as JSON')
    .action(async (name: string, o: { description?: string; tag?: string[]; requiredTag?: string[]; runNamePattern?: string; json?: boolean }) => {
      const tags = Object.fromEntries((o.tag ?? []).map((t) => {
        const kv = parseKeyValue(t);
        if (!kv) throw new InvalidArgument(`--tag '${t}' must look like key=value`);
        return kv;
      }));
      const e = await (await ctx.tracking()).createExperiment({
        name, description: o.description ?? null, tags, requiredTags: o.requiredTag ?? [], runNamePattern: o.runNamePattern ?? null,
      });
      if (o.json) return ctx.out.json(e);
      ctx.out.line(`created experiment ${e.id} '${e.name}'`);
    }), "cairn experiments create churn --description 'Churn model' --tag team=ml --required-tag dataset --run-name-pattern task/model/variant");

  registerLifecycle(cmd, ctx, 'experiment', (api, verb, id) =>
    verb === 'delete' ? api.deleteExperiment(id) : api.restoreExperiment(id));
}

interface FindOptions {
  readonly experiment?: readonly string[];
  readonly filter?: string;
  readonly orderBy?: readonly string[];
  readonly max: number;
  readonly json?: boolean;
}

/** The request schema's cap on experiment ids in one search. */
const MAX_SEARCH_EXPERIMENTS = 1000;

async function findRuns(ctx: CliContext, o: FindOptions): Promise<Run[]> {
  const api = await ctx.tracking();
  const named = o.experiment ?? [];
  const experimentIds = named.length > 0
    ? await Promise.all(named.map(async (x) => (await resolveExperiment(api, x)).id))
    : (await allPages((pageToken) => api.listExperiments({ pageToken }))).map((e) => e.id);
  if (experimentIds.length === 0) return [];
  if (experimentIds.length > MAX_SEARCH_EXPERIMENTS) {
    throw new InvalidArgument(`there are ${experimentIds.length} experiments, more than one search covers (${MAX_SEARCH_EXPERIMENTS}); name some with --experiment`);
  }
  const maxResults = Math.min(o.max, 1000);
  return allPages((pageToken) => api.searchRuns({ experimentIds, filter: o.filter, orderBy: o.orderBy, maxResults, pageToken }), o.max);
}

type Entity = 'metrics' | 'params' | 'tags';
interface KeyColumn { readonly entity: Entity; readonly key: string }

const REFERENCE_RE = /\b(metric|param|tag)s?\.(`[^`]*`|"[^"]*"|[\w\-./:]*[\w\-/:])/g;

/** The metrics, params and tags a filter or order-by mentions, to show them as columns. */
export function referencedKeys(texts: readonly string[]): KeyColumn[] {
  const found = new Map<string, KeyColumn>();
  for (const text of texts) {
    for (const [, kind = '', raw = ''] of text.matchAll(REFERENCE_RE)) {
      const key = /^[`"]/.test(raw) ? raw.slice(1, -1) : raw;
      const entity = `${kind}s` as Entity;
      found.set(`${entity}.${key}`, { entity, key });
    }
  }
  return [...found.values()];
}

function valueOf(run: Run, c: KeyColumn): string | null {
  if (c.entity === 'metrics') {
    const m = run.metrics.find((x) => x.key === c.key);
    return m ? formatNumber(m.value) : null;
  }
  return (c.entity === 'params' ? run.params : run.tags)[c.key] ?? null;
}

const duration = (r: Run) => formatDuration(r.endTime === null ? null : r.endTime - r.startTime);

function printRuns(ctx: CliContext, runs: readonly Run[], o: FindOptions, columns: readonly KeyColumn[]): void {
  if (o.json) return ctx.out.json(runs);
  if (runs.length === 0) return ctx.out.note('no runs found');
  const rows = runs.map((r) => [
    r.id, r.name, r.experimentId, r.status, formatTime(r.startTime), duration(r), ...columns.map((c) => valueOf(r, c) ?? '-'),
  ]);
  const header = ['RUN ID', 'NAME', 'EXPERIMENT', 'STATUS', 'STARTED', 'DURATION', ...columns.map((c) => `${c.entity}.${c.key}`)];
  print(ctx, renderTable(rows, { header }));
}

function describeRun(r: Run): string[] {
  const lines = renderTable([
    ['run', r.id], ['name', r.name], ['experiment', r.experimentId],
    ['status', r.lifecycle === 'deleted' ? `${r.status} (deleted)` : r.status],
    ['started', formatTime(r.startTime)],
    ['ended', r.endTime === null ? '-' : `${formatTime(r.endTime)} (took ${duration(r)})`],
    ['user', r.userId ?? '-'], ['parent', r.parentRunId ?? '-'], ['artifacts', r.artifactUri],
  ]);
  const byKey = (a: readonly string[], b: readonly string[]) => (a[0] ?? '').localeCompare(b[0] ?? '');
  const section = (title: string, rows: string[][]) => {
    lines.push('', `${title}:`, ...(rows.length === 0 ? ['  (none)'] : renderTable(rows.sort(byKey)).map((l) => `  ${l}`)));
  };
  section('params', Object.entries(r.params));
  section('metrics', r.metrics.map((m) => [m.key, formatNumber(m.value), `step ${m.step}`, formatTime(m.timestamp)]));
  section('tags', Object.entries(r.tags));
  section('inputs', r.inputs.map((i) => [i.name, i.context, i.digest, i.source]));
  if (r.notes) lines.push('', 'notes:', ...r.notes.split('\n').map((l) => `  ${l}`));
  return lines;
}

/** One row per param and latest metric across `runs`, missing values as null. */
function comparisonRows(runs: readonly Run[]): CompareRow[] {
  const keys = (pick: (r: Run) => readonly string[]) => [...new Set(runs.flatMap(pick))].sort();
  const params = keys((r) => Object.keys(r.params)).map((k) => ({
    label: `params.${k}`, values: runs.map((r) => r.params[k] ?? null),
  }));
  const metrics = keys((r) => r.metrics.map((m) => m.key)).map((k) => ({
    label: `metrics.${k}`, values: runs.map((r) => valueOf(r, { entity: 'metrics', key: k })),
  }));
  return [{ label: 'name', values: runs.map((r) => r.name), compared: false }, ...params, ...metrics];
}

function registerRuns(program: Command, ctx: CliContext): void {
  const cmd = program.command('runs').description('List, search, show, compare, delete and restore runs');
  const experimentOption = (c: Command) =>
    c.option('--experiment <id-or-name>', 'experiment name or id; repeat for more (default: every active experiment)', collect)
      .option('--max <n>', 'show at most n runs', parsePositiveInt, 50)
      .option('--json', 'print JSON');

  examples(experimentOption(cmd.command('list').description('List the newest runs of an experiment, or of every active one'))
    .action(async (o: FindOptions) => printRuns(ctx, await findRuns(ctx, o), o, [])),
  'cairn runs list --experiment churn --max 20');

  examples(experimentOption(cmd.command('search')
    .summary('Find runs with a filter expression')
    .description("Find runs with a filter: metrics.<key>, params.<key>, tags.<key> and attributes (status, start_time, …)\ncompared with =, !=, <, <=, >, >=, LIKE, ILIKE, IN, IS NULL, joined with AND, OR and parentheses.\nThe metrics, params and tags the filter names are shown as columns.")
    .requiredOption('--filter <expr>', 'filter expression')
    .option('--order-by <item>', "sort key such as 'metrics.acc DESC'; repeat for more", collect))
    .action(async (o: FindOptions & { filter: string }) =>
      printRuns(ctx, await findRuns(ctx, o), o, referencedKeys([o.filter, ...(o.orderBy ?? [])]))),
  `cairn runs search --filter "metrics.acc > 0.9 AND params.optimizer = 'adam'" --order-by "metrics.acc DESC"`);

  examples(cmd.command('show')
    .description('Show a run: status, times, params, latest metrics, tags and dataset inputs')
    .argument('<run-id>', 'run id')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const run = await (await ctx.tracking()).getRun(id);
      if (o.json) return ctx.out.json(run);
      print(ctx, describeRun(run));
    }), 'cairn runs show 0c6e6f4a9a6b4f0d8d2f1e7c3b5a9d10');

  examples(cmd.command('compare')
    .summary('Compare runs side by side, marking rows that differ')
    .description('Compare runs side by side: one column per run, one row per param and latest metric.\nRows whose values differ are marked with * (and highlighted on a terminal).')
    .argument('<run-ids...>', 'two or more run ids')
    .action(async (ids: string[]) => {
      if (ids.length < 2) throw new InvalidArgument('give at least two run ids to compare');
      const api = await ctx.tracking();
      const runs = await Promise.all(ids.map((id) => api.getRun(id)));
      print(ctx, renderComparison(['KEY', ...runs.map((r) => r.id)], comparisonRows(runs), { color: ctx.out.stdout.isTTY === true }));
    }), 'cairn runs compare <run-id> <run-id> <run-id>');

  registerLifecycle(cmd, ctx, 'run', (api, verb, id) => (verb === 'delete' ? api.deleteRun(id) : api.restoreRun(id)));
}

function registerArtifacts(program: Command, ctx: CliContext): void {
  const cmd = program.command('artifacts').description("List, download, upload and remove a run's artifacts");
  examples(cmd.command('ls')
    .description("List a run's artifacts under a folder (the top by default)")
    .argument('<run-id>', 'run id')
    .argument('[path]', 'folder inside the run', '')
    .option('--json', 'print JSON')
    .action(async (runId: string, path: string, o: { json?: boolean }) => {
      const items = await (await ctx.tracking()).listArtifacts(runId, path);
      if (o.json) return ctx.out.json(items);
      if (items.length === 0) return ctx.out.note(`no artifacts under '${path || '/'}'`);
      const rows = items.map((a) => [a.isDir ? `${a.path}/` : a.path, a.isDir ? '' : formatBytes(a.size), a.digest ?? '']);
      print(ctx, renderTable(rows, { header: ['PATH', 'SIZE', 'DIGEST'], align: ['left', 'right', 'left'] }));
    }), 'cairn artifacts ls <run-id> models');

  examples(cmd.command('get')
    .description('Download an artifact to stdout or a file; a file appears only once it is complete and verified')
    .argument('<run-id>', 'run id')
    .argument('<path>', 'artifact path inside the run')
    .option('-o, --output <file>', "write to this file, or into this folder ('-' for stdout)")
    .action(async (runId: string, path: string, o: { output?: string }) => {
      const [api, files] = await Promise.all([ctx.tracking(), import('../cli/files.js')]);
      const body = await api.openArtifact(runId, path);
      if (o.output === undefined || o.output === '-') return files.streamTo(ctx.out.stdout, body);
      const { file, bytes } = await files.downloadToFile(body, o.output, basename(path));
      ctx.out.line(`wrote ${file} (${formatBytes(bytes)})`);
    }), 'cairn artifacts get <run-id> models/model.onnx -o model.onnx');

  examples(cmd.command('put')
    .description('Upload a local file as an artifact of a run, streaming it')
    .argument('<run-id>', 'run id')
    .argument('<file>', 'local file')
    .option('--path <path>', "artifact path in the run; ending in '/' puts the file in that folder (default: the file name)")
    .action(async (runId: string, file: string, o: { path?: string }) => {
      const [api, files] = await Promise.all([ctx.tracking(), import('../cli/files.js')]);
      const path = o.path === undefined ? basename(file) : o.path.endsWith('/') ? `${o.path}${basename(file)}` : o.path;
      const a = await api.logArtifact(runId, path, await files.openUpload(file));
      ctx.out.line(`uploaded ${a.path} (${formatBytes(a.size)}, ${a.digest})`);
    }), 'cairn artifacts put <run-id> ./model.onnx --path models/');

  examples(cmd.command('rm')
    .description("Remove an artifact, or every artifact under a folder, from a run (bytes other runs share stay)")
    .argument('<run-id>', 'run id')
    .argument('<path>', 'artifact file or folder inside the run')
    .action(async (runId: string, path: string) => {
      await (await ctx.tracking()).deleteArtifact(runId, path);
      ctx.out.line(`removed ${path} from run ${runId}`);
    }), 'cairn artifacts rm <run-id> models/old.onnx');
}
