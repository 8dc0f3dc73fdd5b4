/**
 * Evaluates a transition's gates against the evidence gathered for it. Pure:
 * the service collects the evidence (runs, cards, approvals, the production
 * version) and this decides. Every gate answers pass or fail with a reason;
 * missing evidence is a failure, never a silent pass.
 */
import type { Approval, Signature, Stage } from './domain.js';
import { evaluateGateExpression, type Side } from './gate-expression.js';
import { describeGate, type EvidenceKind, type Gate } from './policy.js';

/** The run tag `cairn repro` writes with its verdict. */
export const REPRO_VERDICT_TAG = 'cairn.repro.verdict';
export const REPRODUCED = 'REPRODUCED';

export interface DataValidationResult {
  /** `unavailable`: the registry runs without a data-validation source (`startServer` always wires one). */
  readonly status: 'passed' | 'failed' | 'unavailable';
  readonly detail: string;
}

export interface CandidateEvidence {
  readonly version: number;
  readonly author: string;
  readonly metrics: Readonly<Record<string, number>>;
  /** `name@digest` of the evaluation dataset version, or null when none is recorded. */
  readonly evalDataset: string | null;
  /** Why evaluating on the recorded dataset versions is flagged (each not its dataset's validated version); empty when not. */
  readonly evalFlags: readonly string[];
  readonly runId: string | null;
  /** The source run's `cairn.repro.verdict` tag. */
  readonly reproVerdict: string | null;
  readonly hasCard: boolean;
  readonly signature: Signature | null;
}

export interface ProductionEvidence {
  readonly version: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly evalDataset: string | null;
}

export interface GateEvidence {
  readonly from: Stage;
  readonly to: Stage;
  readonly candidate: CandidateEvidence;
  /** The version in production now (not the candidate itself), or null. */
  readonly production: ProductionEvidence | null;
  readonly dataValidation: DataValidationResult;
  /** Decisions recorded for this version and target stage, newest per actor. */
  readonly decisions: readonly Approval[];
}

export interface GateResult {
  readonly gate: string;
  readonly kind: Gate['kind'];
  readonly passed: boolean;
  readonly reason: string;
}

export interface GateReport {
  readonly version: number;
  readonly from: Stage;
  readonly to: Stage;
  readonly passed: boolean;
  readonly gates: readonly GateResult[];
}

/** Runs every gate; the report passes when all of them do (no gates: passes). */
export function evaluateGates(gates: readonly Gate[], ev: GateEvidence): GateReport {
  const results = gates.map((g): GateResult => ({ gate: describeGate(g), kind: g.kind, ...evaluateOne(g, ev) }));
  return { version: ev.candidate.version, from: ev.from, to: ev.to, passed: results.every((r) => r.passed), gates: results };
}

type Outcome = { passed: boolean; reason: string };

function evaluateOne(g: Gate, ev: GateEvidence): Outcome {
  switch (g.kind) {
    case 'metric':
      return evaluateGateExpression(g.expression, (_side, key) => ev.candidate.metrics[key]);
    case 'comparison': return comparison(g, ev);
    case 'evidence': return evidence(g.evidence, ev);
    case 'approvals': return approvals(g.count, ev);
  }
}

function comparison(g: Extract<Gate, { kind: 'comparison' }>, ev: GateEvidence): Outcome {
  const prod = ev.production;
  if (!prod) return { passed: true, reason: 'no version is in production, so there is nothing to compare with' };
  const cand = ev.candidate.evalDataset;
  if (!cand) return { passed: false, reason: `candidate v${ev.candidate.version} records no evaluation dataset version, so it cannot be compared with production v${prod.version}` };
  if (!prod.evalDataset) return { passed: false, reason: `production v${prod.version} records no evaluation dataset version to compare on` };
  if (cand !== prod.evalDataset) {
    return { passed: false, reason: `candidate was evaluated on ${cand} but production v${prod.version} on ${prod.evalDataset}; evaluate both on the same dataset version` };
  }
  const lookup = (side: Side, key: string) => (side === 'production' ? prod.metrics[key] : ev.candidate.metrics[key]);
  const out = evaluateGateExpression(g.expression, lookup);
  return { passed: out.passed, reason: `on ${cand} against production v${prod.version}: ${out.reason}` };
}

function evidence(kind: EvidenceKind, ev: GateEvidence): Outcome {
  const c = ev.candidate;
  switch (kind) {
    case 'eval_dataset':
      if (!c.evalDataset) {
        return { passed: false, reason: "no evaluation dataset version is recorded: log the dataset as a run input with context 'evaluation' (cairn run --eval-input name@version), or tag the version cairn.eval.dataset" };
      }
      return c.evalFlags.length > 0
        ? { passed: false, reason: c.evalFlags.join('; ') }
        : { passed: true, reason: `evaluation dataset version ${c.evalDataset}` };
    case 'reproduced':
      if (!c.runId) return { passed: false, reason: 'the version has no source run, so nothing was reproduced' };
      if (c.reproVerdict === REPRODUCED) return { passed: true, reason: `run ${c.runId} is ${REPRODUCED}` };
      return {
        passed: false,
        reason: c.reproVerdict === null
          ? `run ${c.runId} has no reproducibility verdict; run 'cairn repro ${c.runId}'`
          : `run ${c.runId} verdict is ${c.reproVerdict}, not ${REPRODUCED}`,
      };
    case 'data_validation':
      return { passed: ev.dataValidation.status === 'passed', reason: ev.dataValidation.detail };
    case 'model_card':
      return c.hasCard
        ? { passed: true, reason: 'a model card exists' }
        : { passed: false, reason: `no model card; write one with 'cairn models card NAME ${c.version} --generate'` };
    case 'signature': {
      const s = c.signature;
      return s && s.inputs.length > 0 && s.outputs.length > 0
        ? { passed: true, reason: `${s.inputs.length} input(s), ${s.outputs.length} output(s)` }
        : { passed: false, reason: 'no signature with inputs and outputs is recorded for this version' };
    }
  }
}

function approvals(count: number, ev: GateEvidence): Outcome {
  const approved = ev.decisions.filter((d) => d.decision === 'approved' && d.actor !== ev.candidate.author);
  const rejected = ev.decisions.filter((d) => d.decision === 'rejected');
  if (rejected.length > 0) {
    return { passed: false, reason: `rejected by ${rejected.map((r) => r.actor).join(', ')}${rejected[0]?.comment ? `: ${rejected[0].comment}` : ''}` };
  }
  const who = approved.map((a) => a.actor).join(', ');
  return approved.length >= count
    ? { passed: true, reason: `${approved.length} of ${count} approvals (${who})` }
    : { passed: false, reason: `${approved.length} of ${count} approvals${who ? ` (${who})` : ''}; an approver other than the author must run 'cairn models approve'` };
}

/** The report as readable lines, one per gate: `PASS  metrics.auc >= 0.85  (auc = 0.9: …)`. */
export function formatGateReport(name: string, r: GateReport): string[] {
  const head = `${name} v${r.version}: ${r.from} → ${r.to}: ${r.passed ? 'all gates pass' : 'blocked'}`;
  if (r.gates.length === 0) return [head, '  (the policy declares no gates for this transition)'];
  return [head, ...r.gates.map((g) => `  ${g.passed ? 'PASS' : 'FAIL'}  ${g.gate}  — ${g.reason}`)];
}
