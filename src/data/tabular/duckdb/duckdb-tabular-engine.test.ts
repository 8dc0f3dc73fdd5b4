import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgument, NotFound } from '../../../core/errors.js';
import { csvToParquet } from '../../../testing/parquet-file.js';
import { parseContract } from '../contract.js';
import { renderContract } from '../infer-contract.js';
import { DuckDbTabularEngine } from './duckdb-tabular-engine.js';

let dir: string;
const engine = new DuckDbTabularEngine({ threads: 1 });
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const csv = (header: string, rows: readonly string[]): string => `${header}\n${rows.join('\n')}\n`;

/** 100 rows: id 1..100, age 0..99 (missing every 10th), city of 3 values, score = id / 10. */
const people = (): string[] => Array.from({ length: 100 }, (_, i) =>
  `${i + 1},${i % 10 === 9 ? '' : i},${['paris', 'rome', 'oslo'][i % 3]},${(i + 1) / 10}`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-tabular-'));
});
afterAll(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('profile', () => {
  it('profiles CSV and Parquet alike', async () => {
    const c = file('people.csv', csv('id,age,city,score', people()));
    const p = await csvToParquet(c, join(dir, 'people.parquet'));
    for (const f of [c, p]) {
      const prof = await engine.profile(f);
      expect(prof.rows).toBe(100);
      expect(prof.format).toBe(f.endsWith('.csv') ? 'csv' : 'parquet');
      const [id, age, city, score] = prof.columns;
      expect(id).toMatchObject({ name: 'id', type: 'integer', missing: 0, min: 1, max: 100, mean: 50.5 });
      expect(id?.distinct).toBeGreaterThanOrEqual(95);
      expect(id?.stddev).toBeCloseTo(29.0115, 3);
      expect(age).toMatchObject({ type: 'integer', missing: 10, missingPct: 10, min: 0, max: 98 });
      expect(age?.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(90);
      expect(age?.histogram?.edges).toHaveLength(21);
      expect(age?.quantiles).toHaveLength(5);
      expect(age?.quantiles?.[2]).toBeGreaterThanOrEqual(47);
      expect(age?.quantiles?.[2]).toBeLessThanOrEqual(50);
      expect(city).toMatchObject({ type: 'string', distinct: 3, min: 'oslo', max: 'rome', mean: null, histogram: null });
      expect(city?.topCategories).toEqual([{ value: 'paris', count: 34 }, { value: 'oslo', count: 33 }, { value: 'rome', count: 33 }]);
      expect(score).toMatchObject({ type: 'float', min: 0.1, max: 10 });
    }
  });

  it('counts top values of high-cardinality text exactly too', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i < 2990 ? `u${i}` : 'dup'},${i % 2 === 0}`);
    const prof = await engine.profile(file('names.csv', csv('name,flag', rows)));
    expect(prof.columns[0]?.topCategories?.[0]).toEqual({ value: 'dup', count: 10 });
    expect(prof.columns[0]?.topCategories).toHaveLength(10);
    expect(prof.columns[1]).toMatchObject({ type: 'boolean', topCategories: [{ value: 'false', count: 1500 }, { value: 'true', count: 1500 }] });
  });

  it('keeps NaN and ±Infinity out of the numeric statistics and counts them', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const out = join(dir, 'nan.parquet');
    await conn.run(`COPY (SELECT x, NULL::DOUBLE AS y FROM (VALUES (1.0::DOUBLE), ('NaN'::DOUBLE), (3.0), ('inf'::DOUBLE), (NULL)) v(x)) TO '${out}' (FORMAT parquet)`);
    conn.closeSync();
    db.closeSync();
    const [x, y] = (await engine.profile(out)).columns;
    expect(x).toMatchObject({ missing: 1, nonFinite: 2, min: 1, max: 3, mean: 2 });
    expect(y).toMatchObject({ type: 'float', missing: 5, min: null, mean: null, stddev: null, histogram: null });
    expect(x?.stddev).toBeCloseTo(Math.SQRT2, 9);
    expect(x?.quantiles?.every((q) => q >= 1 && q <= 3)).toBe(true);
    expect(x?.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('gives a constant column one bin and an empty file zero rows', async () => {
    const prof = await engine.profile(file('const.csv', csv('k,v', ['7,a', '7,b'])));
    expect(prof.columns[0]?.histogram).toEqual({ edges: [7, 7], counts: [2] });
    const empty = await engine.profile(file('empty.csv', 'a,b\n'));
    expect(empty.rows).toBe(0);
  });

  it("profiles columns named like the statement's own CTEs and fields", async () => {
    const prof = await engine.profile(file('own-names.csv', csv('t,s,e0,mu1,p,top1', ['1,a,2,3,4,x', '2,b,3,4,5,y'])));
    expect(prof.columns.map((c) => [c.name, c.min, c.max])).toEqual([['t', 1, 2], ['s', 'a', 'b'], ['e0', 2, 3], ['mu1', 3, 4], ['p', 4, 5], ['top1', 'x', 'y']]);
  });

  it('bins in SQL on the edges it reports: values on an edge fall in the bin below, a too narrow range gets one bin', async () => {
    // Edges 0, 0.5, …, 10: 0.5 and 1 sit on edges; 0 (the minimum) belongs to the first bin.
    const [x, narrow] = (await engine.profile(file('edges.csv', csv('x,narrow', ['0,1e16', '0.5,1e16', '1,10000000000000002', '10,1e16'])))).columns;
    expect(x?.histogram?.edges).toHaveLength(21);
    expect(x?.histogram?.counts.slice(0, 2)).toEqual([2, 1]);
    expect(x?.histogram?.counts.at(-1)).toBe(1);
    expect(x?.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(narrow?.histogram).toEqual({ edges: [1e16, 10000000000000002], counts: [4] });
  });
});

describe('bad input', () => {
  it('names the line of a ragged CSV row, near the top or far down', async () => {
    const short = file('ragged.csv', csv('a,b,c', ['1,x,2', '2,y', '3,z,4']));
    await expect(engine.profile(short)).rejects.toThrow(/ragged\.csv: line 3: expected 3 fields, found 2/);
    const rows = Array.from({ length: 50_000 }, (_, i) => `${i},x${i},${i / 2}`);
    rows[40_000] = '1,2,3,4';
    const far = file('ragged-far.csv', csv('a,b,c', rows));
    await expect(engine.profile(far)).rejects.toThrow(/ragged-far\.csv: line 40002: expected 3 fields, found 4/);
    await expect(engine.profile(far)).rejects.toBeInstanceOf(InvalidArgument);
  });

  it('reports missing, unknown and unreadable files', async () => {
    await expect(engine.profile(join(dir, 'nope.csv'))).rejects.toBeInstanceOf(NotFound);
    await expect(engine.profile(file('data.xlsx', 'x'))).rejects.toThrow(/unknown table format/);
    await expect(engine.profile(file('fake.parquet', 'not parquet at all'))).rejects.toThrow(/fake\.parquet: not a Parquet file/);
    await expect(engine.profile(dir + '/')).rejects.toThrow(InvalidArgument);
    await expect(engine.profile(file('zero.csv', ''))).rejects.toThrow(/zero\.csv: empty file/);
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},${i}`);
    rows[25_000] = '7,seven';
    await expect(engine.profile(file('late-text.csv', csv('a,b', rows)))).rejects.toThrow(/late-text\.csv: line 25002: column 'b': "seven" is not a BIGINT/);
  });
});

describe('validate', () => {
  it('passes a contract the file meets, and fails each kind of check with counts and examples', async () => {
    const f = file('v.csv', csv('id,age,city,score', [...people(), '100,150,berlin,3']));
    const ok = parseContract(`
rows: { min: 10, max: 1000 }
columns:
  - { name: id, type: integer, nullable: false }
  - { name: age, type: number, min: 0, max: 200 }
  - { name: city, type: string }
checks:
  - { name: score_positive, sql: "score > 0" }
`, 'ok.yaml');
    expect((await engine.validate(f, ok)).passed).toBe(true);
    const bad = parseContract(`
rows: { min: 1000 }
columns:
  - { name: id, type: integer, unique: true }
  - { name: age, type: string, nullable: false, min: 0, max: 120 }
  - { name: city, allowed: [paris, rome, oslo] }
  - { name: zip }
checks:
  - { name: small_score, sql: "score < 5" }
`, 'bad.yaml');
    const report = await engine.validate(f, bad);
    expect(report.passed).toBe(false);
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(byName['id: unique']).toMatchObject({ passed: false, failures: 1, examples: ['100 (2 rows)'] });
    expect(byName['age: type']).toMatchObject({ passed: false, message: expect.stringMatching(/is integer .* expected string/) });
    expect(byName['age: not null']).toMatchObject({ passed: false, failures: 10 });
    expect(byName['age: range']).toMatchObject({ passed: false, failures: 1, examples: ['150 (1 rows)'] });
    expect(byName['city: allowed values']).toMatchObject({ passed: false, failures: 1, examples: ['berlin (1 rows)'] });
    expect(byName['zip: present']).toMatchObject({ passed: false, message: expect.stringMatching(/column 'zip' is not in the file/) });
    expect(byName['custom: small_score']).toMatchObject({ passed: false, failures: 51 });
    expect(byName['custom: small_score']?.examples).toHaveLength(5);
    expect(byName.rows).toMatchObject({ passed: false, message: '101 rows, expected at least 1,000' });
  });

  it('names the check and its position when custom SQL is invalid', async () => {
    const f = file('v2.csv', csv('a', ['1']));
    const c = parseContract('columns: [{name: a}]\nchecks:\n  - name: broken\n    sql: "nosuch > 1"\n', 'c.yaml');
    await expect(engine.validate(f, c)).rejects.toThrow(/c\.yaml:3:5: check 'broken': invalid SQL: .*nosuch/);
    const injected = parseContract('columns: [{name: a}]\nchecks: [{name: two, sql: "a > 0; DROP TABLE x"}]\n', 'd.yaml');
    await expect(engine.validate(f, injected)).rejects.toThrow(/check 'two': invalid SQL: a check is one expression/);
    const g = file('v3.csv', csv('code', ['12', 'x7']));
    const cast = parseContract('columns: [{name: code}]\nchecks: [{name: numeric, sql: "code::INTEGER > 0"}]\n', 'e.yaml');
    await expect(engine.validate(g, cast)).rejects.toThrow(/e\.yaml:2:10: check 'numeric' failed on the data: .*x7/);
  });
});

describe('infer-contract', () => {
  it('infers a contract the file passes, that round-trips through YAML', async () => {
    const f = file('infer.csv', csv('id,age,city,score', people()));
    const contract = await engine.inferContract(f);
    const id = contract.columns.find((c) => c.name === 'id');
    expect(id).toMatchObject({ type: 'integer', nullable: false, unique: true, min: 1, max: 100 });
    expect(contract.columns.find((c) => c.name === 'city')?.allowed).toEqual(['oslo', 'paris', 'rome']);
    expect(contract.columns.find((c) => c.name === 'age')?.nullable).toBe(true);
    const reparsed = parseContract(renderContract(contract, ['inferred']), 'inferred.yaml');
    expect((await engine.validate(f, reparsed)).passed).toBe(true);
  });
});

describe('check-leakage', () => {
  it('finds shared, normalised and within-split duplicates, key overlap and a leaking feature', async () => {
    const train = file('train.csv', csv('id,name,x,noise,leak,y', [
      '1,Alice,1.5,3,a,0', '2,Bob,2.5,1,b,1', '3,Carol,3.5,4,a,0', '4,Dan,4.5,1,b,1', '4,Dan,4.5,1,b,1',
      ...Array.from({ length: 40 }, (_, i) => `${10 + i},p${i},${i}.25,${i % 7},${i % 2 ? 'b' : 'a'},${i % 2}`),
    ]));
    const valid = file('valid.csv', csv('id,name,x,noise,leak,y', [
      '1,Alice,1.5,3,a,0', '2, bob ,2.5000000001,1,b,1', '3,Zed,9.5,2,a,0',
      ...Array.from({ length: 20 }, (_, i) => `${100 + i},q${i},${i}.75,${(i * 3) % 7},${i % 2 ? 'b' : 'a'},${i % 2}`),
    ]));
    const r = await engine.checkLeakage(train, valid, { key: ['id'], label: 'y' });
    expect(r).toMatchObject({ trainRows: 45, validRows: 23, leaky: true });
    const d = Object.fromEntries(r.duplicates.map((x) => [x.kind, x]));
    expect(d['exact-duplicates']).toMatchObject({ rows: 1, distinct: 1 });
    expect(d['exact-duplicates']?.examples[0]).toContain('Alice');
    expect(d['normalised-duplicates']).toMatchObject({ rows: 2 });
    expect(d['normalised-duplicates']?.examples[0]).toContain(' bob ');
    expect(d['key-overlap']).toMatchObject({ rows: 3, distinct: 3 });
    expect(d['train-duplicates']).toMatchObject({ rows: 1, distinct: 1 });
    expect(d['valid-duplicates']).toMatchObject({ rows: 0 });
    const leak = r.features.find((f) => f.feature === 'leak' && f.measure === 'value-groups');
    expect(leak).toMatchObject({ score: 1, severity: 'perfect', coverage: 1 });
    expect(leak?.examples[0]).toMatch(/→/);
    expect(r.features[0]?.severity).toBe('perfect');
    const id = r.features.find((f) => f.feature === 'id' && f.measure === 'value-groups');
    expect(id?.severity).toBeNull();
    expect(r.features.find((f) => f.feature === 'noise' && f.measure === 'value-groups')?.severity).toBeNull();
  });

  it('rejects an unknown --label or --key and splits with different columns', async () => {
    const a = file('la.csv', csv('a,b', ['1,2']));
    const b = file('lb.csv', csv('a,c', ['1,2']));
    await expect(engine.checkLeakage(a, a, { label: 'nope' })).rejects.toThrow(/--label nope: no such column/);
    await expect(engine.checkLeakage(a, b)).rejects.toThrow(/only in train: b; only in valid: c/);
  });
});

describe('Parquet and TSV', () => {
  it('validates, checks leakage and diffs Parquet files, and reads tab-separated files', async () => {
    const c = file('pq-people.csv', csv('id,age,city,score', people()));
    const p = await csvToParquet(c, join(dir, 'pq-people.parquet'));
    const contract = parseContract('columns:\n  - {name: id, type: integer, unique: true}\n  - {name: city, allowed: [paris, rome]}\n', 'p.yaml');
    const report = await engine.validate(p, contract);
    expect(report.checks.find((x) => x.name === 'city: allowed values')).toMatchObject({ passed: false, failures: 33, examples: ['oslo (33 rows)'] });
    expect((await engine.checkLeakage(p, c)).duplicates[0]).toMatchObject({ kind: 'exact-duplicates', rows: 100 });
    expect(await engine.diff(c, p)).toMatchObject({ changed: false });
    const t = file('people.tsv', `id\tname\n1\ta,b\n2\tc\n`);
    expect((await engine.profile(t)).columns.map((x) => x.name)).toEqual(['id', 'name']);
  });
});

describe('diff', () => {
  it('reports row-count and schema changes', async () => {
    const a = file('da.csv', csv('a,b,c', ['1,x,2', '2,y,3']));
    const b = file('db.csv', csv('a,b,d', ['1,x,q', '2,1.5,r', '3,z,s']));
    const d = await engine.diff(a, b);
    expect(d).toMatchObject({ rowsA: 2, rowsB: 3, changed: true, retyped: [] });
    expect(d.added.map((c) => c.name)).toEqual(['d']);
    expect(d.removed.map((c) => c.name)).toEqual(['c']);
    const same = await engine.diff(a, a);
    expect(same.changed).toBe(false);
  });
});

describe('tabularDiff', () => {
  it('is callable from the package index without an engine', async () => {
    const { tabularDiff } = await import('../index.js');
    const a = file('ta.csv', csv('a', ['1']));
    const b = file('tb.csv', csv('a,b', ['1,2', '3,4']));
    expect(await tabularDiff(a, b)).toMatchObject({ rowsA: 1, rowsB: 2, added: [{ name: 'b', type: 'integer' }], changed: true });
  });
});
