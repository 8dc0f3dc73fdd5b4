/**
 * Stage workflow: gate checks, transitions with overrides, approvals,
 * rollback, history and lineage; model cards and versioned policies.
 */
import { InvalidArgument, InvalidState, NotFound, PermissionDenied } from '../core/errors.js';
import {
  LIMITS, replacedStage, type Approval, type ModelCard, type ModelVersion, type PolicyRecord, type Stage, type StageChange,
} from './domain.js';
import { evaluateGates, type GateReport } from './gate-evaluation.js';
import { gatherEvidence } from './gate-evidence.js';
import type { Lineage } from './lineage.js';
import { renderModelCard } from './model-card.js';
import { allowedFrom, gatesFor, type Policy } from './policy.js';
import { parsePolicyText } from './policy-document.js';
import type { CardInput, DecisionInput, RollbackResult, TransitionInput, TransitionResult } from './registry-api.js';
import { RegistryAccess, text } from './registry-access.js';
import type { StageMove, StoredModel } from './registry-store.js';

/** The stage-workflow half of the registry; `RegistryService` adds the catalogue. */
export abstract class StageWorkflow extends RegistryAccess {
  private async report(m: StoredModel, v: ModelVersion, to: Stage, policy: Policy): Promise<GateReport> {
    if (!policy.stages.includes(to)) {
      throw new InvalidArgument(`stage '${to}' is not used by model '${m.name}'; its stages are ${policy.stages.join(', ')}`);
    }
    if (v.stage === to) throw new InvalidState(`${m.name} v${v.version} is already in ${to}`);
    const from = allowedFrom(policy, to);
    if (from && !from.includes(v.stage)) {
      throw new InvalidState(`${m.name} v${v.version} is in ${v.stage}, but its policy allows moves to ${to} only from ${from.join(', ')}; move it there first`);
    }
    const { roles, runs, dataValidation, evaluationCheck } = this.deps;
    const evidence = await gatherEvidence({ store: this.store, roles, runs, dataValidation, evaluationCheck }, m, v, to);
    return evaluateGates(gatesFor(policy, v.stage, to), evidence);
  }

  async checkGates(name: string, version: number, to: Stage): Promise<GateReport> {
    await this.need('viewer', name, 'read models');
    const m = await this.model(name);
    return this.report(m, await this.versionOf(m, version), to, await this.policyOf(m));
  }

  async transition(name: string, version: number, input: TransitionInput): Promise<TransitionResult> {
    await this.need('editor', name, 'move versions between stages');
    const m = await this.model(name);
    const v = await this.versionOf(m, version);
    const policy = await this.policyOf(m);
    const report = await this.report(m, v, input.to, policy);
    const reason = input.reason?.trim() || null;
    const override = !report.passed;
    if (override) {
      const failing = report.gates.filter((g) => !g.passed).map((g) => `${g.gate} (${g.reason})`).join('; ');
      if (!input.override) {
        // A refused move is a request waiting on its gates (approvals, evidence).
        await this.notify('transition.requested', { target: `${name}/${version}`, actor: this.actor.name, to: input.to, gates: report.gates });
        throw new InvalidState(`cannot move ${name} v${version} to ${input.to}: failing gates: ${failing}. Meet them, or an admin may override with a reason`, { report });
      }
      await this.need('admin', name, 'override failing gates');
      if (!reason) throw new InvalidArgument('an override needs a reason; give --reason "..."');
    }
    const at = this.now();
    const move = (x: ModelVersion, to: Stage, kind: StageChange['kind']): StageMove =>
      ({ version: x.version, from: x.stage, to, kind, actor: this.actor.name, reason, override: false, at });
    const moves: StageMove[] = [];
    let replaced: ModelVersion | null = null;
    if (input.to === 'production') {
      replaced = (await this.store.versionsInStages(m.id, ['production']))[0] ?? null;
      if (replaced) moves.push(move(replaced, replacedStage(policy.stages, policy.onPromote), 'demotion'));
    }
    if (input.archiveExisting) {
      for (const other of await this.store.versionsInStages(m.id, [input.to])) {
        if (other.version !== replaced?.version) moves.push(move(other, 'archived', 'archive-existing'));
      }
    }
    moves.push({ ...move(v, input.to, 'transition'), override });
    await this.store.applyStageChanges(m.id, moves);
    const after = await this.versionOf(m, version);
    await this.record(override ? 'model_version.transition.override' : 'model_version.transition', 'model_version', `${name}/${version}`,
      { stage: v.stage }, { stage: input.to, override, gates: report.gates, replaced: replaced?.version ?? null }, reason ?? undefined);
    return { version: after, report, replaced: replaced && (await this.versionOf(m, replaced.version)) };
  }

  async decide(name: string, version: number, input: DecisionInput): Promise<Approval> {
    await this.need('approver', name, 'approve or reject versions');
    const m = await this.model(name);
    const v = await this.versionOf(m, version);
    const policy = await this.policyOf(m);
    if (!policy.stages.includes(input.to)) throw new InvalidArgument(`stage '${input.to}' is not used by model '${name}'`);
    if (input.decision === 'approved' && v.author === this.actor.id) {
      throw new PermissionDenied(`${this.actor.name} registered ${name} v${version} and cannot approve it; another approver must`);
    }
    const a: Approval = { version, to: input.to, actor: this.actor.id, decision: input.decision, comment: input.comment?.trim() || null, at: this.now() };
    await this.store.putDecision(m.id, a);
    await this.record(`model_version.${input.decision === 'approved' ? 'approve' : 'reject'}`, 'model_version', `${name}/${version}`, null, a, a.comment ?? undefined);
    return a;
  }

  async listDecisions(name: string, version: number): Promise<Approval[]> {
    await this.need('viewer', name, 'read models');
    const m = await this.model(name);
    await this.versionOf(m, version);
    return this.store.listDecisions(m.id, version, null);
  }

  async rollback(name: string, reason?: string): Promise<RollbackResult> {
    await this.need('approver', name, 'roll back production');
    const m = await this.model(name);
    const policy = await this.policyOf(m);
    const current = (await this.store.versionsInStages(m.id, ['production']))[0] ?? null;
    const history = await this.store.listStageChanges(m.id, null);
    let previous: ModelVersion | undefined;
    for (const h of [...history].reverse()) {
      if (h.from !== 'production' || h.version === current?.version) continue;
      previous = await this.store.getVersion(m.id, h.version);
      if (previous) break;
    }
    if (!previous) throw new InvalidState(`model '${name}' has no earlier production version to restore`);
    const at = this.now();
    const why = reason?.trim() || null;
    const moves: StageMove[] = [];
    if (current) moves.push({ version: current.version, from: 'production', to: replacedStage(policy.stages, policy.onPromote), kind: 'rollback', actor: this.actor.name, reason: why, override: false, at });
    moves.push({ version: previous.version, from: previous.stage, to: 'production', kind: 'rollback', actor: this.actor.name, reason: why, override: false, at });
    await this.store.applyStageChanges(m.id, moves);
    const restored = await this.versionOf(m, previous.version);
    await this.record('registered_model.rollback', 'registered_model', name, { production: current?.version ?? null }, { production: restored.version }, why ?? undefined);
    return { restored, replaced: current && (await this.versionOf(m, current.version)) };
  }

  async history(name: string, version?: number): Promise<StageChange[]> {
    await this.need('viewer', name, 'read models');
    const m = await this.model(name);
    if (version !== undefined) await this.versionOf(m, version);
    return this.store.listStageChanges(m.id, version ?? null);
  }

  async lineage(name: string, version: number): Promise<Lineage> {
    await this.need('viewer', name, 'read models');
    const m = await this.model(name);
    return this.lineageOf(m, await this.versionOf(m, version));
  }

  async getCard(name: string, version: number): Promise<ModelCard> {
    await this.need('viewer', name, 'read models');
    const m = await this.model(name);
    await this.versionOf(m, version);
    const card = await this.store.getCard(m.id, version);
    if (!card) throw new NotFound(`${name} v${version} has no model card; write one with 'cairn models card ${name} ${version} --generate'`);
    return card;
  }

  async setCard(name: string, version: number, input: CardInput): Promise<ModelCard> {
    await this.need('editor', name, 'edit model cards');
    const m = await this.model(name);
    const v = await this.versionOf(m, version);
    const before = (await this.store.getCard(m.id, version)) ?? null;
    const intendedUse = input.intendedUse !== undefined ? text('intendedUse', input.intendedUse, LIMITS.cardLength) ?? null : before?.intendedUse ?? null;
    const limitations = input.limitations !== undefined ? text('limitations', input.limitations, LIMITS.cardLength) ?? null : before?.limitations ?? null;
    const markdown = input.markdown !== undefined && !input.generate
      ? (text('markdown', input.markdown, LIMITS.cardLength) as string)
      : input.generate || !before ? renderModelCard(await this.lineageOf(m, v), { intendedUse, limitations }) : before.markdown;
    const card: ModelCard = { version, markdown, intendedUse, limitations, updatedBy: this.actor.name, updatedAt: this.now() };
    await this.store.putCard(m.id, card);
    await this.record('model_card.set', 'model_version', `${name}/${version}`, before, card);
    return card;
  }

  async setPolicy(name: string, policyText: string): Promise<PolicyRecord> {
    await this.need('admin', name, 'set transition policies');
    const m = await this.model(name);
    parsePolicyText(policyText);
    // Storing the newest text again is a no-op, so a retried PUT adds no version.
    const newest = await this.store.getPolicy(m.id, null);
    if (newest?.text === policyText) return newest;
    const version = await this.store.insertPolicy(m.id, policyText, this.actor.name, this.now());
    const rec = await this.getPolicy(name, version);
    await this.record('model_policy.set', 'registered_model', name, { policyVersion: m.policyVersion }, { policyVersion: version, text: policyText });
    return rec;
  }

  async getPolicy(name: string, version?: number): Promise<PolicyRecord> {
    await this.need('viewer', name, 'read models');
    const m = await this.model(name);
    const rec = await this.store.getPolicy(m.id, version ?? null);
    if (!rec) {
      throw new NotFound(version === undefined
        ? `model '${name}' has no stored policy (the default applies: every stage, no gates); set one with 'cairn models policy set ${name} FILE'`
        : `model '${name}' has no policy version ${version}`);
    }
    return rec;
  }

  async listPolicies(name: string): Promise<PolicyRecord[]> {
    await this.need('viewer', name, 'read models');
    return this.store.listPolicies((await this.model(name)).id);
  }
}
