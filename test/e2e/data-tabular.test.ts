/**
 * Drives the built `cairn data` tabular commands (bin/cairn.js → dist/) as
 * child processes on generated files: exit statuses, stdout and stderr as a
 * user sees them. Run `npm run build` first.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/cairn.js');

function cairn(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('cairn data (tabular) as a user runs it', () => {
  let dir: string;
  const at = (name: string) => join(dir, name);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-e2e-tabular-'));
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${['fr', 'de', 'it'][i % 3]},${(i * 0.37).toFixed(2)},${i % 2}`);
    await writeFile(at('train.csv'), `id,country,amount,label\n${rows.slice(0, 150).join('\n')}\n`);
    await writeFile(at('valid.csv'), `id,country,amount,label\n${rows.slice(140).join('\n')}\n`);
    await writeFile(at('ragged.csv'), 'a,b,c\n1,2,3\n4,5\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('profiles, infers a contract and validates against it', async () => {
    const profile = await cairn('data', 'profile', at('train.csv'), '--json');
    expect(profile.code).toBe(0);
    expect(JSON.parse(profile.stdout)).toMatchObject({ rows: 150, columns: [{ name: 'id', type: 'integer' }, { name: 'country', distinct: 3 }, {}, {}] });
    expect((await cairn('data', 'infer-contract', at('train.csv'), '-o', at('c.yaml'))).code).toBe(0);
    expect(await readFile(at('c.yaml'), 'utf8')).toMatch(/allowed:\n\s+- de\n\s+- fr\n\s+- it/);
    expect(await cairn('data', 'validate', at('train.csv'), '--contract', at('c.yaml'))).toMatchObject({ code: 0, stdout: expect.stringMatching(/PASSED/) });
    const failed = await cairn('data', 'validate', at('valid.csv'), '--contract', at('c.yaml'));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/✗ id: range: 50 rows .* outside \[0, 149\]/);
  });

  it('reports leakage with exit 1, and bad input with exit 2 and the line', async () => {
    const leak = await cairn('data', 'check-leakage', at('train.csv'), at('valid.csv'), '--key', 'id', '--label', 'label');
    expect(leak.code).toBe(1);
    expect(leak.stdout).toMatch(/exact rows of VALID also in TRAIN: 10 rows/);
    expect(await cairn('data', 'profile', at('ragged.csv'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/ragged\.csv: line 3: expected 3 fields, found 2/) });
    expect(await cairn('data', 'profile', at('none.parquet'))).toMatchObject({ code: 3, stderr: expect.stringMatching(/none\.parquet: no such file/) });
    expect((await cairn('data', 'diff-table', at('train.csv'), at('valid.csv'))).stdout).toMatch(/rows: 150 → 60 \(-90\)/);
  });
});
