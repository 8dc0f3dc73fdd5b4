import { describe, expect, it } from 'vitest';
import { evaluateGates, formatGateReport, type GateEvidence } from './gate-evaluation.js';
import { validatePolicy, gatesFor, type Gate } from './policy.js';

const gates = (...g: unknown[]): Gate[] =>
  gatesFor(validatePolicy({ transitions: [{ to: 'production', gates: g }] }), 'staging', 'production');

const base: GateEvidence = {
  from: 'staging',
  to: 'production',
  candidate: {
    version: 3, author: 'alice', metrics: { auc: 0.9 }, evalDataset: 'holdout@abc', evalFlags: [], runId: 'r1',
    reproVerdict: 'REPRODUCED', hasCard: true, signature: { inputs: [{ name: 'x', type: 'float32', shape: [null, 4] }], outputs: [{ name: 'y', type: 'float32', shape: [null] }] },
  },
  production: { version: 2, metrics: { auc: 0.9 }, evalDataset: 'holdout@abc' },
  dataValidation: { status: 'passed', detail: 'validated' },
  decisions: [
    { version: 3, to: 'production', actor: 'bob', decision: 'approved', comment: null, at: 1 },
    { version: 3, to: 'production', actor: 'carol', decision: 'approved', comment: null, at: 2 },
  ],
};
const with_ = (c: Partial<GateEvidence['candidate']>, rest: Partial<GateEvidence> = {}): GateEvidence =>
  ({ ...base, ...rest, candidate: { ...base.candidate, ...c } });

const one = (g: Gate[], ev: GateEvidence) => {
  const r = evaluateGates(g, ev);
  expect(r.gates).toHaveLength(1);
  return r.gates[0]!;
};

describe('evaluateGates', () => {
  it('passes with no gates', () => {
    expect(evaluateGates([], base)).toEqual({ version: 3, from: 'staging', to: 'production', passed: true, gates: [] });
  });

  it('metric threshold: pass and fail', () => {
    expect(one(gates('metrics.auc >= 0.85'), base)).toMatchObject({ kind: 'metric', passed: true, reason: 'candidate.auc = 0.9: 0.9 >= 0.85' });
    expect(one(gates('metrics.auc >= 0.95'), base)).toMatchObject({ passed: false, reason: expect.stringMatching(/is false/) });
  });

  describe('comparison with production', () => {
    const g = gates('candidate.auc >= production.auc - 0.005');
    it('passes within the margin on the same dataset version', () => {
      expect(one(g, base)).toMatchObject({ kind: 'comparison', passed: true, reason: expect.stringMatching(/^on holdout@abc against production v2/) });
    });
    it('fails below the margin', () => {
      expect(one(g, with_({ metrics: { auc: 0.89 } })).passed).toBe(false);
    });
    it('fails on different dataset versions, or none', () => {
      expect(one(g, with_({ evalDataset: 'holdout@def' }))).toMatchObject({ passed: false, reason: expect.stringMatching(/same dataset version/) });
      expect(one(g, with_({ evalDataset: null }))).toMatchObject({ passed: false, reason: expect.stringMatching(/records no evaluation dataset/) });
      expect(one(g, with_({}, { production: { ...base.production!, evalDataset: null } })).passed).toBe(false);
    });
    it('passes, saying so, when nothing is in production', () => {
      expect(one(g, with_({}, { production: null }))).toMatchObject({ passed: true, reason: expect.stringMatching(/nothing to compare/) });
    });
  });

  it.each([
    ['eval_dataset', with_({ evalDataset: null }), /no evaluation dataset version is recorded/],
    ['eval_dataset', with_({ evalFlags: ['evaluated on holdout@4, but the validated version is holdout@3'] }), /^evaluated on holdout@4, but the validated version is holdout@3$/],
    ['reproduced', with_({ reproVerdict: null }), /no reproducibility verdict/],
    ['reproduced', with_({ reproVerdict: 'DIVERGED' }), /verdict is DIVERGED/],
    ['reproduced', with_({ runId: null }), /no source run/],
    ['data_validation', with_({}, { dataValidation: { status: 'unavailable', detail: 'data validation is not available' } }), /not available/],
    ['data_validation', with_({}, { dataValidation: { status: 'failed', detail: 'schema drift' } }), /schema drift/],
    ['model_card', with_({ hasCard: false }), /no model card/],
    ['signature', with_({ signature: null }), /no signature/],
    ['signature', with_({ signature: { inputs: [], outputs: [] } }), /no signature/],
  ] as const)('evidence %s fails when missing', (kind, ev, reason) => {
    expect(one(gates({ evidence: kind }), base)).toMatchObject({ kind: 'evidence', passed: true });
    expect(one(gates({ evidence: kind }), ev)).toMatchObject({ passed: false, reason: expect.stringMatching(reason) });
  });

  describe('approvals', () => {
    it('pass with enough approvers', () => {
      expect(one(gates({ approvals: 2 }), base)).toMatchObject({ kind: 'approvals', passed: true, reason: '2 of 2 approvals (bob, carol)' });
    });
    it('fail with too few, never counting the author', () => {
      const ev = with_({}, { decisions: [...base.decisions.slice(0, 1), { ...base.decisions[0]!, actor: 'alice' }] });
      expect(one(gates({ approvals: 2 }), ev)).toMatchObject({ passed: false, reason: expect.stringMatching(/^1 of 2 approvals \(bob\)/) });
    });
    it('fail when someone rejected', () => {
      const ev = with_({}, { decisions: [...base.decisions, { ...base.decisions[0]!, actor: 'dave', decision: 'rejected', comment: 'too slow' }] });
      expect(one(gates({ approvals: 1 }), ev)).toMatchObject({ passed: false, reason: 'rejected by dave: too slow' });
    });
  });

  it('fails the report when any gate fails, and formats one line per gate', () => {
    const r = evaluateGates(gates('metrics.auc >= 0.85', { evidence: 'model_card' }), with_({ hasCard: false }));
    expect(r.passed).toBe(false);
    const lines = formatGateReport('churn', r);
    expect(lines[0]).toBe('churn v3: staging → production: blocked');
    expect(lines[1]).toMatch(/^ {2}PASS {2}metrics\.auc >= 0\.85/);
    expect(lines[2]).toMatch(/^ {2}FAIL {2}evidence: model_card/);
  });
});
