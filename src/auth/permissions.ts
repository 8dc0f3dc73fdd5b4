/**
 * Which role each route needs, and in which scope it is checked. Declarative
 * and pure: a route may declare `config: { permission }` when it registers;
 * otherwise the rules below decide from its method and URL pattern, so a
 * route added later is protected without being listed here (reads need
 * viewer, anything else editor).
 */
import type { Role } from '../core/actor.js';

/** What a request is about, before runs are resolved to their experiments. */
export type ScopeRef =
  | { readonly kind: 'global' }
  | { readonly kind: 'experiment'; readonly id: string }
  | { readonly kind: 'run'; readonly id: string }
  | { readonly kind: 'model'; readonly name: string };

export interface RequestParts {
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
}

export interface Permission {
  /**
   * `public` needs no credentials at all (health, the OpenAPI document);
   * `signed-in` needs valid credentials but no role (who am I).
   */
  readonly role: Role | 'public' | 'signed-in';
  /** Where the role is checked; default: derived from the request (`scopeFromRequest`). */
  readonly scope?: (req: RequestParts) => ScopeRef;
}

const PUBLIC = new Set(['/api/v1/health', '/api/v1/openapi.json']);
/**
 * MLflow's multipart part uploads go to the URL Cairn handed out from an
 * authorised `mpu/create`; the client sends no credentials there (it treats
 * it as a presigned URL), so the unguessable upload id is the credential.
 */
const PRESIGNED = /\/mlflow-artifacts\/mpu\/part\//;
const SIGNED_IN = new Set(['/api/v1/me']);
/** POST routes that only read (a gate check evaluates gates without moving anything: `cairn gate check` is a CI step a viewer token runs). */
const READ_ONLY_POSTS = [/\/experiments\/stats$/, /\/versions\/:version\/gate-check$/, /\/runs\/search$/, /\/experiments\/search$/, /\/logged-models\/search$/,
  /\/registered-models\/search$/, /\/registered-models\/get-latest-versions$/, /\/model-versions\/search$/];
/** Administration: users, tokens, webhooks and the audit trail, reads included. */
const ADMIN = /^\/api\/v1\/(users|tokens|webhooks|audit)(\/|$)/;
/** Registry decisions. */
const APPROVER = /\/(approve|reject|approvals?)(\/|$|:)/;

/** The permission of a route from its method and URL pattern, unless it declared one. */
export function permissionFor(method: string, url: string, declared?: Permission): Permission {
  if (declared) return declared;
  if (PUBLIC.has(url) || PRESIGNED.test(url)) return { role: 'public' };
  if (SIGNED_IN.has(url)) return { role: 'signed-in' };
  if (ADMIN.test(url)) return { role: 'admin' };
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return { role: 'viewer' };
  if (method === 'POST' && READ_ONLY_POSTS.some((r) => r.test(url))) return { role: 'viewer' };
  if (APPROVER.test(url)) return { role: 'approver' };
  return { role: 'editor' };
}

const str = (o: unknown, k: string): string | undefined => {
  if (typeof o !== 'object' || o === null) return undefined;
  const v = (o as Record<string, unknown>)[k];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/**
 * The scope a request acts in, from its route pattern and fields: an
 * experiment or run in the path, an `experiment_id`/`run_id` (or camelCase)
 * field in the body or query, an MLflow proxied artifact path, a model name
 * under `/models/:name` or `/registered-models`; else global.
 */
export function scopeFromRequest(url: string, req: RequestParts): ScopeRef {
  const id = str(req.params, 'id');
  if (id && /^\/api\/v1\/experiments\/:id/.test(url)) return { kind: 'experiment', id };
  if (id && /^\/api\/v1\/runs\/:id/.test(url)) return { kind: 'run', id };
  const name = str(req.params, 'name');
  if (name && /\/models\/:name/.test(url)) return { kind: 'model', name };
  if (url.includes('/mlflow-artifacts/')) {
    const [experimentId, owner, ownerId] = (str(req.params, '*') ?? str(req.query, 'path') ?? '').split('/').filter(Boolean);
    // `<experiment>/models/<model id>/…` is a logged model's; `<experiment>/<run id>/…` a run's.
    if (owner === 'models' && ownerId && experimentId) return { kind: 'experiment', id: experimentId };
    if (owner) return { kind: 'run', id: owner };
  }
  for (const fields of [req.body, req.query]) {
    // A model version created from a run acts on the model, not on the run's experiment.
    if (/registered-models|model-versions/.test(url)) {
      const m = str(fields, 'name');
      if (m) return { kind: 'model', name: m };
    }
    const e = str(fields, 'experiment_id') ?? str(fields, 'experimentId');
    if (e) return { kind: 'experiment', id: e };
    const r = str(fields, 'run_id') ?? str(fields, 'run_uuid') ?? str(fields, 'runId');
    if (r) return { kind: 'run', id: r };
  }
  return { kind: 'global' };
}
