/**
 * The actions behind the tabular commands: parse, call the engine, print,
 * record. Loaded only when a command runs.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { CliContext } from '../../cli/cli-context.js';
import { ExitStatus } from '../../cli/cli-error.js';
import { InvalidArgument, InvalidState, NotFound } from '../../core/errors.js';
import type { ReportKind } from '../dataset-reports.js';
import type { DiffOptions, InferOptions, LeakageCliOptions, ProfileOptions, TabularCommandDeps, ValidateOptions } from './commands.js';
import { parseContract } from './contract.js';
import { renderContract } from './infer-contract.js';
import { parseRecordTarget, recordReport, type RecordTarget } from './record-target.js';
import type { TabularEngine } from './tabular-engine.js';
import { renderDiff, renderLeakage, renderProfile, renderValidation } from './tabular-report.js';

async function withEngine<T>(deps: TabularCommandDeps, fn: (engine: TabularEngine) => Promise<T>): Promise<T> {
  if (deps.engine) return fn(await deps.engine());
  const { DuckDbTabularEngine } = await import('./duckdb/duckdb-tabular-engine.js');
  const engine = new DuckDbTabularEngine();
  try {
    return await fn(engine);
  } finally {
    engine.close();
  }
}

/** Checks `--record` before any work, so a bad target or missing store fails fast. */
function recordTarget(deps: TabularCommandDeps, record: string | undefined): RecordTarget | null {
  if (record === undefined) return null;
  const target = parseRecordTarget(record);
  if (!deps.datasetReports) {
    throw new InvalidState('--record needs a dataset store, and these commands were registered without one; run without --record');
  }
  return target;
}

async function record(ctx: CliContext, deps: TabularCommandDeps, target: RecordTarget | null, kind: ReportKind, passed: boolean | null, body: unknown): Promise<void> {
  if (target === null || !deps.datasetReports) return;
  await recordReport(await deps.datasetReports(), target, kind, passed, body);
  ctx.out.note(`recorded the ${kind} report on ${target.dataset}@${target.version}`);
}

const print = (ctx: CliContext, lines: readonly string[]) => lines.forEach((l) => ctx.out.line(l));

export async function profileAction(ctx: CliContext, deps: TabularCommandDeps, file: string, o: ProfileOptions): Promise<void> {
  const target = recordTarget(deps, o.record);
  const profile = await withEngine(deps, (e) => e.profile(file));
  if (o.json) ctx.out.json(profile);
  else print(ctx, renderProfile(profile));
  await record(ctx, deps, target, 'profile', null, profile);
}

async function readContract(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFound(`contract ${path}: no such file; create one with 'cairn data infer-contract FILE -o ${path}'`);
    throw new InvalidArgument(`contract ${path}: cannot read it (${code ?? String(e)})`);
  }
  return parseContract(text, path);
}

export async function validateAction(ctx: CliContext, deps: TabularCommandDeps, file: string, o: ValidateOptions): Promise<void> {
  const target = recordTarget(deps, o.record);
  const contract = await readContract(o.contract);
  const report = await withEngine(deps, (e) => e.validate(file, contract));
  if (o.json) ctx.out.json(report);
  else print(ctx, renderValidation(report));
  await record(ctx, deps, target, 'validation', report.passed, report);
  if (!report.passed) throw new ExitStatus(1);
}

export async function inferContractAction(ctx: CliContext, deps: TabularCommandDeps, file: string, o: InferOptions): Promise<void> {
  if (o.output !== undefined && !o.force && existsSync(o.output)) {
    throw new InvalidArgument(`${o.output} already exists; pass --force to overwrite it`);
  }
  const contract = await withEngine(deps, (e) => e.inferContract(file));
  const yaml = renderContract(contract, [
    `Inferred by 'cairn data infer-contract' from ${file}. Review it: ranges and category`,
    'sets are exactly what this file holds; loosen them where new data may differ.',
  ]);
  if (o.output === undefined) return void ctx.out.stdout.write(yaml);
  await writeFile(o.output, yaml);
  ctx.out.note(`wrote ${o.output} (${contract.columns.length} columns)`);
}

const splitColumns = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

export async function checkLeakageAction(ctx: CliContext, deps: TabularCommandDeps, train: string, valid: string, o: LeakageCliOptions): Promise<void> {
  const target = recordTarget(deps, o.record);
  const key = o.key === undefined ? undefined : splitColumns(o.key);
  if (key !== undefined && key.length === 0) throw new InvalidArgument('--key needs at least one column name, e.g. --key customer_id,date');
  const report = await withEngine(deps, (e) => e.checkLeakage(train, valid, { ...(key ? { key } : {}), ...(o.label ? { label: o.label } : {}) }));
  if (o.json) ctx.out.json(report);
  else print(ctx, renderLeakage(report));
  await record(ctx, deps, target, 'leakage', !report.leaky, report);
  if (report.leaky) throw new ExitStatus(1);
}

export async function diffTableAction(ctx: CliContext, deps: TabularCommandDeps, a: string, b: string, o: DiffOptions): Promise<void> {
  const diff = await withEngine(deps, (e) => e.diff(a, b));
  if (o.json) ctx.out.json(diff);
  else print(ctx, renderDiff(diff));
}
