/**
 * The registry capability as seen by one caller. `RegistryService.as(actor)`
 * implements it in process; `HttpRegistryClient` implements it over HTTP
 * (acting as its token's user). One conformance suite checks both.
 *
 * MLflow's model-registry semantics map onto it: registered-model
 * create/get/rename/update/delete/search/tags, aliases, model-version
 * create/get/update/delete/search/tags, legacy stages through `transition`
 * (see `fromMlflowStage`) with `archiveExisting`, `latestVersions` and
 * `downloadUri`.
 */
import type {
  Approval, Decision, ModelCard, ModelVersion, Page, PolicyRecord, RegisteredModel, Stage, StageChange, TagFilter,
} from './domain.js';
import type { GateReport } from './gate-evaluation.js';
import type { Lineage } from './lineage.js';

export interface CreateModelInput {
  readonly name: string;
  readonly description?: string | null;
  readonly tags?: Record<string, string>;
}

export interface SearchModelsInput {
  /** SQL LIKE pattern on the name, e.g. `%churn%`. */
  readonly nameLike?: string;
  /** Every condition must hold, e.g. `[{ key: 'team', value: 'ml' }]`. */
  readonly tags?: readonly TagFilter[];
  /** MLflow's `LIKE` is case-sensitive, `ILIKE` is not; default false (ILIKE). */
  readonly caseSensitive?: boolean;
  /** `name ASC`, `updated DESC`; MLflow's `last_updated_timestamp` and `timestamp` work too. */
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string;
}

export interface SignatureInput {
  readonly inputs: readonly { name: string; type: string; shape?: readonly (number | null)[] }[];
  readonly outputs: readonly { name: string; type: string; shape?: readonly (number | null)[] }[];
}

export interface CreateVersionInput {
  /** Where the files are; defaults to `runs:/<runId>/model` when a run is given. */
  readonly source?: string;
  readonly runId?: string | null;
  readonly description?: string | null;
  readonly tags?: Record<string, string>;
  /** `onnx`, `mlflow` (an MLflow model folder; the default) or `other` with a flavor. */
  readonly format?: string;
  readonly flavor?: string | null;
  readonly signature?: SignatureInput | null;
}

export interface SearchVersionsInput {
  readonly name?: string;
  readonly runId?: string;
  readonly maxResults?: number;
  readonly pageToken?: string;
}

export interface TransitionInput {
  readonly to: Stage;
  readonly reason?: string;
  /** Admin only: move past failing gates; the reason is required and recorded. */
  readonly override?: boolean;
  /** MLflow's archive_existing_versions: archive every other version in the target stage. */
  readonly archiveExisting?: boolean;
}

export interface TransitionResult {
  readonly version: ModelVersion;
  readonly report: GateReport;
  /** The version that left production to make room, if any. */
  readonly replaced: ModelVersion | null;
}

export interface DecisionInput {
  readonly to: Stage;
  readonly decision: Decision;
  readonly comment?: string;
}

export interface RollbackResult {
  /** The version now in production again. */
  readonly restored: ModelVersion;
  /** The version that was in production, now archived or demoted; null if none was. */
  readonly replaced: ModelVersion | null;
}

export interface CardInput {
  /** Replaces the card's text. */
  readonly markdown?: string;
  readonly intendedUse?: string | null;
  readonly limitations?: string | null;
  /** Regenerates the text from lineage, metrics and the fields above. */
  readonly generate?: boolean;
}

export interface RegistryApi {
  createModel(input: CreateModelInput): Promise<RegisteredModel>;
  getModel(name: string): Promise<RegisteredModel>;
  searchModels(input?: SearchModelsInput): Promise<Page<RegisteredModel>>;
  updateModel(name: string, input: { newName?: string; description?: string | null }): Promise<RegisteredModel>;
  deleteModel(name: string): Promise<void>;
  setModelTag(name: string, key: string, value: string): Promise<void>;
  deleteModelTag(name: string, key: string): Promise<void>;
  setAlias(name: string, alias: string, version: number): Promise<void>;
  getVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  deleteAlias(name: string, alias: string): Promise<void>;

  createVersion(name: string, input: CreateVersionInput): Promise<ModelVersion>;
  getVersion(name: string, version: number): Promise<ModelVersion>;
  searchVersions(input?: SearchVersionsInput): Promise<Page<ModelVersion>>;
  updateVersion(name: string, version: number, input: { description?: string | null }): Promise<ModelVersion>;
  deleteVersion(name: string, version: number): Promise<void>;
  setVersionTag(name: string, version: number, key: string, value: string): Promise<void>;
  deleteVersionTag(name: string, version: number, key: string): Promise<void>;
  /** The newest version in each stage (all stages holding one when `stages` is empty). */
  latestVersions(name: string, stages?: readonly Stage[]): Promise<ModelVersion[]>;
  downloadUri(name: string, version: number): Promise<string>;

  /** Evaluates the gates of a move without making it. */
  checkGates(name: string, version: number, to: Stage): Promise<GateReport>;
  /**
   * Moves a version when every gate passes (or an admin overrides with a
   * reason). Failing gates are an InvalidState whose details carry the report.
   */
  transition(name: string, version: number, input: TransitionInput): Promise<TransitionResult>;
  /** Records an approval or rejection; approvers only, never the version's author. */
  decide(name: string, version: number, input: DecisionInput): Promise<Approval>;
  listDecisions(name: string, version: number): Promise<Approval[]>;
  /** Puts the previous production version back into production in one step. */
  rollback(name: string, reason?: string): Promise<RollbackResult>;
  history(name: string, version?: number): Promise<StageChange[]>;
  lineage(name: string, version: number): Promise<Lineage>;

  getCard(name: string, version: number): Promise<ModelCard>;
  setCard(name: string, version: number, input: CardInput): Promise<ModelCard>;

  /** Stores a new policy version; InvalidArgument names the line of a problem. */
  setPolicy(name: string, text: string): Promise<PolicyRecord>;
  /** The newest policy, or a given version; NotFound when none is stored. */
  getPolicy(name: string, version?: number): Promise<PolicyRecord>;
  listPolicies(name: string): Promise<PolicyRecord[]>;
}
