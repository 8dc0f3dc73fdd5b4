/** /api/v1 webhook subscriptions. */
import type { FastifyInstance } from 'fastify';
import { governanceEndpoints as G } from '../api/governance-endpoints.js';
import { route } from '../server/route.js';
import { actorOf } from '../server/request-actor.js';
import type { AddWebhookInput, WebhookService } from './webhook-service.js';

type Id = { id: string };

export function registerWebhookRoutes(app: FastifyInstance, webhooks: WebhookService): void {
  route(app, G.addWebhook, async (req) => webhooks.as(actorOf(req)).addWebhook(req.body as AddWebhookInput));
  route(app, G.listWebhooks, async (req) => ({ items: await webhooks.as(actorOf(req)).listWebhooks() }));
  route(app, G.removeWebhook, async (req) => (await webhooks.as(actorOf(req)).removeWebhook((req.params as Id).id), {}));
  route(app, G.listDeliveries, async (req) => ({ items: await webhooks.as(actorOf(req)).listDeliveries((req.params as Id).id) }));
}
