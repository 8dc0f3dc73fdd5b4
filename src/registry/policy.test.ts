import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, allowedFrom, gatesFor, validatePolicy } from './policy.js';
import { parsePolicyText } from './policy-document.js';

const text = `{
  "stages": ["development", "staging", "production", "archived"],
  "on_promote": "demote",
  "transitions": [
    { "to": "production", "from": ["staging"], "gates": [
      "metrics.auc >= 0.85",
      "candidate.auc >= production.auc - 0.005",
      { "evidence": ["eval_dataset", "reproduced"] },
      { "approvals": 2 }
    ] },
    { "to": "staging", "gates": [{ "evidence": "signature" }] }
  ]
}`;

describe('policy', () => {
  it('parses stages, on_promote and each kind of gate', () => {
    const p = parsePolicyText(text);
    expect(p.stages).toEqual(['development', 'staging', 'production', 'archived']);
    expect(p.onPromote).toBe('demote');
    expect(gatesFor(p, 'staging', 'production').map((g) => g.kind)).toEqual(['metric', 'comparison', 'evidence', 'evidence', 'approvals']);
    expect(gatesFor(p, 'development', 'production')).toEqual([]);
    expect(gatesFor(p, 'development', 'staging').map((g) => g.kind)).toEqual(['evidence']);
    expect(allowedFrom(p, 'production')).toEqual(['staging']);
    expect(allowedFrom(p, 'staging')).toBeNull();
    expect(allowedFrom(p, 'archived')).toBeNull();
  });

  it('defaults to every stage, archive, no gates', () => {
    expect(validatePolicy({})).toEqual(DEFAULT_POLICY);
  });

  it.each([
    ['{"stages": ["development", "production"]}', /must include 'archived'/, null],
    ['{\n"on_promote": "delete"\n}', /on_promote 'delete'/, 2],
    ['{\n "transitions": [\n  {"to": "production", "gates": [\n   "metrics.auc >== 0.8"\n  ]}\n ]\n}', /line 4: transitions\[0\]\.gates\[0\]: gate 'metrics\.auc >== 0\.8'/, 4],
    ['{"transitions": [{"to": "prod"}]}', /'prod' is not a stage/, 1],
    ['{"transitions": [{"to": "production", "gates": [{"evidence": "vibes"}]}]}', /evidence 'vibes' is unknown/, 1],
    ['{"transitions": [{"to": "production", "gates": [{"approvals": 0}]}]}', /approvals must be a whole number/, 1],
    ['{"stages": ["development", "production", "archived"], "transitions": [{"to": "canary"}]}', /'canary' is not in this policy's stages/, 1],
    ['{"colour": 1}', /unknown field 'colour'/, 1],
    ['{\n  "transitions": [\n    {"to": "production",,}\n  ]\n}', /invalid policy at line 3/, 3],
  ])('rejects %s naming the line', (src, pattern, line) => {
    let caught: unknown;
    try { parsePolicyText(src); } catch (e) { caught = e; }
    expect((caught as Error).message).toMatch(pattern);
    expect((caught as { code: string }).code).toBe('INVALID_ARGUMENT');
    if (line !== null) expect((caught as Error).message).toContain(`line ${line}`);
  });
});

describe('block-style YAML', () => {
  it('reads the policy as YAML, comments and all', () => {
    const p = parsePolicyText([
      '# churn model policy',
      'on_promote: archive',
      'transitions:',
      '  - to: production',
      '    gates:',
      '      - metrics.auc >= 0.85',
      '      - approvals: 1',
    ].join('\n'));
    expect(p).toEqual(parsePolicyText('{"on_promote": "archive", "transitions": [{"to": "production", "gates": ["metrics.auc >= 0.85", {"approvals": 1}]}]}'));
  });
});

describe('policy syntax errors', () => {
  it.each([
    ['{\n  "transitions": [,]\n}', 2],
    ['{\n  "on_promote": "archive"\n  "stages": []\n}', 3],
    ['on_promote: archive\non_promote: demote\n', 2],
    ['transitions:\n  - to: production\n    gates: [metrics.auc >= 0.8\n', 4],
    ['{"a": 1}\nx', 2],
    ['{\n  "on_promote": "archive"', 2],
  ])('names the line of %j', (src, line) => {
    expect(() => parsePolicyText(src)).toThrow(new RegExp(`^invalid policy at line ${line}, column \\d+: `));
  });
});
