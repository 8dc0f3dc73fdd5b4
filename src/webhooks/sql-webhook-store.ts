import type { Db } from '../storage/db.js';
import type { Webhook, WebhookDelivery, WebhookEvent } from './webhook-notifier.js';

interface HookRow { id: string; url: string; secret: string; events: string; created_at: number }
interface DeliveryRow {
  id: string; webhook_id: string; event: WebhookEvent; payload: string; status: WebhookDelivery['status'];
  attempts: number; next_attempt_at: number; last_error: string | null; created_at: number;
}

export interface WebhookWithSecret extends Webhook {
  readonly secret: string;
}

export interface DueDelivery extends WebhookDelivery {
  readonly payload: string;
  readonly url: string;
  readonly secret: string;
}

const toHook = (r: HookRow): WebhookWithSecret => ({
  id: r.id, url: r.url, secret: r.secret, events: JSON.parse(r.events) as WebhookEvent[], createdAt: Number(r.created_at),
});
const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id, webhookId: r.webhook_id, event: r.event, status: r.status, attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at), lastError: r.last_error, createdAt: Number(r.created_at),
});

/**
 * Subscriptions and the delivery outbox. A delivery is claimed by moving its
 * `next_attempt_at` forward with a compare-and-set, so several server
 * replicas draining one database never send the same attempt twice.
 */
export class SqlWebhookStore {
  constructor(private readonly db: Db) {}

  async insert(h: WebhookWithSecret): Promise<void> {
    await this.db.run('INSERT INTO webhooks (id, url, secret, events, created_at) VALUES (?, ?, ?, ?, ?)',
      [h.id, h.url, h.secret, JSON.stringify(h.events), h.createdAt]);
  }

  async list(): Promise<WebhookWithSecret[]> {
    return (await this.db.all<HookRow>('SELECT id, url, secret, events, created_at FROM webhooks ORDER BY created_at, id')).map(toHook);
  }

  async get(id: string): Promise<WebhookWithSecret | undefined> {
    const r = await this.db.get<HookRow>('SELECT id, url, secret, events, created_at FROM webhooks WHERE id = ?', [id]);
    return r && toHook(r);
  }

  /** Removes the subscription and abandons its pending deliveries. */
  async remove(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run("UPDATE webhook_deliveries SET status = 'failed', last_error = 'webhook removed' WHERE webhook_id = ? AND status = 'pending'", [id]);
      await tx.run('DELETE FROM webhooks WHERE id = ?', [id]);
    });
  }

  async enqueue(rows: readonly { id: string; webhookId: string; event: WebhookEvent; payload: string; now: number }[]): Promise<void> {
    await this.db.runMany(
      "INSERT INTO webhook_deliveries (id, webhook_id, event, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)",
      rows.map((r) => [r.id, r.webhookId, r.event, r.payload, r.now, r.now]));
  }

  /** Pending deliveries due by `now`, oldest first, with their subscription's URL and secret. */
  async due(now: number, limit: number): Promise<DueDelivery[]> {
    const rows = await this.db.all<DeliveryRow & { url: string; secret: string }>(
      `SELECT d.id, d.webhook_id, d.event, d.payload, d.status, d.attempts, d.next_attempt_at, d.last_error, d.created_at, w.url, w.secret
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT ?`, [now, limit]);
    return rows.map((r) => ({ ...toDelivery(r), payload: r.payload, url: r.url, secret: r.secret }));
  }

  /** Takes a due delivery for one attempt, until `leaseUntil`; false when another process took it first. */
  async claim(d: WebhookDelivery, leaseUntil: number): Promise<boolean> {
    const r = await this.db.run(
      "UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
      [leaseUntil, d.id, d.nextAttemptAt]);
    return r.changes === 1;
  }

  async finish(id: string, outcome: { status: WebhookDelivery['status']; attempts: number; nextAttemptAt: number; error: string | null }): Promise<void> {
    await this.db.run('UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
      [outcome.status, outcome.attempts, outcome.nextAttemptAt, outcome.error, id]);
  }

  /** Forgets finished (delivered or failed) deliveries created before `before`. */
  async prune(before: number): Promise<number> {
    return (await this.db.run("DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < ?", [before])).changes;
  }

  async deliveries(webhookId: string, limit = 100): Promise<WebhookDelivery[]> {
    return (await this.db.all<DeliveryRow>(
      `SELECT id, webhook_id, event, payload, status, attempts, next_attempt_at, last_error, created_at
       FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id LIMIT ?`, [webhookId, limit])).map(toDelivery);
  }
}
