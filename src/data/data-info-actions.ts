/** `cairn data list|show|tag|diff`: read and tag versions on the server. */
import type { CliContext } from '../cli/cli-context.js';
import { formatBytes, formatTime } from '../cli/format.js';
import { renderTable } from '../cli/table.js';
import { InvalidArgument } from '../core/errors.js';
import type { DiffOptions, ShowOptions } from './commands.js';
import { dataClient, pointerFiles } from './data-actions.js';
import { parseDatasetRef, type DatasetVersion } from './domain.js';
import { readPointer } from './workspace/workspace.js';

const print = (ctx: CliContext, lines: readonly string[]) => lines.forEach((l) => ctx.out.line(l));

export async function list(ctx: CliContext, o: ShowOptions): Promise<void> {
  const { api } = await dataClient(ctx);
  const items = await api.listDatasets();
  if (o.json) return ctx.out.json(items);
  if (items.length === 0) return ctx.out.line("no datasets yet; add one with 'cairn data add PATH'");
  print(ctx, renderTable(items.map((d) => [
    d.name, String(d.latestVersion), Object.entries(d.tags).map(([t, v]) => `${t}→${v}`).join(', ') || '-', formatTime(d.updatedAt),
  ]), { header: ['NAME', 'LATEST', 'TAGS', 'UPDATED'] }));
}

const versionRow = (v: DatasetVersion) => [
  String(v.version), String(v.fileCount), formatBytes(v.totalSize), v.tags.join(', ') || '-', formatTime(v.createdAt), v.createdBy, v.message ?? '',
];

export async function show(ctx: CliContext, spec: string, o: ShowOptions): Promise<void> {
  const { api } = await dataClient(ctx);
  const { name, ref } = parseDatasetRef(spec);
  if (ref !== null) {
    const v = await api.getVersion(name, ref);
    if (o.json) return ctx.out.json(v);
    print(ctx, renderTable([
      ['dataset', v.dataset], ['version', String(v.version)], ['tags', v.tags.join(', ') || '-'],
      ['files', String(v.fileCount)], ['size', formatBytes(v.totalSize)], ['manifest', v.manifestDigest],
      ['created', `${formatTime(v.createdAt)} by ${v.createdBy}`], ['message', v.message ?? '-'],
    ]));
    return;
  }
  const [d, versions] = await Promise.all([api.getDataset(name), api.listVersions(name)]);
  if (o.json) return ctx.out.json({ ...d, versions });
  ctx.out.line(`${d.name}${d.description ? `: ${d.description}` : ''} (latest ${d.latestVersion})`);
  print(ctx, renderTable(versions.map(versionRow), { header: ['VERSION', 'FILES', 'SIZE', 'TAGS', 'CREATED', 'BY', 'MESSAGE'] }));
}

export async function tag(ctx: CliContext, spec: string, tagName: string): Promise<void> {
  const { api } = await dataClient(ctx);
  const { name, ref } = parseDatasetRef(spec);
  const v = await api.tagVersion(name, tagName, ref ?? 'latest');
  ctx.out.line(`${name}@${tagName} → version ${v.version}`);
}

/** `from`/`to` as `dataset@ref` or a bare ref with the dataset from --dataset or the only pointer here. */
function datasetOf(from: string, to: string, o: DiffOptions): { name: string; a: string; b: string } {
  const split = (s: string) => (s.includes('@') ? parseDatasetRef(s) : { name: null, ref: s });
  const x = split(from);
  const y = split(to);
  let name = o.dataset ?? x.name ?? y.name;
  if (x.name && y.name && x.name !== y.name) throw new InvalidArgument(`diff compares versions of one dataset, not ${x.name} and ${y.name}`);
  if (name === null) {
    const pointers = pointerFiles([]);
    if (pointers.length > 1) throw new InvalidArgument(`${pointers.length} pointer files found; name the dataset with --dataset or dataset@version`);
    name = readPointer(pointers[0]!).dataset;
  }
  return { name, a: x.ref ?? 'latest', b: y.ref ?? 'latest' };
}

export async function diff(ctx: CliContext, from: string, to: string, o: DiffOptions): Promise<void> {
  const { name, a, b } = datasetOf(from, to, o);
  const { api } = await dataClient(ctx);
  const d = await api.diffVersions(name, a, b);
  if (o.json) return ctx.out.json(d);
  ctx.out.line(`${name} ${d.from} → ${d.to}: ${d.added.length} added, ${d.removed.length} removed, ${d.modified.length} modified, ${d.unchanged} unchanged`);
  for (const e of d.added) ctx.out.line(`+ ${e.path}  ${formatBytes(e.size)}`);
  for (const e of d.removed) ctx.out.line(`- ${e.path}  ${formatBytes(e.size)}`);
  for (const m of d.modified) {
    const what = m.before.digest === m.after.digest ? `mode ${m.before.mode.toString(8)} → ${m.after.mode.toString(8)}` : `${formatBytes(m.before.size)} → ${formatBytes(m.after.size)}`;
    ctx.out.line(`~ ${m.path}  ${what}${m.tabular !== undefined ? `  ${describeTabular(m.tabular)}` : ''}`);
  }
}

/** `rows 10 → 12; +col x (DOUBLE); -col y; v BIGINT → VARCHAR` from a tabular diff. */
function describeTabular(t: unknown): string {
  const d = t as { error?: string; skipped?: string; rowsA?: number; rowsB?: number; added?: { name: string; type: string }[]; removed?: { name: string }[]; retyped?: { name: string; from: string; to: string }[] };
  if (d.error !== undefined) return `(not comparable as tables: ${d.error})`;
  if (d.skipped !== undefined) return `(not compared as tables: ${d.skipped})`;
  const parts = [`rows ${d.rowsA ?? '?'} → ${d.rowsB ?? '?'}`];
  for (const c of d.added ?? []) parts.push(`+col ${c.name} (${c.type})`);
  for (const c of d.removed ?? []) parts.push(`-col ${c.name}`);
  for (const c of d.retyped ?? []) parts.push(`${c.name} ${c.from} → ${c.to}`);
  return parts.join('; ');
}
