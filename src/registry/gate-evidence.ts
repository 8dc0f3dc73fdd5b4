/**
 * Gathers the evidence a transition's gates are judged on: the candidate's
 * run (reproducibility verdict, evaluation dataset), its card and signature,
 * the production version it would replace, data validation, and the
 * approvals recorded for this move.
 */
import { roleAtLeast, type RoleResolver } from '../core/actor.js';
import { NotFound } from '../core/errors.js';
import type { Approval, ModelVersion, Stage } from './domain.js';
import { REPRO_VERDICT_TAG, type GateEvidence } from './gate-evaluation.js';
import { evalDatasetOf, evaluatedData, type EvaluationFlag, type LineageRun } from './lineage.js';
import type { RegistryStore, StoredModel } from './registry-store.js';
import type { DataValidationSource, EvaluationDataCheck, RunSource } from './registry-access.js';

export interface EvidenceDeps {
  readonly store: RegistryStore;
  readonly roles: RoleResolver;
  readonly runs: RunSource;
  readonly dataValidation: DataValidationSource | undefined;
  readonly evaluationCheck: EvaluationDataCheck | undefined;
}

/** What the gate says when the registry runs without a data-validation source (wired by `startServer`; absent in a bare registry). */
export const DATA_VALIDATION_UNAVAILABLE = 'data validation is not available: this registry has no data-validation source, so no validation result can be read';

/** Flags for the dataset versions `v` was evaluated on that are not the validated ones; none without a check. */
export async function evaluationFlagsOf(check: EvaluationDataCheck | undefined, v: ModelVersion, run: LineageRun | null): Promise<readonly EvaluationFlag[]> {
  const evaluated = evaluatedData(v, run);
  return check && evaluated.length > 0 ? check.flagsFor(evaluated) : [];
}

async function runOf(runs: RunSource, id: string | null): Promise<LineageRun | null> {
  if (id === null) return null;
  try {
    return await runs.getRun(id);
  } catch (e) {
    if (e instanceof NotFound) return null;
    throw e;
  }
}

export async function gatherEvidence(deps: EvidenceDeps, m: StoredModel, v: ModelVersion, to: Stage): Promise<GateEvidence> {
  const run = await runOf(deps.runs, v.runId);
  const prod = (await deps.store.versionsInStages(m.id, ['production']))[0];
  const production = prod && prod.version !== v.version
    ? { version: prod.version, metrics: prod.metrics, evalDataset: evalDatasetOf(prod, await runOf(deps.runs, prod.runId)) }
    : null;
  return {
    from: v.stage,
    to,
    candidate: {
      version: v.version,
      author: v.author,
      metrics: v.metrics,
      evalDataset: evalDatasetOf(v, run),
      evalFlags: (await evaluationFlagsOf(deps.evaluationCheck, v, run)).map((f) => f.message),
      runId: v.runId,
      reproVerdict: run?.tags[REPRO_VERDICT_TAG] ?? null,
      hasCard: (await deps.store.getCard(m.id, v.version)) !== undefined,
      signature: v.signature,
    },
    production,
    dataValidation: deps.dataValidation
      ? await deps.dataValidation.resultFor(v.runId)
      : { status: 'unavailable', detail: DATA_VALIDATION_UNAVAILABLE },
    decisions: await stillEntitled(deps.roles, m.name, await deps.store.listDecisions(m.id, v.version, to)),
  };
}

/** Approvals count only while their authors still hold the approver role (a revoked grant stops counting). */
async function stillEntitled(roles: RoleResolver, name: string, decisions: readonly Approval[]): Promise<Approval[]> {
  const out: Approval[] = [];
  for (const d of decisions) {
    const role = await roles.roleOf({ id: d.actor, name: d.actor }, { kind: 'model', name });
    if (d.decision === 'rejected' || (role && roleAtLeast(role, 'approver'))) out.push(d);
  }
  return out;
}
