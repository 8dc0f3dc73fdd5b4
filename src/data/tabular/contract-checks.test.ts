import { describe, expect, it } from 'vitest';
import { closestName, finishValidation, planValidation } from './contract-checks.js';
import { parseContract } from './contract.js';
import type { ColumnSchema } from './tabular-engine.js';

const schema: ColumnSchema[] = [
  { name: 'id', type: 'integer', physicalType: 'BIGINT' },
  { name: 'price', type: 'float', physicalType: 'DOUBLE' },
  { name: 'city', type: 'string', physicalType: 'VARCHAR' },
  { name: 'day', type: 'date', physicalType: 'DATE' },
];

describe('planValidation', () => {
  it('settles schema checks and plans row checks', () => {
    const c = parseContract(`columns:
  - {name: id, type: integer, nullable: false, unique: true}
  - {name: price, type: integer, min: 0}
  - {name: cty, allowed: [a]}
  - {name: day, type: timestamp, min: "2024-01-01", max: 5}
unique: [[id, city]]
checks: [{name: ok, sql: "price > 0"}]
extra_columns: forbid
`, 'c.yaml');
    const plan = planValidation(c, schema);
    expect(plan.resolved.map((r) => [r.name, r.passed])).toEqual([
      ['id: type', true], ['price: type', false], ['cty: present', false], ['day: type', true], ['day: range', false], ['extra columns', false],
    ]);
    expect(plan.resolved[2]?.message).toBe("column 'cty' is not in the file (did you mean 'city'?); the file has: id, price, city, day");
    expect(plan.resolved[4]?.message).toMatch(/bound 5 does not fit column 'day' of type date/);
    expect(plan.resolved[5]?.message).toBe('columns not in the contract: city');
    expect(plan.planned.map((p) => p.name)).toEqual(['id: not null', 'id: unique', 'price: range', '(id, city): unique', 'custom: ok']);
  });

  it('turns counts into a report, with the row-count bounds', () => {
    const c = parseContract('rows: {min: 5}\ncolumns: [{name: price, min: 0, max: 10}]\n', 'c.yaml');
    const plan = planValidation(c, schema);
    const report = finishValidation('f.csv', c, plan, 4, [{ failures: 2, examples: ['-1 (2 rows)'] }]);
    expect(report.passed).toBe(false);
    expect(report.checks.map((x) => [x.name, x.passed, x.failures, x.message])).toEqual([
      ['price: range', false, 2, '2 rows (50.00%) outside [0, 10]'],
      ['rows', false, 1, '4 rows, expected at least 5'],
    ]);
    expect(finishValidation('f.csv', c, plan, 5, [{ failures: 0, examples: [] }]).passed).toBe(true);
  });

  it('refuses allowed values of the wrong type before any scan', () => {
    const c = parseContract('columns: [{name: price, allowed: [1, two]}, {name: city, allowed: [1, x]}]\n', 'c.yaml');
    const plan = planValidation(c, schema);
    expect(plan.resolved.map((r) => [r.name, r.passed, r.message])).toEqual([
      ['price: allowed values', false, "allowed value \"two\" does not fit column 'price' of type float"],
    ]);
    expect(plan.planned.map((p) => p.name)).toEqual(['city: allowed values']);
  });

  it('suggests only close names', () => {
    expect(closestName('Price', ['price', 'id'])).toBe('price');
    expect(closestName('zzzz', ['price', 'id'])).toBeNull();
  });
});
