/**
 * A model's transition policy: its stages, what happens to the production
 * version a promotion replaces, and the gates of each transition. Validated
 * from a parsed document (see `policy-document.ts`); pure.
 *
 * ```yaml
 * stages: [development, staging, canary, production, archived]
 * on_promote: archive            # or demote: the old version steps back one stage
 * transitions:
 *   - to: production
 *     from: [staging, canary]    # optional: any stage when absent
 *     gates:
 *       - metrics.auc >= 0.85
 *       - candidate.auc >= production.auc - 0.005
 *       - evidence: [eval_dataset, reproduced, data_validation, model_card, signature]
 *       - approvals: 2
 * ```
 */
import { InvalidArgument } from '../core/errors.js';
import { STAGES, isStage, type Stage } from './domain.js';
import { parseGateExpression, referencesOf, type GateExpression } from './gate-expression.js';

export const EVIDENCE_KINDS = ['eval_dataset', 'reproduced', 'data_validation', 'model_card', 'signature'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
const isEvidenceKind = (v: unknown): v is EvidenceKind =>
  typeof v === 'string' && (EVIDENCE_KINDS as readonly string[]).includes(v);

export const ON_PROMOTE = ['archive', 'demote'] as const;
export type OnPromote = (typeof ON_PROMOTE)[number];

export type Gate =
  /** A threshold on the candidate's metrics. */
  | { readonly kind: 'metric'; readonly expression: GateExpression }
  /** A comparison with the current production version's metrics on the same evaluation dataset version. */
  | { readonly kind: 'comparison'; readonly expression: GateExpression }
  | { readonly kind: 'evidence'; readonly evidence: EvidenceKind }
  | { readonly kind: 'approvals'; readonly count: number };

export interface TransitionRule {
  readonly to: Stage;
  /** Null: from any stage. */
  readonly from: readonly Stage[] | null;
  readonly gates: readonly Gate[];
}

export interface Policy {
  readonly stages: readonly Stage[];
  readonly onPromote: OnPromote;
  readonly transitions: readonly TransitionRule[];
}

/** Used by models without a stored policy: every stage, old production archived, no gates. */
export const DEFAULT_POLICY: Policy = { stages: STAGES, onPromote: 'archive', transitions: [] };

/** Finds the 1-based line where `needle` first appears in the policy text, for error messages. */
export type Locate = (needle: string) => number | null;

class PolicyError extends InvalidArgument {}

function err(locate: Locate, needle: string | null, message: string): never {
  const line = needle === null ? null : locate(needle);
  throw new PolicyError(`invalid policy${line ? ` at line ${line}` : ''}: ${message}`, line ? { line } : {});
}

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function stageList(v: unknown, field: string, locate: Locate): Stage[] {
  return asList(v).map((s) => {
    if (!isStage(s)) err(locate, typeof s === 'string' ? s : field, `${field}: '${String(s)}' is not a stage; use ${STAGES.join(', ')}`);
    return s;
  });
}

function parseGate(g: unknown, where: string, locate: Locate): Gate[] {
  if (typeof g === 'string') {
    let expression: GateExpression;
    try {
      expression = parseGateExpression(g);
    } catch (e) {
      return err(locate, g, `${where}: ${(e as Error).message}`);
    }
    const comparesProduction = referencesOf(expression).some((r) => r.side === 'production');
    return [{ kind: comparesProduction ? 'comparison' : 'metric', expression }];
  }
  if (typeof g === 'object' && g !== null && !Array.isArray(g)) {
    const o = g as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && 'evidence' in o) {
      return asList(o.evidence).map((k) => {
        if (!isEvidenceKind(k)) {
          err(locate, typeof k === 'string' ? k : 'evidence', `${where}: evidence '${String(k)}' is unknown; use ${EVIDENCE_KINDS.join(', ')}`);
        }
        return { kind: 'evidence', evidence: k };
      });
    }
    if (keys.length === 1 && 'approvals' in o) {
      const n = o.approvals;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 20) {
        err(locate, 'approvals', `${where}: approvals must be a whole number from 1 to 20`);
      }
      return [{ kind: 'approvals', count: n }];
    }
    err(locate, keys[0] ?? null, `${where}: a gate object has exactly one key, 'evidence' or 'approvals'; got ${keys.join(', ') || 'none'}`);
  }
  return err(locate, null, `${where}: a gate is an expression string, {evidence: ...} or {approvals: N}`);
}

/**
 * Validates a parsed policy document. Errors are InvalidArgument naming the
 * field and, where `locate` finds it, the line.
 */
export function validatePolicy(doc: unknown, locate: Locate = () => null): Policy {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    err(locate, null, 'the document must be a mapping with stages, on_promote and transitions');
  }
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!['stages', 'on_promote', 'transitions'].includes(k)) err(locate, k, `unknown field '${k}'; use stages, on_promote, transitions`);
  }
  const stages = d.stages === undefined ? [...STAGES] : stageList(d.stages, 'stages', locate);
  for (const must of ['development', 'production', 'archived'] as const) {
    if (!stages.includes(must)) err(locate, 'stages', `stages must include '${must}'`);
  }
  if (new Set(stages).size !== stages.length) err(locate, 'stages', 'stages are listed twice');
  const onPromote = d.on_promote ?? 'archive';
  if (onPromote !== 'archive' && onPromote !== 'demote') {
    err(locate, 'on_promote', `on_promote '${String(onPromote)}' must be archive or demote`);
  }
  if (d.transitions !== undefined && !Array.isArray(d.transitions)) err(locate, 'transitions', 'transitions must be a list');
  const transitions = ((d.transitions ?? []) as unknown[]).map((t, i): TransitionRule => {
    const where = `transitions[${i}]`;
    if (typeof t !== 'object' || t === null) return err(locate, null, `${where} must be a mapping with to, from and gates`);
    const r = t as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!['to', 'from', 'gates'].includes(k)) err(locate, k, `${where}: unknown field '${k}'`);
    const [to] = stageList(r.to, `${where}.to`, locate);
    if (!to || Array.isArray(r.to)) return err(locate, 'to', `${where}.to must be one stage`);
    const from = r.from === undefined ? null : stageList(r.from, `${where}.from`, locate);
    for (const s of [to, ...(from ?? [])]) {
      if (!stages.includes(s)) err(locate, s, `${where}: stage '${s}' is not in this policy's stages`);
    }
    if (r.gates !== undefined && !Array.isArray(r.gates)) err(locate, 'gates', `${where}.gates must be a list`);
    const gates = ((r.gates ?? []) as unknown[]).flatMap((g, j) => parseGate(g, `${where}.gates[${j}]`, locate));
    return { to, from, gates };
  });
  return { stages, onPromote, transitions };
}

/** The gates a move from `from` to `to` must pass: those of every matching rule, in order. */
export function gatesFor(policy: Policy, from: Stage, to: Stage): Gate[] {
  return policy.transitions
    .filter((t) => t.to === to && (t.from === null || t.from.includes(from)))
    .flatMap((t) => t.gates);
}

/**
 * The stages a version may move to `to` from: null when any stage may (no
 * rule for `to` names `from`). When every rule for `to` lists its `from`
 * stages, a move from elsewhere is not allowed, so skipping a stage cannot
 * skip the gates.
 */
export function allowedFrom(policy: Policy, to: Stage): Stage[] | null {
  const rules = policy.transitions.filter((t) => t.to === to);
  if (rules.length === 0 || rules.some((t) => t.from === null)) return null;
  return [...new Set(rules.flatMap((t) => t.from ?? []))];
}

/** A short human description of a gate, as written in the policy. */
export function describeGate(g: Gate): string {
  switch (g.kind) {
    case 'metric':
    case 'comparison': return g.expression.source;
    case 'evidence': return `evidence: ${g.evidence}`;
    case 'approvals': return `approvals: ${g.count}`;
  }
}
