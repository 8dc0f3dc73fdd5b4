import { randomBytes } from 'node:crypto';
import type { Actor } from '../core/actor.js';
import { InvalidArgument, NotFound } from '../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { SqlWebhookStore, WebhookWithSecret } from './sql-webhook-store.js';
import { isWebhookEvent, type Webhook, type WebhookDelivery, type WebhookEvent } from './webhook-notifier.js';

export interface AddWebhookInput {
  readonly url: string;
  readonly events: readonly string[];
  /** The HMAC secret; generated when absent. */
  readonly secret?: string;
}

export interface AddedWebhook {
  readonly webhook: Webhook;
  /** The signing secret, shown this once. */
  readonly secret: string;
}

/** Managing webhook subscriptions: in process (audited) or over HTTP. */
export interface WebhookAdminApi {
  addWebhook(input: AddWebhookInput): Promise<AddedWebhook>;
  listWebhooks(): Promise<Webhook[]>;
  removeWebhook(id: string): Promise<void>;
  listDeliveries(id: string): Promise<WebhookDelivery[]>;
}

const publicHook = ({ secret: _, ...h }: WebhookWithSecret): Webhook => h;

function checkInput(input: AddWebhookInput): { url: string; events: WebhookEvent[] } {
  let u: URL;
  try {
    u = new URL(input.url);
  } catch {
    throw new InvalidArgument(`webhook URL '${input.url}' is not a URL; give e.g. https://hooks.example.com/cairn`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InvalidArgument(`webhook URL must be http(s); got '${u.protocol}'`);
  const bad = input.events.filter((e) => !isWebhookEvent(e));
  if (input.events.length === 0 || bad.length > 0) {
    throw new InvalidArgument(`give one or more events from: model_version.created, transition.requested, transition.approved, transition.rejected, transition.completed, rollback, policy.changed${bad.length ? `; unknown: ${bad.join(', ')}` : ''}`);
  }
  if (input.secret !== undefined && input.secret.length < 16) throw new InvalidArgument('a webhook secret must be at least 16 characters');
  return { url: u.toString(), events: [...new Set(input.events as WebhookEvent[])] };
}

/** Webhook subscriptions, each change audited as the acting user. */
export class WebhookService {
  constructor(private readonly store: SqlWebhookStore, private readonly audit: AuditLog, private readonly now: () => number = Date.now) {}

  as(actor: Actor): WebhookAdminApi {
    const record = (action: string, id: string, before: unknown, after: unknown) =>
      this.audit.append({ actor: actor.name, action, targetType: 'webhook', targetId: id, before, after });
    const get = async (id: string) => {
      const h = await this.store.get(id);
      if (!h) throw new NotFound(`webhook '${id}' does not exist; list them with 'cairn webhooks list'`);
      return h;
    };
    return {
      addWebhook: async (input) => {
        const { url, events } = checkInput(input);
        const h: WebhookWithSecret = {
          id: randomBytes(8).toString('hex'), url, events, createdAt: this.now(),
          secret: input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`,
        };
        await this.store.insert(h);
        await record('webhook.create', h.id, undefined, { url, events });
        return { webhook: publicHook(h), secret: h.secret };
      },
      listWebhooks: async () => (await this.store.list()).map(publicHook),
      removeWebhook: async (id) => {
        const h = await get(id);
        await this.store.remove(id);
        await record('webhook.delete', id, { url: h.url, events: h.events }, undefined);
      },
      listDeliveries: async (id) => this.store.deliveries((await get(id)).id),
    };
  }
}
