/**
 * Builds real registry stacks for tests: SQLite file, PostgreSQL database, or
 * a live HTTP server. Roles come from a fixed table (standing in for the auth
 * slice); over HTTP, a test-only hook turns `Bearer test:<user>` into the
 * request's actor, as the auth slice's hook will for real tokens.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { LocalBlobStore } from '../artifacts/index.js';
import type { AuditEntry, AuditEvent, AuditLog } from '../audit/audit-log.js';
import type { Actor, Role, RoleResolver } from '../core/actor.js';
import { HttpRegistryClient, HttpTrackingClient } from '../client/index.js';
import { RegistryService } from '../registry/registry-service.js';
import { SqlRegistryStore } from '../registry/sql-registry-store.js';
import { createApp } from '../server/app.js';
import type { Db } from '../storage/db.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { PostgresDb } from '../storage/postgres-db.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import type { WebhookEvent, WebhookNotifier } from '../webhooks/webhook-notifier.js';
import { createTestPostgres } from './postgres.js';
import type { RegistryHarness } from './registry-conformance.js';
import { tempDir } from './tracking-harness.js';

/** The test users and their roles on every model, at the start of each harness. */
export const TEST_ROLES: Readonly<Record<string, Role>> = {
  alice: 'editor', bob: 'approver', carol: 'approver', dave: 'approver', admin: 'admin', victor: 'viewer',
};

/** A role table tests may change (grant, revoke), standing in for the auth slice's. */
class TestRoles implements RoleResolver {
  private readonly roles = new Map<string, Role>(Object.entries(TEST_ROLES));
  async roleOf(a: Actor): Promise<Role | null> { return this.roles.get(a.id) ?? null; }
  set(user: string, role: Role | null): void {
    if (role) this.roles.set(user, role);
    else this.roles.delete(user);
  }
}
const actor = (id: string): Actor => ({ id, name: id });

/** An AuditLog that keeps events in memory, for asserting what was recorded. */
export class RecordingAudit implements AuditLog {
  readonly events: AuditEvent[] = [];
  async append(e: AuditEvent): Promise<AuditEntry> {
    this.events.push(e);
    return { ...e, seq: this.events.length, time: Date.now(), prevHash: '', hash: '' };
  }
}

/** A WebhookNotifier that keeps what it was asked to send, for asserting which events fire. */
export class RecordingNotifier implements WebhookNotifier {
  readonly sent: { readonly event: WebhookEvent; readonly payload: Record<string, unknown> }[] = [];
  async notify(event: WebhookEvent, payload: unknown): Promise<void> {
    this.sent.push({ event, payload: payload as Record<string, unknown> });
  }
}

interface Stack { registry: RegistryService; tracking: TrackingService; audit: RecordingAudit; roles: TestRoles; notifier: RecordingNotifier }

async function stackOver(db: Db, dir: string): Promise<Stack> {
  await migrate(db, MIGRATIONS);
  const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs: new LocalBlobStore(join(dir, 'artifacts')) });
  const audit = new RecordingAudit();
  const roles = new TestRoles();
  const notifier = new RecordingNotifier();
  const registry = new RegistryService({ store: new SqlRegistryStore(db), runs: tracking, audit, roles, notifier }, actor('alice'));
  return { registry, tracking, audit, roles, notifier };
}

const inProcess = (s: Stack, cleanup: () => Promise<void>): RegistryHarness => ({
  apiAs: (id) => s.registry.as(actor(id)), tracking: s.tracking, audit: s.audit, webhooks: s.notifier, setRole: (u, r) => s.roles.set(u, r), cleanup,
});

export async function sqliteRegistryHarness(): Promise<RegistryHarness> {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  return inProcess(await stackOver(db, dir), async () => { await db.close(); await rm(dir, { recursive: true, force: true }); });
}

export async function postgresRegistryHarness(): Promise<RegistryHarness> {
  const pg = await createTestPostgres();
  const dir = await tempDir();
  const db = new PostgresDb(pg.url);
  return inProcess(await stackOver(db, dir), async () => { await db.close(); await pg.drop(); await rm(dir, { recursive: true, force: true }); });
}

/** Stands in for the auth slice's hook: `Bearer test:<user>` acts as that user. */
function trustTestTokens(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const m = /^Bearer test:(\w+)$/.exec(req.headers.authorization ?? '');
    if (m?.[1]) req.cairnActor = actor(m[1]);
  });
}

/** The whole app over a fresh SQLite file, not listening: for `app.inject` tests and the HTTP harness. */
export async function registryApp(): Promise<{ app: FastifyInstance; audit: RecordingAudit; roles: TestRoles; notifier: RecordingNotifier; cleanup(): Promise<void> }> {
  const dir = await tempDir();
  const db = new SqliteDb(join(dir, 'cairn.db'));
  const s = await stackOver(db, dir);
  const app = createApp({ tracking: s.tracking, registry: s.registry, version: 'test' });
  trustTestTokens(app);
  return {
    app, audit: s.audit, roles: s.roles, notifier: s.notifier,
    cleanup: async () => { await app.close(); await db.close(); await rm(dir, { recursive: true, force: true }); },
  };
}

/** A real Fastify server on a loopback port over SQLite, and HTTP clients pointed at it. */
export async function httpRegistryHarness(): Promise<RegistryHarness> {
  const { app, audit, roles, notifier, cleanup } = await registryApp();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    apiAs: (id) => new HttpRegistryClient({ url, token: `test:${id}`, retries: 1 }),
    tracking: new HttpTrackingClient({ url, retries: 1 }),
    audit,
    webhooks: notifier,
    setRole: (u, r) => roles.set(u, r),
    cleanup,
  };
}
