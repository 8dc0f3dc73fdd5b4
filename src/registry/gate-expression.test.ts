import { describe, expect, it } from 'vitest';
import { evaluateGateExpression, parseGateExpression, referencesOf, type Side } from './gate-expression.js';

const metrics = (c: Record<string, number>, p: Record<string, number> = {}) =>
  (side: Side, key: string) => (side === 'candidate' ? c[key] : p[key]);

describe('parseGateExpression', () => {
  it('parses thresholds and comparisons with arithmetic precedence', () => {
    const e = parseGateExpression('candidate.auc >= production.auc - 0.005 * 2');
    expect(e.op).toBe('>=');
    expect(e.right).toEqual({
      type: 'bin', op: '-',
      left: { type: 'ref', side: 'production', key: 'auc' },
      right: { type: 'bin', op: '*', left: { type: 'num', value: 0.005 }, right: { type: 'num', value: 2 } },
    });
    expect(referencesOf(e)).toEqual([{ side: 'candidate', key: 'auc' }, { side: 'production', key: 'auc' }]);
  });

  it('reads dotted and backquoted metric keys, parentheses and unary minus', () => {
    const e = parseGateExpression('-(metrics.val.loss) > -metrics.`train/loss` + 1e-3');
    expect(referencesOf(e).map((r) => r.key)).toEqual(['val.loss', 'train/loss']);
    expect(evaluateGateExpression(e, metrics({ 'val.loss': 0.2, 'train/loss': 0.5 })).passed).toBe(true);
  });

  it.each([
    ['metrics.auc >== 0.8', /unexpected '='|unexpected '>='|column/],
    ['metrics.auc', /expected a comparison/],
    ['auc >= 0.8', /unknown name 'auc'/],
    ['metrics.auc >= (0.8', /expected '\)'/],
    ['metrics.auc >= 0.8 0.9', /after the comparison/],
    ['metrics.auc >= ', /ends too early/],
    ['metrics.auc >= 0.8 $', /unexpected character '\$'/],
  ])('rejects %s naming the column', (src, pattern) => {
    expect(() => parseGateExpression(src)).toThrow(pattern);
    expect(() => parseGateExpression(src)).toThrow(/column \d+/);
  });
});

describe('evaluateGateExpression', () => {
  it.each([
    ['metrics.auc >= 0.85', 0.9, true], ['metrics.auc >= 0.85', 0.8, false],
    ['metrics.auc > 0.9', 0.9, false], ['metrics.auc < 0.9', 0.5, true],
    ['metrics.auc <= 0.9', 0.9, true], ['metrics.auc == 0.5', 0.5, true], ['metrics.auc != 0.5', 0.5, false],
  ] as const)('%s with auc=%s → %s', (src, auc, passed) => {
    expect(evaluateGateExpression(parseGateExpression(src), metrics({ auc })).passed).toBe(passed);
  });

  it('explains the values it compared', () => {
    const r = evaluateGateExpression(parseGateExpression('candidate.auc >= production.auc - 0.005'), metrics({ auc: 0.9 }, { auc: 0.91 }));
    expect(r.passed).toBe(false);
    expect(r.reason).toBe('candidate.auc = 0.9, production.auc = 0.91: 0.9 >= 0.905 is false');
  });

  it('fails, naming the metric, when one is missing or NaN', () => {
    const e = parseGateExpression('metrics.auc >= 0.85');
    expect(evaluateGateExpression(e, metrics({}))).toEqual({ passed: false, reason: "candidate has no metric 'auc'" });
    expect(evaluateGateExpression(e, metrics({ auc: NaN })).reason).toBe("candidate has no numeric metric 'auc'");
  });
});
