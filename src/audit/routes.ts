/** /api/v1 audit trail: read entries and verify the chain (admin only, like all governance routes). */
import type { FastifyInstance } from 'fastify';
import { governanceEndpoints as G } from '../api/governance-endpoints.js';
import { route } from '../server/route.js';
import type { AuditFilter } from './audit-log.js';
import type { SqlAuditLog } from './sql-audit-log.js';

export function registerAuditRoutes(app: FastifyInstance, audit: SqlAuditLog): void {
  route(app, G.listAudit, async (req) => ({ items: await audit.list(req.query as { afterSeq?: number; limit?: number } & AuditFilter) }));
  route(app, G.verifyAudit, async () => audit.verify());
}
