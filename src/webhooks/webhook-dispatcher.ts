import { randomBytes } from 'node:crypto';
import { SIGNATURE_HEADER, signWebhook } from './signing.js';
import type { DueDelivery, SqlWebhookStore } from './sql-webhook-store.js';
import type { WebhookEvent, WebhookNotifier } from './webhook-notifier.js';

export interface DispatcherOptions {
  /** First retry delay; doubles per attempt up to `maxBackoffMs` (default 1 s). */
  readonly retryBaseMs?: number;
  readonly maxBackoffMs?: number;
  /** Attempts before a delivery is marked failed (default 8). */
  readonly maxAttempts?: number;
  /** How often the background loop looks for due retries (default 1 s). */
  readonly pollMs?: number;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** How long finished deliveries stay listed before the loop prunes them (default 30 days). */
  readonly keepMs?: number;
  /** Where delivery failures are reported (default: nowhere). */
  readonly onError?: (err: unknown) => void;
}

const BATCH = 50;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Sends webhook deliveries: `notify` writes them to the outbox and starts a
 * drain; `start` runs a loop that retries failed attempts with exponential
 * backoff (HTTP status outside 2xx, network error or timeout). Each attempt
 * is signed afresh (`Cairn-Signature`), carries `Cairn-Event` and
 * `Cairn-Delivery` headers, and the body is the same JSON envelope
 * `{id, event, createdAt, data}` on every attempt, so receivers can dedupe by id.
 */
export class WebhookDispatcher implements WebhookNotifier {
  private readonly o: Required<Omit<DispatcherOptions, 'onError'>> & Pick<DispatcherOptions, 'onError'>;
  private timer: NodeJS.Timeout | undefined;
  private pruner: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private again = false;

  constructor(private readonly store: SqlWebhookStore, opts: DispatcherOptions = {}) {
    this.o = {
      retryBaseMs: opts.retryBaseMs ?? 1000, maxBackoffMs: opts.maxBackoffMs ?? 3_600_000, maxAttempts: opts.maxAttempts ?? 8,
      pollMs: opts.pollMs ?? 1000, keepMs: opts.keepMs ?? 30 * 86_400_000, timeoutMs: opts.timeoutMs ?? 10_000, fetch: opts.fetch ?? fetch, now: opts.now ?? Date.now,
      onError: opts.onError,
    };
  }

  async notify(event: WebhookEvent, payload: unknown): Promise<void> {
    const hooks = (await this.store.list()).filter((h) => h.events.includes(event));
    if (hooks.length === 0) return;
    const now = this.o.now();
    await this.store.enqueue(hooks.map((h) => {
      const id = randomBytes(12).toString('hex');
      return { id, webhookId: h.id, event, now, payload: JSON.stringify({ id, event, createdAt: now, data: payload ?? null }) };
    }));
    void this.drain();
  }

  /** Starts the retry loop and the hourly pruning of old finished deliveries; idempotent. */
  start(): void {
    this.timer ??= setInterval(() => void this.drain(), this.o.pollMs);
    this.timer.unref();
    this.pruner ??= setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruner.unref();
  }

  /** Deletes finished deliveries older than `keepMs`; returns how many. */
  async prune(): Promise<number> {
    try {
      return await this.store.prune(this.o.now() - this.o.keepMs);
    } catch (e) {
      this.o.onError?.(e);
      return 0;
    }
  }

  /** Stops the loop and waits for attempts in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.pruner);
    this.timer = undefined;
    this.pruner = undefined;
    await this.draining;
  }

  /** Sends every delivery due now; concurrent calls coalesce into one more pass. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        try {
          for (;;) {
            const due = await this.store.due(this.o.now(), BATCH);
            await Promise.all(due.map((d) => this.attempt(d)));
            if (due.length < BATCH) break;
          }
        } catch (e) {
          this.o.onError?.(e);
        }
      } while (this.again);
    })().finally(() => { this.draining = undefined; });
    return this.draining;
  }

  private async attempt(d: DueDelivery): Promise<void> {
    if (!(await this.store.claim(d, this.o.now() + this.o.timeoutMs * 2))) return;
    const attempts = d.attempts + 1;
    let error: string | null = null;
    try {
      const res = await this.o.fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json', 'user-agent': 'cairn-webhooks',
          [SIGNATURE_HEADER]: signWebhook(d.secret, this.o.now(), d.payload), 'cairn-event': d.event, 'cairn-delivery': d.id,
        },
        body: d.payload,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    if (error === null) {
      await this.store.finish(d.id, { status: 'delivered', attempts, nextAttemptAt: this.o.now(), error: null });
      return;
    }
    const failed = attempts >= this.o.maxAttempts;
    const backoff = Math.min(this.o.maxBackoffMs, this.o.retryBaseMs * 2 ** (attempts - 1));
    await this.store.finish(d.id, { status: failed ? 'failed' : 'pending', attempts, nextAttemptAt: this.o.now() + backoff, error });
  }
}
