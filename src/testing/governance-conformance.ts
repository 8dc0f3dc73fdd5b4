/**
 * One contract, every database: the audit log's hash chain (including
 * tampering done directly in SQL and concurrent appends from two
 * connections, as two server replicas would) and the user/token/role store.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../storage/db.js';
import { SqlAuditLog } from '../audit/sql-audit-log.js';
import { GENESIS_HASH } from '../audit/audit-chain.js';
import { AuthService } from '../auth/auth-service.js';
import { SqlAuthStore } from '../auth/sql-auth-store.js';
import { CairnError } from '../core/errors.js';

export interface GovernanceHarness {
  /** Two connections to one migrated database (the same one where a driver cannot wait on itself in one process). */
  readonly db: Db;
  readonly other: Db;
  cleanup(): Promise<void>;
}

const admin = { id: 'test', name: 'tester' };
const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

export function describeGovernanceConformance(name: string, factory: () => Promise<GovernanceHarness>): void {
  describe(`audit log conformance: ${name}`, () => {
    let h: GovernanceHarness;
    let log: SqlAuditLog;
    beforeAll(async () => { h = await factory(); log = new SqlAuditLog(h.db); });
    afterAll(async () => h?.cleanup());
    beforeEach(async () => {
      await h.db.run('DELETE FROM audit_log');
      await h.db.run('UPDATE audit_head SET seq = 0, prev_hash = ?, hash = ? WHERE id = 1', [GENESIS_HASH, GENESIS_HASH]);
    });

    const fill = async (n: number) => {
      for (let i = 1; i <= n; i++) {
        await log.append({ actor: 'ada', action: 'run.update', targetType: 'run', targetId: `r${i}`, before: { status: 'RUNNING' }, after: { status: 'FINISHED', n: i } });
      }
    };

    it('appends linked entries with increasing seq and verifies them', async () => {
      const a = await log.append({ actor: 'ada', action: 'experiment.create', targetType: 'experiment', targetId: '1', after: { name: 'x', z: 1, a: [1, { b: 2 }] } });
      const b = await log.append({ actor: 'bob', action: 'run.delete', targetType: 'run', targetId: 'r', reason: 'cleanup' });
      expect(a.seq).toBe(1);
      expect(b.seq).toBe(2);
      expect(b.prevHash).toBe(a.hash);
      expect(await log.list()).toEqual([a, b]);
      expect(await log.verify()).toEqual({ ok: true, count: 2, headSeq: 2, headHash: b.hash });
    });

    it('hashes in the database exactly what the verifier hashes, whatever the text holds', async () => {
      const awkward = ['é ü 漢字 🙂', 'quote " backslash \\ newline \n tab \t', '","seq":1,"x":"', ''];
      for (const [i, t] of awkward.entries()) {
        await log.append({ actor: t || 'ada', action: `run.${t}`, targetType: 'run', targetId: t, before: { t }, after: { [t]: [t, i, null] }, ...(i % 2 ? { reason: t } : {}) });
      }
      const entries = await log.list();
      expect(entries.map((e) => e.targetId)).toEqual(awkward);
      expect(entries[1]?.after).toEqual({ [awkward[1]!]: [awkward[1], 1, null] });
      expect(await log.verify()).toMatchObject({ ok: true, count: awkward.length });
    });

    it('lists one target\'s, actor\'s or action\'s entries, oldest first, in pages', async () => {
      await log.append({ actor: 'ada', action: 'run.create', targetType: 'run', targetId: 'r1' });
      await log.append({ actor: 'bob', action: 'run.update', targetType: 'run', targetId: 'r2' });
      await log.append({ actor: 'ada', action: 'run.update', targetType: 'run', targetId: 'r1' });
      await log.append({ actor: 'ada', action: 'trial.tell', targetType: 'trial', targetId: 'r1' });
      const pick = (es: readonly { seq: number }[]) => es.map((e) => e.seq);
      expect(pick(await log.list({ targetType: 'run', targetId: 'r1' }))).toEqual([1, 3]);
      expect(pick(await log.list({ targetId: 'r1' }))).toEqual([1, 3, 4]);
      expect(pick(await log.list({ actor: 'ada', action: 'run.update' }))).toEqual([3]);
      expect(pick(await log.list({ targetType: 'run', afterSeq: 1, limit: 1 }))).toEqual([2]);
      expect(await log.list({ actor: "ada' OR '1'='1" })).toEqual([]);
      const all = [];
      for await (const e of log.entries(1, { actor: 'ada' })) all.push(e.seq);
      expect(all).toEqual([1, 3, 4]);
    });

    it('detects a row edited directly in the database', async () => {
      await fill(5);
      await h.db.run('UPDATE audit_log SET after_json = ? WHERE seq = 3', ['{"status":"KILLED"}']);
      expect(await log.verify()).toMatchObject({ ok: false, badSeq: 3, count: 2, problem: expect.stringMatching(/entry 3 was modified/) });
    });

    it('detects an edit whose hash was recomputed, at the next entry', async () => {
      await fill(4);
      await h.db.run("UPDATE audit_log SET actor = 'mallory', hash = ? WHERE seq = 2", ['f'.repeat(64)]);
      expect(await log.verify()).toMatchObject({ ok: false, badSeq: 2 });
    });

    it('detects a deleted row', async () => {
      await fill(5);
      await h.db.run('DELETE FROM audit_log WHERE seq = 2');
      expect(await log.verify()).toMatchObject({ ok: false, badSeq: 2, problem: expect.stringMatching(/entry 2 is missing/) });
    });

    it('detects the newest entries deleted, against the head row, unless the head row was moved back too', async () => {
      await fill(5);
      await h.db.run('DELETE FROM audit_log WHERE seq >= 4');
      expect(await log.verify()).toMatchObject({ ok: false, badSeq: 4, count: 3, problem: expect.stringMatching(/entries 4 to 5 are missing/) });
      const last = (await log.list()).at(-1)!;
      await h.db.run('UPDATE audit_head SET seq = ?, prev_hash = ?, hash = ? WHERE id = 1', [last.seq, last.prevHash, last.hash]);
      expect(await log.verify()).toMatchObject({ ok: true, count: 3, headSeq: 3 });
    });

    it('refuses to append, naming the fix, when the head row is behind the log', async () => {
      await fill(3);
      await h.db.run('UPDATE audit_head SET seq = 1 WHERE id = 1');
      await expect(log.append({ actor: 'ada', action: 'x', targetType: 't', targetId: '1' })).rejects.toThrow(/audit head row \(audit_head\) is behind the audit log.*cairn audit verify/);
      expect((await log.list()).map((e) => e.seq)).toEqual([1, 2, 3]);
    });

    it('detects reordered rows', async () => {
      await fill(5);
      await h.db.run('UPDATE audit_log SET seq = -1 WHERE seq = 2');
      await h.db.run('UPDATE audit_log SET seq = 2 WHERE seq = 3');
      await h.db.run('UPDATE audit_log SET seq = 3 WHERE seq = -1');
      expect(await log.verify()).toMatchObject({ ok: false, badSeq: 2 });
    });

    it('keeps one valid chain when two connections append at once', async () => {
      const otherLog = new SqlAuditLog(h.other);
      const writes = [];
      for (let i = 0; i < 40; i++) {
        const l = i % 2 === 0 ? log : otherLog;
        writes.push(l.append({ actor: `w${i % 2}`, action: 'run.log_batch', targetType: 'run', targetId: String(i) }));
      }
      const entries = await Promise.all(writes);
      expect(new Set(entries.map((e) => e.seq)).size).toBe(40);
      expect(await log.verify()).toMatchObject({ ok: true, count: 40, headSeq: 40 });
    });
  });

  describe(`auth store conformance: ${name}`, () => {
    let h: GovernanceHarness;
    let auth: AuthService;
    let log: SqlAuditLog;
    beforeAll(async () => {
      h = await factory();
      log = new SqlAuditLog(h.db);
      auth = new AuthService({ store: new SqlAuthStore(h.db), audit: log });
    });
    afterAll(async () => h?.cleanup());

    it('creates a user with a token shown once and stored only as a hash', async () => {
      const { user, token } = await auth.as(admin).createUser({ name: 'alice', role: 'editor' });
      expect(token).toMatch(/^cairn_[A-Za-z0-9_-]{43}$/);
      expect(user.grants).toEqual([{ scope: { kind: 'global' }, role: 'editor' }]);
      const stored = await h.db.all<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
      expect(stored.some((r) => r.token_hash.includes(token) || token.includes(r.token_hash))).toBe(false);
      expect(await auth.authenticate(`Bearer ${token}`)).toEqual({ id: user.id, name: 'alice' });
      expect(await auth.authenticate(basic('alice', token))).toEqual({ id: user.id, name: 'alice' });
      expect(await auth.authenticate(basic('bob', token))).toBeNull();
      expect(await auth.authenticate('Bearer cairn_nope')).toBeNull();
      expect(await auth.authenticate(undefined)).toBeNull();
      await expect(auth.as(admin).createUser({ name: 'alice' })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    });

    it('resolves roles per experiment and model over the global default', async () => {
      const { user } = await auth.as(admin).createUser({ name: 'carol', role: 'viewer' });
      await auth.as(admin).setRole('carol', { kind: 'experiment', id: '7' }, 'editor');
      await auth.as(admin).setRole('carol', { kind: 'model', name: 'churn' }, 'approver');
      const carol = { id: user.id, name: 'carol' };
      expect(await auth.roleOf(carol, { kind: 'global' })).toBe('viewer');
      expect(await auth.roleOf(carol, { kind: 'experiment', id: '7' })).toBe('editor');
      expect(await auth.roleOf(carol, { kind: 'experiment', id: '8' })).toBe('viewer');
      expect(await auth.roleOf(carol, { kind: 'model', name: 'churn' })).toBe('approver');
      await auth.as(admin).setRole('carol', { kind: 'experiment', id: '7' }, null);
      expect(await auth.roleOf(carol, { kind: 'experiment', id: '7' })).toBe('viewer');
      expect(await auth.roleOf({ id: 'nobody', name: 'x' }, { kind: 'global' })).toBeNull();
      await auth.as(admin).setUserDisabled('carol', true);
      expect(await auth.roleOf(carol, { kind: 'global' })).toBeNull();
    });

    it('revokes and expires tokens, and checks passwords for Basic auth', async () => {
      await auth.as(admin).createUser({ name: 'dave', role: 'viewer', password: 'correct horse battery' });
      const t = await auth.as(admin).createToken('dave', { name: 'ci' });
      expect((await auth.authenticate(`Bearer ${t.secret}`))?.name).toBe('dave');
      await auth.as(admin).revokeToken(t.token.id);
      expect(await auth.authenticate(`Bearer ${t.secret}`)).toBeNull();
      const old = await auth.as(admin).createToken('dave', { name: 'old', expiresAt: Date.now() - 1 });
      expect(await auth.authenticate(`Bearer ${old.secret}`)).toBeNull();
      expect((await auth.authenticate(basic('dave', 'correct horse battery')))?.name).toBe('dave');
      expect(await auth.authenticate(basic('dave', 'wrong horse battery'))).toBeNull();
      const listed = await auth.as(admin).listTokens('dave');
      expect(listed.map((x) => x.name)).toEqual(['default', 'ci', 'old']);
      expect(listed.map((x) => x.lastUsedAt !== null)).toEqual([false, true, false]);
      expect(JSON.stringify(listed)).not.toContain(t.secret);
    });

    it('audits user, role and token changes without secrets', async () => {
      const { token } = await auth.as(admin).createUser({ name: 'erin', password: 'a long enough password' });
      await auth.as(admin).setRole('erin', { kind: 'global' }, 'approver');
      const entries = await log.list();
      const actions = entries.map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['user.create', 'token.create', 'role.set', 'token.revoke', 'user.disable']));
      const text = JSON.stringify(entries);
      expect(text).not.toContain(token);
      expect(text).not.toContain('a long enough password');
      expect(entries.find((e) => e.action === 'role.set' && e.targetId === 'erin')).toMatchObject({
        actor: 'tester', before: { scope: 'global', role: null }, after: { scope: 'global', role: 'approver' },
      });
      expect((await log.verify()).ok).toBe(true);
    });

    it('bootstraps an admin from a configured token, idempotently', async () => {
      const secret = 'cairn_bootstrap-secret-for-tests-0123456789';
      await auth.bootstrapAdmin(secret, { id: 'system', name: 'system' });
      await auth.bootstrapAdmin(secret, { id: 'system', name: 'system' });
      const actor = await auth.authenticate(`Bearer ${secret}`);
      expect(actor?.name).toBe('admin');
      expect(await auth.roleOf(actor!, { kind: 'experiment', id: '1' })).toBe('admin');
      expect((await auth.as(admin).listTokens('admin')).filter((t) => t.name === 'bootstrap')).toHaveLength(1);
    });

    it('rejects bad names and short passwords with InvalidArgument', async () => {
      for (const p of [auth.as(admin).createUser({ name: ' bad name' }), auth.as(admin).createUser({ name: 'frank', password: 'short' })]) {
        await expect(p).rejects.toBeInstanceOf(CairnError);
        await expect(p).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      }
    });
  });
}
