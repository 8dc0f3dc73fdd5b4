/**
 * The registry store contract: persistence for registered models, versions
 * and their history. Implemented once over the dialect layer
 * (SqlRegistryStore) for SQLite and PostgreSQL.
 *
 * Promises:
 * - Safe under concurrent callers and several processes sharing a database.
 * - Every method is atomic: a rejected call has written nothing.
 * - Version numbers of a model are allocated without gaps or duplicates, also
 *   when two servers register at once.
 * - At most one version of a model is in production (a unique index), and
 *   `applyStageChanges` moves versions only from the stage the caller saw, so
 *   two racing promotions cannot both win.
 * - Returned objects are snapshots. Cross-entity rules (gates, roles) live in
 *   the service.
 */
import type {
  Approval, ModelArtifact, ModelCard, ModelOrder, ModelVersion, PolicyRecord, RegisteredModel, Signature, Stage,
  StageChange, TagFilter, Tags,
} from './domain.js';

export interface NewModel {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly tags: Tags;
  readonly now: number;
}

export interface ModelQuery {
  readonly nameLike: string | null;
  readonly caseSensitive: boolean;
  readonly tags: readonly TagFilter[];
  readonly orderBy: readonly ModelOrder[];
  readonly limit: number;
  readonly offset: number;
}

export interface NewVersion {
  readonly modelId: string;
  readonly stage: Stage;
  readonly source: string;
  readonly runId: string | null;
  readonly description: string | null;
  readonly tags: Tags;
  readonly artifact: ModelArtifact;
  readonly signature: Signature | null;
  readonly metrics: Readonly<Record<string, number>>;
  readonly author: string;
  readonly now: number;
}

export interface VersionQuery {
  readonly name: string | null;
  readonly runId: string | null;
  readonly limit: number;
  readonly offset: number;
}

/** A move of one version from the stage it is in (checked) to another, recorded in its history. */
export type StageMove = StageChange;

/** A stored model with its surrogate key; the key survives renames. */
export interface StoredModel extends RegisteredModel {
  readonly id: string;
}

export interface RegistryStore {
  /** AlreadyExists when the name is taken. */
  insertModel(m: NewModel): Promise<void>;
  getModel(name: string): Promise<StoredModel | undefined>;
  searchModels(q: ModelQuery): Promise<StoredModel[]>;
  /** AlreadyExists when renaming onto a taken name. */
  updateModel(id: string, patch: { name?: string; description?: string | null }, now: number): Promise<void>;
  /** Deletes the model and everything under it. */
  deleteModel(id: string): Promise<void>;
  setModelTag(id: string, key: string, value: string, now: number): Promise<void>;
  deleteModelTag(id: string, key: string, now: number): Promise<void>;
  /** Points an alias at a version, moving it if it pointed elsewhere. */
  setAlias(id: string, alias: string, version: number, now: number): Promise<void>;
  deleteAlias(id: string, alias: string, now: number): Promise<void>;

  /** Allocates the next version number and stores the version; returns the number. */
  insertVersion(v: NewVersion): Promise<number>;
  getVersion(modelId: string, version: number): Promise<ModelVersion | undefined>;
  /** Newest first. */
  searchVersions(q: VersionQuery): Promise<ModelVersion[]>;
  /** Versions of one model in the given stages, newest first. */
  versionsInStages(modelId: string, stages: readonly Stage[]): Promise<ModelVersion[]>;
  updateVersion(modelId: string, version: number, patch: { description?: string | null }, now: number): Promise<void>;
  /** Deletes a version with its tags, aliases, approvals, card and history. */
  deleteVersion(modelId: string, version: number): Promise<void>;
  setVersionTag(modelId: string, version: number, key: string, value: string, now: number): Promise<void>;
  deleteVersionTag(modelId: string, version: number, key: string, now: number): Promise<void>;

  /**
   * Applies moves in order, in one transaction, and records each in the
   * history. A version no longer in `move.from` makes the whole call fail
   * with InvalidState (someone else moved it first).
   */
  applyStageChanges(modelId: string, moves: readonly StageMove[]): Promise<void>;
  /** The model's stage history (optionally one version's), oldest first. */
  listStageChanges(modelId: string, version: number | null): Promise<StageChange[]>;

  /** Records an actor's decision on a version's move to a stage, replacing their earlier one. */
  putDecision(modelId: string, a: Approval): Promise<void>;
  listDecisions(modelId: string, version: number, to: Stage | null): Promise<Approval[]>;

  putCard(modelId: string, card: ModelCard): Promise<void>;
  getCard(modelId: string, version: number): Promise<ModelCard | undefined>;

  /** Stores a new policy version (1, 2, …) and returns it. */
  insertPolicy(modelId: string, text: string, createdBy: string, now: number): Promise<number>;
  /** A given policy version, or the newest when `version` is null. */
  getPolicy(modelId: string, version: number | null): Promise<PolicyRecord | undefined>;
  listPolicies(modelId: string): Promise<PolicyRecord[]>;
}
