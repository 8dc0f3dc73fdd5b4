/**
 * The tabular commands end to end in process: real DuckDB on generated files,
 * and `--record` against a small in-test implementation of the DatasetReports
 * port (the versions store is another slice's).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../../cli/cli-context.js';
import { reportError } from '../../cli/cli-error.js';
import type { Output } from '../../cli/output.js';
import { NotFound } from '../../core/errors.js';
import type { DatasetReport, DatasetReports, ReportKind } from '../dataset-reports.js';
import { registerTabularCommands, type TabularCommandDeps } from './commands.js';

class InTestReports implements DatasetReports {
  readonly reports = new Map<string, DatasetReport>();
  constructor(private readonly versions: readonly string[]) {}
  async recordReport(dataset: string, version: string, kind: ReportKind, passed: boolean | null, body: unknown): Promise<DatasetReport> {
    if (!this.versions.includes(`${dataset}@${version}`)) throw new NotFound(`no dataset version ${dataset}@${version}`);
    const r = { dataset, version, kind, passed, body: JSON.parse(JSON.stringify(body)) as unknown, createdAt: Date.now() };
    this.reports.set(`${dataset}@${version}/${kind}`, r);
    return r;
  }
  async getReport(dataset: string, version: string, kind: ReportKind): Promise<DatasetReport | null> {
    return this.reports.get(`${dataset}@${version}/${kind}`) ?? null;
  }
}

let dir: string;
const path = (name: string) => join(dir, name);

async function cli(args: readonly string[], deps: TabularCommandDeps = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const stream = (write: (s: string) => void) => ({ write: (s: string) => { write(s); return true; } }) as unknown as NodeJS.WriteStream;
  const out: Output = {
    stdout: stream((s) => void (stdout += s)),
    stderr: stream((s) => void (stderr += s)),
    line: (t = '') => void (stdout += `${t}\n`),
    note: (t) => void (stderr += `${t}\n`),
    json: (v) => void (stdout += `${JSON.stringify(v)}\n`),
  };
  const program = new Command('cairn').exitOverride().configureOutput({ writeOut: (s) => void (stdout += s), writeErr: (s) => void (stderr += s) });
  registerTabularCommands(program.command('data'), createCliContext(program, out), deps);
  try {
    await program.parseAsync(['data', ...args], { from: 'user' });
    return { status: 0, stdout, stderr };
  } catch (e) {
    return { status: reportError(e, out), stdout, stderr };
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-tabular-cli-'));
  const rows = Array.from({ length: 50 }, (_, i) => `${i},${i % 2 ? 'a' : 'b'},${i * 1.5},${i % 2}`);
  writeFileSync(path('train.csv'), `id,g,x,y\n${rows.join('\n')}\n`);
  writeFileSync(path('valid.csv'), `id,g,x,y\n${rows.slice(0, 5).join('\n')}\n100,a,3,1\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cairn data (tabular)', () => {
  it('infers a contract, validates against it and records the result on a dataset version', async () => {
    const inferred = await cli(['infer-contract', path('train.csv'), '-o', path('contract.yaml')]);
    expect(inferred).toMatchObject({ status: 0, stderr: expect.stringContaining('wrote') });
    expect(readFileSync(path('contract.yaml'), 'utf8')).toContain('unique: true');
    expect((await cli(['infer-contract', path('train.csv'), '-o', path('contract.yaml')])).stderr).toMatch(/already exists; pass --force/);

    const reports = new InTestReports(['churn@v1']);
    const deps = { datasetReports: async () => reports };
    const ok = await cli(['validate', path('train.csv'), '--contract', path('contract.yaml'), '--record', 'churn@v1'], deps);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/PASSED/);
    expect((await reports.getReport('churn', 'v1', 'validation'))?.passed).toBe(true);

    const failed = await cli(['validate', path('valid.csv'), '-c', path('contract.yaml'), '--record', 'churn@v1'], deps);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/✗ id: range: 1 rows \(16.67%\) outside \[0, 49\]/);
    const stored = await reports.getReport('churn', 'v1', 'validation');
    expect(stored).toMatchObject({ passed: false, body: { file: path('valid.csv'), passed: false } });

    const unknown = await cli(['validate', path('train.csv'), '-c', path('contract.yaml'), '--record', 'churn@v9'], deps);
    expect(unknown).toMatchObject({ status: 3, stderr: 'error: no dataset version churn@v9\n' });
  });

  it('profiles as text and JSON, and records the profile', async () => {
    const text = await cli(['profile', path('train.csv')]);
    expect(text.stdout).toMatch(/50 rows × 4 columns/);
    const reports = new InTestReports(['churn@v1']);
    const json = await cli(['profile', path('train.csv'), '--json', '--record', 'churn@v1'], { datasetReports: async () => reports });
    expect(JSON.parse(json.stdout)).toMatchObject({ rows: 50, columns: [{ name: 'id' }, { name: 'g' }, { name: 'x' }, { name: 'y' }] });
    expect((await reports.getReport('churn', 'v1', 'profile'))?.body).toMatchObject({ rows: 50 });
  });

  it('fails --record clearly without a reports store, before any work', async () => {
    expect(await cli(['profile', path('nope.csv'), '--record', 'churn@v1'])).toMatchObject({ status: 5, stderr: expect.stringMatching(/--record needs a dataset store, and these commands were registered without one/) });
    expect((await cli(['profile', path('train.csv'), '--record', 'churn'])).stderr).toMatch(/must look like dataset@version/);
  });

  it('checks leakage (exit 1 when found) and diffs tables', async () => {
    const leak = await cli(['check-leakage', path('train.csv'), path('valid.csv'), '--key', 'id', '--label', 'y']);
    expect(leak.status).toBe(1);
    expect(leak.stdout).toMatch(/LEAKAGE FOUND/);
    expect(leak.stdout).toMatch(/exact rows of VALID also in TRAIN: 5 rows/);
    expect(leak.stdout).toMatch(/✗ g: accuracy 100\.0%.* — PERFECT/);
    const clean = await cli(['check-leakage', path('train.csv'), path('train.csv'), '--json']);
    expect(clean.status).toBe(1); // the same file shares every row
    expect(JSON.parse(clean.stdout)).toMatchObject({ leaky: true, trainRows: 50 });
    const diff = await cli(['diff-table', path('train.csv'), path('valid.csv')]);
    expect(diff).toMatchObject({ status: 0, stdout: expect.stringContaining('rows: 50 → 6 (-44)') });
  });

  it('maps bad input to clear errors and exit codes', async () => {
    writeFileSync(path('bad.yaml'), 'columns:\n  - name: id\n    type: [\n');
    expect(await cli(['validate', path('train.csv'), '-c', path('bad.yaml')])).toMatchObject({ status: 2, stderr: expect.stringMatching(/bad\.yaml:4:1: invalid YAML/) });
    expect((await cli(['validate', path('train.csv'), '-c', path('missing.yaml')])).stderr).toMatch(/no such file; create one with 'cairn data infer-contract/);
    writeFileSync(path('ragged.csv'), 'a,b\n1,2\n3\n');
    expect(await cli(['profile', path('ragged.csv')])).toMatchObject({ status: 2, stderr: expect.stringMatching(/ragged\.csv: line 3: expected 2 fields, found 1/) });
    expect((await cli(['check-leakage', path('train.csv'), path('valid.csv'), '--key', ' , '])).stderr).toMatch(/--key needs at least one column/);
  });
});
