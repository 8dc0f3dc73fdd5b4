/** Row shapes of the registry tables and their mapping to domain objects. */
import type {
  Approval, ArtifactFormat, ChangeKind, Decision, ModelCard, ModelVersion, PolicyRecord, Signature, Stage, StageChange,
} from './domain.js';
import type { StoredModel } from './registry-store.js';

export interface ModelRow {
  id: string; name: string; description: string | null; created_at: number; updated_at: number; policy_version: number | null;
}
export interface VersionRow {
  model_id: string; name: string; version: number; stage: string; source: string; run_id: string | null;
  description: string | null; artifact_format: string; artifact_flavor: string | null; signature: string | null;
  metrics: string; author: string; created_at: number; updated_at: number;
}
export interface ChangeRow {
  version: number; from_stage: string; to_stage: string; kind: string; actor: string; reason: string | null; override: number; at: number;
}
export interface DecisionRow { version: number; to_stage: string; actor: string; decision: string; comment: string | null; at: number }
export interface CardRow {
  version: number; markdown: string; intended_use: string | null; limitations: string | null; updated_by: string; updated_at: number;
}
export interface PolicyRow { version: number; text: string; created_by: string; created_at: number }

export const toModel = (r: ModelRow, tags: Record<string, string>, aliases: Record<string, number>): StoredModel => ({
  id: r.id,
  name: r.name,
  description: r.description,
  tags,
  aliases,
  policyVersion: r.policy_version === null ? null : Number(r.policy_version),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const toVersion = (r: VersionRow, tags: Record<string, string>, aliases: string[]): ModelVersion => ({
  name: r.name,
  version: Number(r.version),
  stage: r.stage as Stage,
  source: r.source,
  runId: r.run_id,
  description: r.description,
  tags,
  aliases,
  artifact: { format: r.artifact_format as ArtifactFormat, flavor: r.artifact_flavor },
  signature: r.signature === null ? null : (JSON.parse(r.signature) as Signature),
  metrics: JSON.parse(r.metrics) as Record<string, number>,
  author: r.author,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const toChange = (r: ChangeRow): StageChange => ({
  version: Number(r.version),
  from: r.from_stage as Stage,
  to: r.to_stage as Stage,
  kind: r.kind as ChangeKind,
  actor: r.actor,
  reason: r.reason,
  override: Boolean(Number(r.override)),
  at: Number(r.at),
});

export const toDecision = (r: DecisionRow): Approval => ({
  version: Number(r.version), to: r.to_stage as Stage, actor: r.actor, decision: r.decision as Decision, comment: r.comment, at: Number(r.at),
});

export const toCard = (r: CardRow): ModelCard => ({
  version: Number(r.version), markdown: r.markdown, intendedUse: r.intended_use, limitations: r.limitations,
  updatedBy: r.updated_by, updatedAt: Number(r.updated_at),
});

export const toPolicy = (r: PolicyRow): PolicyRecord => ({
  version: Number(r.version), text: r.text, createdBy: r.created_by, createdAt: Number(r.created_at),
});
