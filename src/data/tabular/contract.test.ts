import { describe, expect, it } from 'vitest';
import { InvalidArgument } from '../../core/errors.js';
import { parseContract } from './contract.js';
import { renderContract } from './infer-contract.js';

const parse = (text: string) => parseContract(text, 'c.yaml');

describe('parseContract', () => {
  it('reads every part of a contract with positions', () => {
    const c = parse(`rows: { min: 10, max: 20 }
columns:
  - name: id
    type: integer
    nullable: false
    unique: true
  - { name: when, type: date, min: 2024-01-01, max: "2024-12-31" }
  - { name: city, allowed: [paris, 3, true] }
unique: [[id, city], when]
checks:
  - { name: positive, sql: "id > 0" }
extra_columns: forbid
`);
    expect(c.rows).toEqual({ min: 10, max: 20 });
    expect(c.columns[0]).toMatchObject({ name: 'id', type: 'integer', nullable: false, unique: true, at: { line: 3, column: 5 } });
    expect(c.columns[1]).toMatchObject({ min: '2024-01-01', max: '2024-12-31', nullable: null });
    expect(c.columns[2]?.allowed).toEqual(['paris', 3, true]);
    expect(c.unique).toEqual([['id', 'city'], ['when']]);
    expect(c.checks).toEqual([{ name: 'positive', sql: 'id > 0', at: { line: 11, column: 5 } }]);
    expect(c.allowExtraColumns).toBe(false);
  });

  it.each([
    ['columns:\n  - name: a\n    type: [\n', /^c\.yaml:4:1: invalid YAML/],
    ['columns:\n  - name: a\n    nulable: true\n', /^c\.yaml:3:5: unknown key 'nulable' in a column; expected one of: name, type/],
    ['columns:\n  - name: a\n    type: int\n', /^c\.yaml:3:11: unknown type 'int' for column 'a'; expected one of: integer/],
    ['columns:\n  - {name: a}\n  - {name: a}\n', /^c\.yaml:3:12: column 'a' is listed twice/],
    ['columns:\n  - {type: integer}\n', /^c\.yaml:2:5: a column needs a `name`/],
    ['rows: {min: -1}\ncolumns: []\n', /^c\.yaml:1:13: `rows.min` must be a whole number/],
    ['rows: {min: 5, max: 1}\ncolumns: []\n', /`rows.min` is greater than `rows.max`/],
    ['colums: []\n', /^c\.yaml:1:1: unknown key 'colums' in the contract/],
    ['- a\n', /^c\.yaml:1:1: a contract is a mapping/],
    ['columns: []\nchecks: [{name: x}]\n', /^c\.yaml:2:10: a check needs `name` and `sql`/],
    ['columns: [{name: a, min: [1]}]\n', /`min` of column 'a' must be a number/],
    ['columns: []\nextra_columns: maybe\n', /^c\.yaml:2:16: `extra_columns` must be allow or forbid/],
  ])('rejects %j with line and column', (text, message) => {
    expect(() => parse(text)).toThrow(InvalidArgument);
    expect(() => parse(text)).toThrow(message);
  });

  it('round-trips through renderContract', () => {
    const c = parse('rows: {min: 1}\ncolumns:\n  - {name: a, type: float, nullable: true, min: 0.5, max: 2}\n  - {name: b, allowed: [x, y], unique: true}\nunique: [[a, b]]\nchecks: [{name: c1, sql: "a < 2"}]\n');
    const again = parse(renderContract(c, ['a comment']));
    expect(again.columns.map(({ at: _at, ...rest }) => rest)).toEqual(c.columns.map(({ at: _at, ...rest }) => rest));
    expect([again.rows, again.unique, again.checks.map((x) => x.sql), again.allowExtraColumns]).toEqual([c.rows, c.unique, ['a < 2'], true]);
    expect(renderContract(c, ['a comment'])).toMatch(/^# a comment\n/);
  });
});
