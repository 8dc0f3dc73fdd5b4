import { describe, expect, it } from 'vitest';
import { parseRecordTarget } from './record-target.js';
import { renderDiff, renderLeakage, renderValidation, short, sparkline } from './tabular-report.js';

describe('report rendering', () => {
  it('formats values and histograms compactly', () => {
    expect([short(3), short(0.123456), short(null), short('x'.repeat(30))]).toEqual(['3', '0.1235', '-', `${'x'.repeat(23)}…`]);
    expect(sparkline([0, 5, 10])).toBe('▁▄█');
  });

  it('puts failed checks first, with examples', () => {
    const lines = renderValidation({ file: 'f.csv', rows: 10, passed: false, checks: [
      { name: 'a: type', kind: 'type', column: 'a', passed: true, failures: 0, message: 'integer (BIGINT)', examples: [] },
      { name: 'a: range', kind: 'range', column: 'a', passed: false, failures: 1, message: '1 rows outside [0, 1]', examples: ['5 (1 rows)'] },
    ] });
    expect(lines).toEqual(['f.csv: FAILED, 1 of 2 checks on 10 rows', '  ✗ a: range: 1 rows outside [0, 1]', '      e.g. 5 (1 rows)', '  ✓ a: type: integer (BIGINT)']);
  });

  it('renders leakage findings and diffs', () => {
    const lines = renderLeakage({ train: 't.csv', valid: 'v.csv', trainRows: 5, validRows: 3, leaky: true, labelBaseline: 0.5,
      duplicates: [{ kind: 'exact-duplicates', rows: 1, distinct: 1, examples: ['{"a":1}'] }],
      features: [{ feature: 'leak', measure: 'value-groups', score: 1, coverage: 1, severity: 'perfect', examples: ['a → 0 (3 train rows)'] }] });
    expect(lines[0]).toBe('t.csv (5 rows) vs v.csv (3 rows): LEAKAGE FOUND');
    expect(lines).toContain('  ✗ exact rows of VALID also in TRAIN: 1 rows (1 distinct)');
    expect(lines).toContain('  ✗ leak: accuracy 100.0% on VALID from TRAIN value groups, coverage 100.0% — PERFECT');
    expect(renderDiff({ a: 'a', b: 'b', rowsA: 2, rowsB: 1, changed: true, added: [{ name: 'n', type: 'string', physicalType: 'VARCHAR' }], removed: [], retyped: [{ name: 'x', from: 'BIGINT', to: 'DOUBLE' }] }))
      .toEqual(['a → b: changed', '  rows: 2 → 1 (-1)', '  + n VARCHAR', '  ~ x BIGINT → DOUBLE']);
  });

  it('parses --record targets', () => {
    expect(parseRecordTarget('churn@v3')).toEqual({ dataset: 'churn', version: 'v3' });
    expect(parseRecordTarget('team@x@v1')).toEqual({ dataset: 'team@x', version: 'v1' });
    for (const bad of ['churn', '@v1', 'churn@', '']) expect(() => parseRecordTarget(bad)).toThrow(/must look like dataset@version/);
  });
});
