/**
 * Webhooks end to end in process: subscriptions through the API, a real
 * local HTTP receiver that checks every signature, a 500 answered with a
 * retry after backoff, and the delivery log.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governedApp, type GovernedApp } from '../testing/governance-harness.js';
import { signWebhook, verifyWebhookSignature } from './signing.js';
import { SqlWebhookStore } from './sql-webhook-store.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';

interface Received { readonly body: string; readonly signature: string | undefined; readonly event: string | undefined; readonly delivery: string | undefined; readonly at: number }

let g: GovernedApp;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Status codes the receiver answers with, in order; 200 once they run out. */
const script: number[] = [];

beforeAll(async () => {
  g = await governedApp({ authEnabled: false, webhooks: { retryBaseMs: 100, pollMs: 25 } });
  g.governance.dispatcher.start();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const h = (k: string) => { const v = req.headers[k]; return Array.isArray(v) ? v[0] : v; };
      received.push({ body, signature: h('cairn-signature'), event: h('cairn-event'), delivery: h('cairn-delivery'), at: Date.now() });
      res.statusCode = script.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((ok) => receiver.listen(0, '127.0.0.1', ok));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});
afterAll(async () => {
  await g?.cleanup();
  await new Promise((ok) => receiver?.close(ok));
});

const until = async (cond: () => boolean, ms = 10_000, refresh?: () => Promise<void>) => {
  const end = Date.now() + ms;
  for (;;) {
    await refresh?.();
    if (cond()) return;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('webhooks', () => {
  it('signs each delivery, and retries after a 500 with backoff', async () => {
    const added = await g.app.inject({ method: 'POST', url: '/api/v1/webhooks', payload: { url: receiverUrl, events: ['transition.approved', 'model_version.created'] } });
    expect(added.statusCode).toBe(200);
    const { webhook, secret } = added.json() as { webhook: { id: string }; secret: string };
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify((await g.app.inject({ method: 'GET', url: '/api/v1/webhooks' })).json())).not.toContain(secret);

    script.push(500);
    await g.governance.notifier.notify('transition.approved', { model: 'churn', version: 3, to: 'production' });
    await g.governance.notifier.notify('rollback', { model: 'churn' }); // not subscribed
    await until(() => received.length >= 2);
    const [first, second] = received;
    expect(first!.body).toBe(second!.body);
    expect(first!.delivery).toBe(second!.delivery);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(90);
    for (const r of received) {
      expect(r.event).toBe('transition.approved');
      expect(verifyWebhookSignature(secret, r.signature, r.body)).toBe(true);
      expect(verifyWebhookSignature('whsec_wrong-secret-0000', r.signature, r.body)).toBe(false);
      expect(verifyWebhookSignature(secret, r.signature, r.body.replace('production', 'staging'))).toBe(false);
    }
    expect(JSON.parse(second!.body)).toMatchObject({ id: second!.delivery, event: 'transition.approved', data: { model: 'churn', version: 3, to: 'production' } });

    type Delivery = { status: string; attempts: number; lastError: string | null };
    const deliveries = async () => (await g.app.inject({ method: 'GET', url: `/api/v1/webhooks/${webhook.id}/deliveries` })).json().items as Delivery[];
    // The receiver has answered; the dispatcher records the outcome just after.
    let seen: Delivery[] = [];
    await until(() => seen[0]?.status === 'delivered', 10_000, async () => { seen = await deliveries(); });
    expect(seen).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2, lastError: null })]);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(2);
  });

  it('rejects stale or malformed signatures', () => {
    const body = '{"x":1}';
    expect(verifyWebhookSignature('s', signWebhook('s', Date.now() - 10 * 60_000, body), body)).toBe(false);
    expect(verifyWebhookSignature('s', 'v1=abc', body)).toBe(false);
    expect(verifyWebhookSignature('s', undefined, body)).toBe(false);
  });

  it('validates subscriptions, removes them and audits both', async () => {
    expect((await g.app.inject({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'ftp://x', events: ['rollback'] } })).statusCode).toBe(400);
    expect((await g.app.inject({ method: 'POST', url: '/api/v1/webhooks', payload: { url: receiverUrl, events: ['nope'] } })).statusCode).toBe(400);
    const { webhook } = (await g.app.inject({ method: 'POST', url: '/api/v1/webhooks', payload: { url: receiverUrl, events: ['rollback'], secret: 'my-own-secret-of-16+' } })).json() as { webhook: { id: string } };
    expect((await g.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}` })).statusCode).toBe(200);
    expect((await g.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${webhook.id}` })).statusCode).toBe(404);
    const actions = (await g.governance.audit.list()).map((e) => `${e.action} ${e.targetId}`);
    expect(actions).toEqual(expect.arrayContaining([`webhook.create ${webhook.id}`, `webhook.delete ${webhook.id}`]));
    expect(JSON.stringify(await g.governance.audit.list())).not.toContain('my-own-secret-of-16+');
  });

  it('marks a delivery failed after the last attempt', async () => {
    const g2 = await governedApp({ authEnabled: false, webhooks: { retryBaseMs: 10, pollMs: 10, maxAttempts: 3 } });
    try {
      g2.governance.dispatcher.start();
      const { webhook } = await g2.governance.webhooks.as({ id: 't', name: 't' }).addWebhook({ url: 'http://127.0.0.1:9/unreachable', events: ['policy.changed'] });
      await g2.governance.notifier.notify('policy.changed', { policy: 'two approvals' });
      const list = () => g2.governance.webhooks.as({ id: 't', name: 't' }).listDeliveries(webhook.id);
      const end = Date.now() + 10_000;
      while ((await list())[0]?.status !== 'failed' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect((await list())[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.any(String) });
      expect(await g2.governance.dispatcher.prune()).toBe(0);
      const later = new WebhookDispatcher(new SqlWebhookStore(g2.db), { keepMs: -60_000 });
      expect(await later.prune()).toBe(1);
      expect(await list()).toEqual([]);
    } finally {
      await g2.cleanup();
    }
  });
});
