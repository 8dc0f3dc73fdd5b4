/**
 * The webhook port the registry (and anything else that wants to tell the
 * outside world) calls. `notify` records one delivery per matching
 * subscription durably and returns; delivery, signing and retries happen in
 * the background, so a slow or failing receiver never slows the caller.
 */
export const WEBHOOK_EVENTS = [
  'model_version.created',
  'transition.requested',
  'transition.approved',
  'transition.rejected',
  'transition.completed',
  'rollback',
  'policy.changed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const isWebhookEvent = (v: unknown): v is WebhookEvent =>
  typeof v === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(v);

export interface WebhookNotifier {
  /** Queues `payload` (any JSON value) for every subscription to `event`. */
  notify(event: WebhookEvent, payload: unknown): Promise<void>;
}

/** Drops every event; for unit tests of pure services. */
export const NO_WEBHOOKS: WebhookNotifier = { notify: async () => undefined };

export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEvent[];
  readonly createdAt: number;
}

export interface WebhookDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly event: WebhookEvent;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly createdAt: number;
}
