/**
 * What every registry operation shares: the actor, the deps, role checks,
 * audit records and lookups that turn a missing model or version into a
 * NotFound with the fix.
 */
import type { WebhookEvent, WebhookNotifier } from '../webhooks/webhook-notifier.js';
import { roleAtLeast, type Actor, type Role, type RoleResolver } from '../core/actor.js';
import type { AuditLog } from '../audit/audit-log.js';
import { InvalidArgument, NotFound, PermissionDenied } from '../core/errors.js';
import { encodePageToken } from '../tracking/search/index.js';
import type { ModelVersion, Page, RegisteredModel } from './domain.js';
import type { DataValidationResult } from './gate-evaluation.js';
import { evaluationFlagsOf } from './gate-evidence.js';
import { buildLineage, type EvaluatedData, type EvaluationFlag, type Lineage, type LineageRun } from './lineage.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';
import { parsePolicyText } from './policy-document.js';
import type { RegistryApi } from './registry-api.js';
import type { RegistryStore, StoredModel } from './registry-store.js';

/** A tracking run as the registry reads it: lineage fields plus latest metrics. `TrackingApi` satisfies it. */
export interface RunSource {
  getRun(id: string): Promise<LineageRun & {
    readonly metrics: readonly { key: string; value: number }[];
    /** Where the run's artifacts live; `runs:/<id>/<path>` sources resolve against it. */
    readonly artifactUri: string;
  }>;
}

/** Answers whether a run's data passed validation. The data slice implements it (`RunDataValidation`); absent means unavailable. */
export interface DataValidationSource {
  resultFor(runId: string | null): Promise<DataValidationResult>;
}

/**
 * Flags evaluation on a dataset version other than the dataset's validated one
 * (its newest version with a passing validation report). The data slice
 * implements it (`ValidatedVersionCheck`); absent, nothing is flagged. Reads only.
 */
export interface EvaluationDataCheck {
  /** One flag per evaluated version that is not its dataset's validated version; datasets the data slice does not hold are skipped. */
  flagsFor(evaluated: readonly EvaluatedData[]): Promise<readonly EvaluationFlag[]>;
}

export interface RegistryDeps {
  readonly store: RegistryStore;
  readonly runs: RunSource;
  readonly audit: AuditLog;
  readonly roles: RoleResolver;
  readonly dataValidation?: DataValidationSource;
  readonly evaluationCheck?: EvaluationDataCheck;
  /** Webhooks for version, transition and policy events; none when absent. */
  readonly notifier?: WebhookNotifier;
  readonly now?: () => number;
}

/** Which audited registry actions also fire a webhook, and as which event. */
const WEBHOOK_OF: Readonly<Record<string, WebhookEvent>> = {
  'model_version.create': 'model_version.created',
  'model_version.approve': 'transition.approved',
  'model_version.reject': 'transition.rejected',
  'model_version.transition': 'transition.completed',
  'model_version.transition.override': 'transition.completed',
  'registered_model.rollback': 'rollback',
  'model_policy.set': 'policy.changed',
};

/** Hands out the registry acting as one actor; what routes and tests hold. */
export interface ActorScopedRegistry {
  as(actor: Actor): RegistryApi;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 10_000;
export const newId = (): string => globalThis.crypto.randomUUID().replaceAll('-', '');

/**
 * One page from `limit + 1` fetched rows: the extra row only says whether a
 * next page exists. Rows the actor may not see are dropped from the page
 * without shortening the scan, so hidden models never end paging early.
 */
export async function pageOf<T>(rows: readonly T[], limit: number, offset: number, fp: string, visible: (row: T) => Promise<boolean>): Promise<Page<T>> {
  const items: T[] = [];
  for (const r of rows.slice(0, limit)) if (await visible(r)) items.push(r);
  return { items, nextPageToken: rows.length > limit ? encodePageToken({ offset: offset + limit, fingerprint: fp }) : null };
}

export function pageSize(n: number | undefined): number {
  if (n === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw new InvalidArgument(`maxResults must be an integer from 1 to ${MAX_PAGE}; got ${n}`);
  return n;
}

export function text(field: string, v: string | null | undefined, max: number): string | null | undefined {
  if (v !== null && v !== undefined && (typeof v !== 'string' || v.length > max)) {
    throw new InvalidArgument(`${field} must be a string of at most ${max} characters`);
  }
  return v;
}

/** The shared state and helpers of the registry's operations, acting as one actor. */
export abstract class RegistryAccess {
  protected readonly now: () => number;

  constructor(protected readonly deps: RegistryDeps, protected readonly actor: Actor) {
    this.now = deps.now ?? Date.now;
  }

  protected get store() { return this.deps.store; }

  protected async need(role: Role, name: string, to: string): Promise<void> {
    const have = await this.deps.roles.roleOf(this.actor, { kind: 'model', name });
    if (!have || !roleAtLeast(have, role)) {
      throw new PermissionDenied(`${this.actor.name} needs the ${role} role on model '${name}' to ${to}; they have ${have ?? 'no role'}`);
    }
  }

  protected async record(action: string, targetType: string, targetId: string, before: unknown, after: unknown, reason?: string): Promise<void> {
    await this.deps.audit.append({ actor: this.actor.name, action, targetType, targetId, before, after, ...(reason ? { reason } : {}) });
    const event = WEBHOOK_OF[action];
    if (event) await this.notify(event, { action, target: targetId, actor: this.actor.name, before, after, ...(reason ? { reason } : {}) });
  }

  /** Queues a webhook delivery (durable; sent in the background). */
  protected async notify(event: WebhookEvent, payload: Record<string, unknown>): Promise<void> {
    await this.deps.notifier?.notify(event, { event, at: this.now(), ...payload });
  }

  protected async model(name: string): Promise<StoredModel> {
    const m = await this.store.getModel(name);
    if (!m) throw new NotFound(`registered model '${name}' does not exist; list models with 'cairn models list'`);
    return m;
  }

  protected async versionOf(m: StoredModel, version: number): Promise<ModelVersion> {
    const v = await this.store.getVersion(m.id, version);
    if (!v) throw new NotFound(`model '${m.name}' has no version ${version}; list them with 'cairn models versions ${m.name}'`);
    return v;
  }

  protected async policyOf(m: StoredModel): Promise<Policy> {
    const rec = await this.store.getPolicy(m.id, null);
    return rec ? parsePolicyText(rec.text) : DEFAULT_POLICY;
  }

  /** Whether the actor holds any role on the model. */
  protected async canSee(name: string): Promise<boolean> {
    return (await this.deps.roles.roleOf(this.actor, { kind: 'model', name })) !== null;
  }

  protected strip({ id: _id, ...m }: StoredModel): RegisteredModel {
    return m;
  }

  protected async lineageOf(m: StoredModel, v: ModelVersion): Promise<Lineage> {
    const run = v.runId === null ? null : await this.deps.runs.getRun(v.runId).catch((e: unknown) => {
      if (e instanceof NotFound) return null;
      throw e;
    });
    return buildLineage(v, run, await this.store.listStageChanges(m.id, v.version), await evaluationFlagsOf(this.deps.evaluationCheck, v, run));
  }
}
