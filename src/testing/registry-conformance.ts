/**
 * One contract, every implementation: the same registry tests run against the
 * service over SQLite, over PostgreSQL, and against the HTTP client talking to
 * a real server. Users: alice (editor, registers versions), bob and carol
 * (approvers), admin, victor (viewer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../audit/audit-log.js';
import type { Role } from '../core/actor.js';
import { expectError } from './expect-error.js';
import type { RegistryApi } from '../registry/registry-api.js';
import type { TrackingApi } from '../tracking/tracking-api.js';

export interface RegistryHarness {
  /** The registry acting as one of the test users. */
  apiAs(user: string): RegistryApi;
  readonly tracking: TrackingApi;
  readonly audit: { readonly events: readonly AuditEvent[] };
  /** What the registry asked its WebhookNotifier to send (in process on the server side, also over HTTP). */
  readonly webhooks: { readonly sent: readonly { readonly event: string; readonly payload: Record<string, unknown> }[] };
  /** Grants (or with null revokes) a user's role on every model, as the auth slice would. */
  setRole(user: string, role: Role | null): void;
  cleanup(): Promise<void>;
}

let counter = 0;
const unique = (p: string) => `${p}-${process.pid}-${Date.now()}-${++counter}`;

const GATED_POLICY = JSON.stringify({
  on_promote: 'archive',
  transitions: [{
    to: 'production',
    gates: [
      'metrics.auc >= 0.85',
      'candidate.auc >= production.auc - 0.005',
      { evidence: ['eval_dataset', 'reproduced', 'model_card', 'signature'] },
      { approvals: 1 },
    ],
  }],
}, null, 2);

const SIGNATURE = { inputs: [{ name: 'x', type: 'float32', shape: [-1, 4] }], outputs: [{ name: 'p', type: 'float32', shape: [-1] }] };

export function describeRegistryConformance(name: string, factory: () => Promise<RegistryHarness>): void {
  describe(`registry conformance: ${name}`, () => {
    let h: RegistryHarness;
    let alice: RegistryApi;
    let admin: RegistryApi;
    beforeAll(async () => {
      h = await factory();
      alice = h.apiAs('alice');
      admin = h.apiAs('admin');
    });
    afterAll(async () => h?.cleanup());

    /** A finished run with metrics, an evaluation input and optionally a repro verdict. */
    async function run(auc: number, opts: { verdict?: string; evalDigest?: string } = {}): Promise<string> {
      const r = await h.tracking.createRun({ experimentName: 'registry-conformance', params: { seed: '7', lr: '0.1' }, tags: { 'mlflow.source.git.commit': 'abc123' } });
      await h.tracking.logBatch(r.id, { metrics: [{ key: 'auc', value: auc, step: 1 }] });
      await h.tracking.logInputs(r.id, [{ name: 'holdout', digest: opts.evalDigest ?? 'd1', sourceType: 'local', source: 'data/holdout.csv', context: 'evaluation', schema: null, profile: null, tags: {} }]);
      if (opts.verdict) await h.tracking.setTag(r.id, 'cairn.repro.verdict', opts.verdict);
      return r.id;
    }

    it('creates, renames, describes, tags, searches and deletes registered models', async () => {
      const n = unique('model');
      const m = await alice.createModel({ name: n, description: 'd', tags: { team: 'ml' } });
      expect(m).toMatchObject({ name: n, description: 'd', tags: { team: 'ml' }, aliases: {}, policyVersion: null });
      await expectError(alice.createModel({ name: n }), 'ALREADY_EXISTS', /already exists/);
      await expectError(alice.createModel({ name: 'a/b' }), 'INVALID_ARGUMENT');
      await expectError(alice.getModel(unique('missing')), 'NOT_FOUND', /does not exist/);
      const renamed = await alice.updateModel(n, { newName: `${n}-x`, description: 'new' });
      expect(renamed).toMatchObject({ name: `${n}-x`, description: 'new' });
      await expectError(alice.getModel(n), 'NOT_FOUND');
      await alice.setModelTag(`${n}-x`, 'owner', 'alice');
      await alice.deleteModelTag(`${n}-x`, 'team');
      expect((await alice.getModel(`${n}-x`)).tags).toEqual({ owner: 'alice' });
      await expectError(h.apiAs('victor').setModelTag(`${n}-x`, 'k', 'v'), 'PERMISSION_DENIED', /editor role/);
      await alice.deleteModel(`${n}-x`);
      await expectError(alice.getModel(`${n}-x`), 'NOT_FOUND');
    });

    it('searches by name pattern with order and page tokens', async () => {
      const prefix = unique('search');
      for (const s of ['b', 'a', 'c']) await alice.createModel({ name: `${prefix}-${s}` });
      const seen: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await alice.searchModels({ nameLike: `${prefix}%`, orderBy: ['name DESC'], maxResults: 2, pageToken });
        seen.push(...page.items.map((m) => m.name));
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken);
      expect(seen).toEqual(['c', 'b', 'a'].map((s) => `${prefix}-${s}`));
      expect((await alice.searchModels({ nameLike: `${prefix.toUpperCase()}%`, caseSensitive: true })).items).toEqual([]);
      expect((await alice.searchModels({ nameLike: `${prefix.toUpperCase()}%` })).items).toHaveLength(3);
      await expectError(alice.searchModels({ orderBy: ['colour'] }), 'INVALID_ARGUMENT', /order_by/);
      await alice.setModelTag(`${prefix}-a`, 'team', 'ml');
      await alice.setModelTag(`${prefix}-b`, 'team', 'data');
      const tagged = async (tags: { key: string; value: string; negated?: boolean }[]) =>
        (await alice.searchModels({ nameLike: `${prefix}%`, tags, orderBy: ['name ASC'] })).items.map((m) => m.name);
      expect(await tagged([{ key: 'team', value: 'ml' }])).toEqual([`${prefix}-a`]);
      expect(await tagged([{ key: 'team', value: 'ml', negated: true }])).toEqual([`${prefix}-b`, `${prefix}-c`]);
      expect(await tagged([{ key: 'team', value: 'ml' }, { key: 'team', value: 'data' }])).toEqual([]);
      // A user without a role on a model neither sees it listed nor reads it.
      expect((await h.apiAs('nobody').searchModels({ nameLike: `${prefix}%`, maxResults: 1 })).items).toEqual([]);
      await expectError(h.apiAs('nobody').getModel(`${prefix}-a`), 'PERMISSION_DENIED', /viewer role/);
    });

    it('registers versions from runs with a metric snapshot, signature, tags and aliases', async () => {
      const n = unique('versions');
      await alice.createModel({ name: n });
      const runId = await run(0.9);
      const v1 = await alice.createVersion(n, { runId, format: 'onnx', signature: SIGNATURE, tags: { k: 'v' }, description: 'first' });
      expect(v1).toMatchObject({ name: n, version: 1, stage: 'development', runId, source: `runs:/${runId}/model`, metrics: { auc: 0.9 }, author: 'alice', artifact: { format: 'onnx', flavor: null } });
      expect(v1.signature?.inputs[0]).toEqual({ name: 'x', type: 'float32', shape: [null, 4] });
      const v2 = await alice.createVersion(n, { source: 's3://bucket/model', format: 'other', flavor: 'sklearn' });
      expect(v2).toMatchObject({ version: 2, runId: null, metrics: {}, artifact: { format: 'other', flavor: 'sklearn' } });
      await expectError(alice.createVersion(n, { source: 'x', format: 'other' }), 'INVALID_ARGUMENT', /flavor/);
      await expectError(alice.createVersion(n, {}), 'INVALID_ARGUMENT', /source/);
      await expectError(alice.getVersion(n, 99), 'NOT_FOUND', /no version 99/);
      expect((await alice.updateVersion(n, 2, { description: 'second' })).description).toBe('second');
      await alice.setVersionTag(n, 1, 'k2', 'v2');
      await alice.deleteVersionTag(n, 1, 'k');
      expect((await alice.getVersion(n, 1)).tags).toEqual({ k2: 'v2' });
      expect((await alice.searchVersions({ runId })).items.map((v) => v.version)).toEqual([1]);
      expect((await alice.searchVersions({ name: n })).items.map((v) => v.version)).toEqual([2, 1]);
      expect(await alice.downloadUri(n, 2)).toBe('s3://bucket/model');
      expect(await alice.downloadUri(n, 1)).toBe(`${(await h.tracking.getRun(runId)).artifactUri}/model`);

      await alice.setAlias(n, 'champion', 1);
      await alice.setAlias(n, 'challenger', 2);
      expect((await alice.getModel(n)).aliases).toEqual({ champion: 1, challenger: 2 });
      expect((await alice.getVersionByAlias(n, 'champion')).version).toBe(1);
      expect((await alice.getVersion(n, 2)).aliases).toEqual(['challenger']);
      await alice.deleteAlias(n, 'challenger');
      await expectError(alice.getVersionByAlias(n, 'challenger'), 'NOT_FOUND');
      await expectError(alice.setAlias(n, 'v3', 1), 'INVALID_ARGUMENT', /reserved/);
      await alice.deleteVersion(n, 1);
      expect((await alice.getModel(n)).aliases).toEqual({});
      expect((await alice.createVersion(n, { source: 'x' })).version).toBe(3);
    });

    it('keeps only one version in production; promoting archives the old one; latest per stage', async () => {
      const n = unique('prod');
      await alice.createModel({ name: n });
      for (let i = 0; i < 3; i++) await alice.createVersion(n, { source: `s3://m/${i}` });
      await alice.transition(n, 1, { to: 'production' });
      await alice.transition(n, 2, { to: 'staging' });
      const r = await alice.transition(n, 2, { to: 'production' });
      expect(r.replaced).toMatchObject({ version: 1, stage: 'archived' });
      expect(r.version.stage).toBe('production');
      expect((await alice.searchVersions({ name: n })).items.filter((v) => v.stage === 'production').map((v) => v.version)).toEqual([2]);
      expect((await alice.latestVersions(n)).map((v) => [v.stage, v.version])).toEqual([['development', 3], ['production', 2], ['archived', 1]]);
      expect((await alice.latestVersions(n, ['production'])).map((v) => v.version)).toEqual([2]);
      await expectError(alice.transition(n, 2, { to: 'production' }), 'INVALID_STATE', /already in production/);
      // MLflow's archive_existing_versions: the other staging versions are archived.
      await alice.transition(n, 3, { to: 'staging' });
      await alice.createVersion(n, { source: 's3://m/4' });
      await alice.transition(n, 4, { to: 'staging', archiveExisting: true });
      expect((await alice.getVersion(n, 3)).stage).toBe('archived');
      const history = await alice.history(n, 1);
      expect(history.map((c) => [c.from, c.to, c.kind])).toEqual([['development', 'production', 'transition'], ['production', 'archived', 'demotion']]);
    });

    it('keeps one production version and gapless version numbers under concurrent calls', async () => {
      const n = unique('race');
      await alice.createModel({ name: n });
      const created = await Promise.all(Array.from({ length: 8 }, (_, i) => alice.createVersion(n, { source: `s3://m/${i}` })));
      expect(created.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const outcomes = await Promise.allSettled(created.map((v) => alice.transition(n, v.version, { to: 'production' })));
      for (const o of outcomes) {
        if (o.status === 'rejected') expect((o.reason as { code: string }).code).toBe('INVALID_STATE');
      }
      expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
      const inProduction = (await alice.searchVersions({ name: n })).items.filter((v) => v.stage === 'production');
      expect(inProduction).toHaveLength(1);
    });

    it('sends a webhook for version created, transition requested, approved, rejected, completed, rollback and policy change', async () => {
      const n = unique('hooks');
      const sent = () => h.webhooks.sent.filter((x) => String(x.payload.target ?? '').startsWith(n)).map((x) => `${x.event} ${String(x.payload.target)} ${String(x.payload.actor)}`);
      await alice.createModel({ name: n });
      await alice.createVersion(n, { source: 's3://m/1' });
      await alice.createVersion(n, { source: 's3://m/2' });
      await admin.setPolicy(n, JSON.stringify({ transitions: [{ to: 'production', gates: [{ approvals: 1 }] }] }));
      await expectError(alice.transition(n, 1, { to: 'production' }), 'INVALID_STATE', /failing gates/);
      await h.apiAs('carol').decide(n, 1, { to: 'production', decision: 'rejected', comment: 'not yet' });
      await h.apiAs('bob').decide(n, 2, { to: 'production', decision: 'approved' });
      await h.apiAs('bob').decide(n, 1, { to: 'production', decision: 'approved' });
      await alice.transition(n, 1, { to: 'production' }).catch(() => undefined); // carol's rejection still stands
      await admin.setPolicy(n, JSON.stringify({ transitions: [] }));
      await alice.transition(n, 1, { to: 'production' });
      await alice.transition(n, 2, { to: 'production' });
      await h.apiAs('bob').rollback(n, 'v2 drifts');
      expect(sent()).toEqual(expect.arrayContaining([
        `model_version.created ${n}/1 alice`,
        `model_version.created ${n}/2 alice`,
        `policy.changed ${n} admin`,
        `transition.requested ${n}/1 alice`,
        `transition.rejected ${n}/1 carol`,
        `transition.approved ${n}/2 bob`,
        `transition.completed ${n}/1 alice`,
        `transition.completed ${n}/2 alice`,
        `rollback ${n} bob`,
      ]));
      const rollback = h.webhooks.sent.find((x) => x.event === 'rollback' && x.payload.target === n);
      expect(rollback?.payload).toMatchObject({ event: 'rollback', reason: 'v2 drifts', before: { production: 2 }, after: { production: 1 } });
    });

    it('rolls back to the previous production version in one call, in under a second', async () => {
      const n = unique('rollback');
      await alice.createModel({ name: n });
      await alice.createVersion(n, { source: 's3://m/1' });
      await alice.createVersion(n, { source: 's3://m/2' });
      await expectError(h.apiAs('bob').rollback(n), 'INVALID_STATE', /no earlier production version/);
      await alice.transition(n, 1, { to: 'production' });
      await alice.transition(n, 2, { to: 'production' });
      await expectError(alice.rollback(n), 'PERMISSION_DENIED', /approver role/);
      const t0 = Date.now();
      const r = await h.apiAs('bob').rollback(n, 'v2 drifts');
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(r.restored).toMatchObject({ version: 1, stage: 'production' });
      expect(r.replaced).toMatchObject({ version: 2, stage: 'archived' });
      expect((await alice.latestVersions(n, ['production'])).map((v) => v.version)).toEqual([1]);
      expect((await alice.history(n)).slice(-2).map((c) => [c.version, c.kind, c.reason])).toEqual([[2, 'rollback', 'v2 drifts'], [1, 'rollback', 'v2 drifts']]);
      expect(h.audit.events.some((e) => e.action === 'registered_model.rollback' && e.targetId === n && e.reason === 'v2 drifts')).toBe(true);
    });

    it('stores policy versions and rejects bad policies naming the line', async () => {
      const n = unique('policy');
      await alice.createModel({ name: n });
      await expectError(admin.getPolicy(n), 'NOT_FOUND', /default applies/);
      await expectError(alice.setPolicy(n, GATED_POLICY), 'PERMISSION_DENIED', /admin role/);
      const err = await expectError(admin.setPolicy(n, '{\n  "transitions": [\n    {"to": "production", "gates": ["metrics.auc >== 1"]}\n  ]\n}'), 'INVALID_ARGUMENT', /line 3/);
      expect(err.details).toMatchObject({ line: 3 });
      const p1 = await admin.setPolicy(n, GATED_POLICY);
      expect((await admin.setPolicy(n, GATED_POLICY)).version).toBe(1); // the same text again stores nothing
      const p2 = await admin.setPolicy(n, '{"on_promote": "demote"}');
      expect([p1.version, p2.version]).toEqual([1, 2]);
      expect((await alice.getModel(n)).policyVersion).toBe(2);
      expect((await alice.getPolicy(n)).text).toBe('{"on_promote": "demote"}');
      expect((await alice.getPolicy(n, 1)).text).toBe(GATED_POLICY);
      expect((await alice.listPolicies(n)).map((p) => [p.version, p.createdBy])).toEqual([[1, 'admin'], [2, 'admin']]);
    });

    it('gates a promotion: each failing gate says why; the author cannot approve; approvals and evidence open it', async () => {
      const n = unique('gated');
      await alice.createModel({ name: n });
      await admin.setPolicy(n, GATED_POLICY);
      const good = await alice.createVersion(n, { runId: await run(0.9, { verdict: 'REPRODUCED' }), signature: SIGNATURE });
      let report = await alice.checkGates(n, good.version, 'production');
      expect(report.passed).toBe(false);
      expect(report.gates.map((g) => [g.gate, g.passed])).toEqual([
        ['metrics.auc >= 0.85', true],
        ['candidate.auc >= production.auc - 0.005', true],
        ['evidence: eval_dataset', true],
        ['evidence: reproduced', true],
        ['evidence: model_card', false],
        ['evidence: signature', true],
        ['approvals: 1', false],
      ]);
      const blocked = await expectError(alice.transition(n, good.version, { to: 'production' }), 'INVALID_STATE', /evidence: model_card/);
      expect((blocked.details?.report as { passed: boolean }).passed).toBe(false);

      await expectError(alice.decide(n, good.version, { to: 'production', decision: 'approved' }), 'PERMISSION_DENIED', /approver role/);
      await expectError(h.apiAs('victor').decide(n, good.version, { to: 'production', decision: 'approved' }), 'PERMISSION_DENIED');
      // An approver who registered the version cannot approve it either.
      const bobs = await h.apiAs('bob').createVersion(n, { source: 's3://bob' });
      await expectError(h.apiAs('bob').decide(n, bobs.version, { to: 'production', decision: 'approved' }), 'PERMISSION_DENIED', /cannot approve/);

      await h.apiAs('bob').decide(n, good.version, { to: 'production', decision: 'approved', comment: 'looks good' });
      const card = await alice.setCard(n, good.version, { generate: true, intendedUse: 'churn scoring', limitations: 'EU only' });
      expect(card.markdown).toMatch(/## Intended use\n\nchurn scoring/);
      expect(card.markdown).toMatch(/\| auc \| 0\.9 \|/);
      report = await alice.checkGates(n, good.version, 'production');
      expect(report.passed).toBe(true);
      const moved = await alice.transition(n, good.version, { to: 'production' });
      expect(moved.version.stage).toBe('production');

      // A weaker candidate fails the threshold and the comparison, on the same dataset version.
      const weak = await alice.createVersion(n, { runId: await run(0.8, { verdict: 'DIVERGED' }), signature: SIGNATURE });
      report = await alice.checkGates(n, weak.version, 'production');
      const byGate = Object.fromEntries(report.gates.map((g) => [g.gate, g]));
      expect(byGate['metrics.auc >= 0.85']?.passed).toBe(false);
      expect(byGate['candidate.auc >= production.auc - 0.005']).toMatchObject({ passed: false, reason: expect.stringMatching(/production v1/) });
      expect(byGate['evidence: reproduced']).toMatchObject({ passed: false, reason: expect.stringMatching(/DIVERGED/) });
      // A rejection blocks the approvals gate.
      await h.apiAs('carol').decide(n, weak.version, { to: 'production', decision: 'rejected', comment: 'worse' });
      expect((await alice.listDecisions(n, weak.version)).map((d) => [d.actor, d.decision])).toEqual([['carol', 'rejected']]);
    });

    it('counts an approval only while its approver keeps the role', async () => {
      const n = unique('revoked');
      await alice.createModel({ name: n });
      await admin.setPolicy(n, JSON.stringify({ transitions: [{ to: 'production', gates: [{ approvals: 1 }] }] }));
      await alice.createVersion(n, { source: 's3://m' });
      await h.apiAs('dave').decide(n, 1, { to: 'production', decision: 'approved' });
      expect((await alice.checkGates(n, 1, 'production')).passed).toBe(true);
      h.setRole('dave', 'viewer');
      try {
        expect((await alice.checkGates(n, 1, 'production')).gates[0]).toMatchObject({ passed: false, reason: expect.stringMatching(/^0 of 1 approvals/) });
        await expectError(h.apiAs('dave').decide(n, 1, { to: 'production', decision: 'approved' }), 'PERMISSION_DENIED');
      } finally {
        h.setRole('dave', 'approver');
      }
    });

    it("refuses moves from stages the policy's rules do not list", async () => {
      const n = unique('from');
      await alice.createModel({ name: n });
      await admin.setPolicy(n, JSON.stringify({ transitions: [{ to: 'production', from: ['staging'], gates: ['metrics.auc >= 0.5'] }] }));
      await alice.createVersion(n, { source: 's3://m' });
      await expectError(alice.transition(n, 1, { to: 'production' }), 'INVALID_STATE', /only from staging/);
      await alice.transition(n, 1, { to: 'staging' });
      expect((await alice.checkGates(n, 1, 'production')).gates.map((g) => [g.gate, g.passed])).toEqual([['metrics.auc >= 0.5', false]]);
    });

    it('lets only an admin override failing gates, with a reason, and records it', async () => {
      const n = unique('override');
      await alice.createModel({ name: n });
      await admin.setPolicy(n, JSON.stringify({ transitions: [{ to: 'production', gates: [{ evidence: 'data_validation' }] }] }));
      const v = await alice.createVersion(n, { source: 's3://m' });
      const report = await alice.checkGates(n, v.version, 'production');
      expect(report.gates[0]).toMatchObject({ passed: false, reason: expect.stringMatching(/data validation is not available/) });
      await expectError(alice.transition(n, v.version, { to: 'production', override: true, reason: 'urgent' }), 'PERMISSION_DENIED', /admin role/);
      await expectError(admin.transition(n, v.version, { to: 'production', override: true }), 'INVALID_ARGUMENT', /needs a reason/);
      const r = await admin.transition(n, v.version, { to: 'production', override: true, reason: 'hotfix for incident 42' });
      expect(r.version.stage).toBe('production');
      const last = (await alice.history(n, v.version)).at(-1);
      expect(last).toMatchObject({ to: 'production', override: true, reason: 'hotfix for incident 42', actor: 'admin' });
      const event = h.audit.events.find((e) => e.action === 'model_version.transition.override' && e.targetId === `${n}/${v.version}`);
      expect(event).toMatchObject({ actor: 'admin', reason: 'hotfix for incident 42' });
    });

    it('prints lineage from code to stage history', async () => {
      const n = unique('lineage');
      await alice.createModel({ name: n });
      const runId = await run(0.91);
      await alice.createVersion(n, { runId });
      await alice.transition(n, 1, { to: 'staging', reason: 'try it' });
      const l = await alice.lineage(n, 1);
      expect(l.code.commit).toBe('abc123');
      expect(l.data).toEqual([{ name: 'holdout', digest: 'd1', source: 'data/holdout.csv', context: 'evaluation', flag: null }]);
      expect(l.run).toMatchObject({ id: runId, seed: '7', params: { seed: '7', lr: '0.1' } });
      expect(l.metrics).toEqual({ auc: 0.91 });
      expect(l.history.map((c) => [c.from, c.to, c.reason])).toEqual([['development', 'staging', 'try it']]);
      await expectError(alice.getCard(n, 1), 'NOT_FOUND', /no model card/);
      await alice.setCard(n, 1, { markdown: '# edited' });
      expect((await alice.getCard(n, 1)).markdown).toBe('# edited');
    });

    it('audits every mutation with the actor', async () => {
      const n = unique('audit');
      await alice.createModel({ name: n });
      await alice.setModelTag(n, 'a', 'b');
      await alice.createVersion(n, { source: 's3://m' });
      const actions = h.audit.events.filter((e) => e.targetId === n || e.targetId.startsWith(`${n}/`)).map((e) => [e.actor, e.action]);
      expect(actions).toEqual([['alice', 'registered_model.create'], ['alice', 'registered_model.tag.set'], ['alice', 'model_version.create']]);
    });
  });
}
