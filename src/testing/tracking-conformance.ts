/**
 * One contract, every implementation: the same tests run against the
 * TrackingService over SQLite, over PostgreSQL, and against the HTTP client
 * talking to a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { expectError } from './expect-error.js';

export interface TrackingHarness {
  readonly api: TrackingApi;
  cleanup(): Promise<void>;
}

async function readAll(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

let counter = 0;
const unique = (p: string) => `${p}-${process.pid}-${Date.now()}-${++counter}`;

export function describeTrackingConformance(name: string, factory: () => Promise<TrackingHarness>): void {
  describe(`tracking conformance: ${name}`, () => {
    let h: TrackingHarness;
    let api: TrackingApi;
    beforeAll(async () => {
      h = await factory();
      api = h.api;
    });
    afterAll(async () => h?.cleanup());

    it('creates, gets, renames, deletes and restores experiments', async () => {
      const n = unique('exp');
      const e = await api.createExperiment({ name: n, description: 'd', tags: { team: 'nlp' } });
      expect(e.name).toBe(n);
      expect(e.lifecycle).toBe('active');
      expect(e.tags).toEqual({ team: 'nlp' });
      expect((await api.getExperiment(e.id)).name).toBe(n);
      expect((await api.getExperimentByName(n)).id).toBe(e.id);
      await expectError(api.createExperiment({ name: n }), 'ALREADY_EXISTS', /already exists/);
      const renamed = await api.updateExperiment(e.id, { name: `${n}-2`, description: 'new' });
      expect(renamed.name).toBe(`${n}-2`);
      expect(renamed.description).toBe('new');
      await api.setExperimentTag(e.id, 'stage', 'beta');
      expect((await api.getExperiment(e.id)).tags).toEqual({ team: 'nlp', stage: 'beta' });
      await api.deleteExperimentTag(e.id, 'team');
      expect((await api.getExperiment(e.id)).tags).toEqual({ stage: 'beta' });
      await api.deleteExperiment(e.id);
      expect((await api.getExperiment(e.id)).lifecycle).toBe('deleted');
      const active = await api.listExperiments({ maxResults: 50_000 });
      expect(active.items.some((x) => x.id === e.id)).toBe(false);
      const deleted = await api.listExperiments({ lifecycle: 'deleted', maxResults: 50_000 });
      expect(deleted.items.some((x) => x.id === e.id)).toBe(true);
      await api.restoreExperiment(e.id);
      expect((await api.getExperiment(e.id)).lifecycle).toBe('active');
      await expectError(api.getExperiment('999999999'), 'NOT_FOUND', /does not exist/);
      await expectError(api.createExperiment({ name: '  ' }), 'INVALID_ARGUMENT');
    });

    it('pages through experiments with tokens', async () => {
      const prefix = unique('page');
      for (let i = 0; i < 5; i++) await api.createExperiment({ name: `${prefix}-${i}` });
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await api.listExperiments({ nameLike: `${prefix}%`, maxResults: 2, pageToken: token });
        seen.push(...page.items.map((e) => e.name));
        token = page.nextPageToken ?? undefined;
      } while (token);
      expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
    });

    it('runs: create, params immutable, tags, status, nested, delete and restore', async () => {
      const e = await api.createExperiment({ name: unique('runs') });
      const parent = await api.createRun({ experimentId: e.id, name: 'parent', params: { lr: '0.01' }, tags: { team: 'a' } });
      expect(parent.status).toBe('RUNNING');
      expect(parent.params).toEqual({ lr: '0.01' });
      expect(parent.endTime).toBeNull();
      const child = await api.createRun({ experimentId: e.id, name: 'child', parentRunId: parent.id });
      expect(child.parentRunId).toBe(parent.id);

      await api.logBatch(parent.id, { params: { lr: '0.01', layers: '3' } });
      const err = await expectError(api.logBatch(parent.id, { params: { lr: '0.1', other: 'x' } }), 'INVALID_ARGUMENT');
      expect(err.message).toContain("'0.01'");
      expect(err.message).toContain("'0.1'");
      // Nothing of the rejected batch was written.
      expect((await api.getRun(parent.id)).params).toEqual({ lr: '0.01', layers: '3' });

      await api.setTag(parent.id, 'note', 'hello');
      await api.setTag(parent.id, 'note', 'changed');
      expect((await api.getRun(parent.id)).tags).toMatchObject({ team: 'a', note: 'changed' });
      await api.deleteTag(parent.id, 'note');
      expect((await api.getRun(parent.id)).tags.note).toBeUndefined();

      const done = await api.updateRun(parent.id, { status: 'FINISHED', notes: '# result\nok' });
      expect(done.status).toBe('FINISHED');
      expect(done.endTime).not.toBeNull();
      expect(done.notes).toBe('# result\nok');

      await api.deleteRun(child.id);
      expect((await api.getRun(child.id)).lifecycle).toBe('deleted');
      await expectError(api.logBatch(child.id, { metrics: [{ key: 'x', value: 1 }] }), 'INVALID_STATE', /restore/);
      await expectError(api.updateRun(child.id, { status: 'FAILED' }), 'INVALID_STATE', /restore/);
      await expectError(api.setTag(child.id, 'k', 'v'), 'INVALID_STATE', /restore/);
      await api.restoreRun(child.id);
      expect((await api.getRun(child.id)).lifecycle).toBe('active');
      await expectError(api.getRun('nope'), 'NOT_FOUND');
      await expectError(api.logBatch('nope', { tags: { k: 'v' } }), 'NOT_FOUND', /does not exist/);
      await expectError(api.updateRun('nope', { status: 'FAILED' }), 'NOT_FOUND', /does not exist/);
    });

    it('stores metric history faithfully, including NaN and ±Infinity, with the latest value per key', async () => {
      const e = await api.createExperiment({ name: unique('metrics') });
      const r = await api.createRun({ experimentId: e.id });
      await api.logBatch(r.id, {
        metrics: [
          { key: 'loss', value: 1.5, step: 0, timestamp: 1000 },
          { key: 'loss', value: NaN, step: 1, timestamp: 1001 },
          { key: 'loss', value: Infinity, step: 2, timestamp: 1002 },
          { key: 'loss', value: -Infinity, step: 3, timestamp: 1003 },
          { key: 'acc', value: 0.5, step: 5, timestamp: 1000 },
        ],
      });
      // An older step logged later does not replace the latest value.
      await api.logBatch(r.id, { metrics: [{ key: 'acc', value: 0.1, step: 1, timestamp: 2000 }] });
      const h = await api.getMetricHistory(r.id, 'loss');
      expect(h.steps).toEqual([0, 1, 2, 3]);
      expect(h.values[0]).toBe(1.5);
      expect(Number.isNaN(h.values[1])).toBe(true);
      expect(h.values[2]).toBe(Infinity);
      expect(h.values[3]).toBe(-Infinity);
      const run = await api.getRun(r.id);
      const latest = Object.fromEntries(run.metrics.map((m) => [m.key, m]));
      expect(latest.loss?.value).toBe(-Infinity);
      expect(latest.acc?.value).toBe(0.5);
      expect(latest.acc?.step).toBe(5);

      await api.logMetricSeries(r.id, [{ key: 'nanlast', steps: [0, 1], timestamps: [1, 2], values: [1, NaN] }]);
      const again = await api.getRun(r.id);
      expect(Number.isNaN(again.metrics.find((m) => m.key === 'nanlast')?.value)).toBe(true);
    });

    it('downsamples long histories on the server, keeping extremes', async () => {
      const r = await api.createRun({ experimentName: unique('long') });
      const n = 20_000;
      const steps = Array.from({ length: n }, (_, i) => i);
      const values = steps.map((i) => Math.sin(i / 100));
      values[12_345] = 99;
      values[777] = -99;
      await api.logMetricSeries(r.id, [{ key: 'x', steps, timestamps: steps.map((s) => s + 1), values }]);
      const d = await api.getMetricHistory(r.id, 'x', { maxPoints: 200 });
      expect(d.values.length).toBeLessThanOrEqual(200);
      expect(d.values.length).toBeGreaterThan(50);
      expect(Math.max(...d.values)).toBe(99);
      expect(Math.min(...d.values)).toBe(-99);
      expect(d.steps[0]).toBe(0);
      expect(d.steps.at(-1)).toBe(n - 1);
      const full = await api.getMetricHistory(r.id, 'x');
      expect(full.values.length).toBe(n);
    });

    it('stores a retried batch once when it carries the same idempotency key', async () => {
      const r = await api.createRun({ experimentName: unique('idem') });
      const key = `k-${r.id}`;
      const series = [{ key: 'm', steps: [0, 1, 2], timestamps: [1, 2, 3], values: [1, 2, 3] }];
      await api.logMetricSeries(r.id, series, { idempotencyKey: key });
      await api.logMetricSeries(r.id, series, { idempotencyKey: key });
      expect((await api.getMetricHistory(r.id, 'm')).values).toEqual([1, 2, 3]);
    });

    it('rejects bad input with INVALID_ARGUMENT and writes nothing', async () => {
      const r = await api.createRun({ experimentName: unique('bad') });
      const long = 'k'.repeat(251);
      await expectError(api.logBatch(r.id, { metrics: [{ key: long, value: 1 }] }), 'INVALID_ARGUMENT', /250/);
      await expectError(api.logBatch(r.id, { params: { p: 'v'.repeat(6001) } }), 'INVALID_ARGUMENT', /6000/);
      const tooMany = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, step: i }));
      await expectError(api.logBatch(r.id, { metrics: tooMany }), 'INVALID_ARGUMENT', /1000/);
      const params = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, 'v']));
      await expectError(api.logBatch(r.id, { params }), 'INVALID_ARGUMENT', /100/);
      await expectError(api.logBatch(r.id, { metrics: [{ key: '../evil', value: 1 }] }), 'INVALID_ARGUMENT');
      await expectError(
        api.logMetricSeries(r.id, [{ key: 'm', steps: [0, 1], timestamps: [1], values: [1, 2] }]), 'INVALID_ARGUMENT', /same length/);
      const run = await api.getRun(r.id);
      expect(run.metrics).toEqual([]);
      expect(run.params).toEqual({});
    });

    it('enforces naming conventions, quoting the rule', async () => {
      const e = await api.createExperiment({
        name: unique('named'), runNamePattern: 'task/model/variant', requiredTags: ['owner'],
      });
      await expectError(api.createRun({ experimentId: e.id, name: 'just-a-name', tags: { owner: 'x' } }), 'INVALID_ARGUMENT', /task\/model\/variant/);
      await expectError(api.createRun({ experimentId: e.id, name: 'cls/resnet/base' }), 'INVALID_ARGUMENT', /owner/);
      const ok = await api.createRun({ experimentId: e.id, name: 'cls/resnet/base', tags: { owner: 'ana' } });
      expect(ok.name).toBe('cls/resnet/base');
    });

    it('searches with the filter language, OR and parentheses, ordering and stable paging', async () => {
      const e = await api.createExperiment({ name: unique('search') });
      for (let i = 0; i < 12; i++) {
        const r = await api.createRun({
          experimentId: e.id, name: `run-${i}`, startTime: 1_000 + i,
          params: { lr: i % 2 === 0 ? '0.01' : '0.1' }, tags: { team: i < 6 ? 'nlp' : 'cv' },
        });
        await api.logBatch(r.id, { metrics: [{ key: 'acc', value: i / 10, step: 0 }] });
        if (i === 11) await api.updateRun(r.id, { status: 'FINISHED' });
      }
      const hit = await api.searchRuns({
        experimentIds: [e.id], filter: "metrics.acc > 0.3 and params.lr = '0.01' and tags.team = 'nlp'",
      });
      expect(hit.items.map((r) => r.name)).toEqual(['run-4']);
      const or = await api.searchRuns({
        experimentIds: [e.id], filter: "(tags.team = 'cv' and metrics.acc >= 1.0) or attributes.run_name = 'run-0'",
        orderBy: ['metrics.acc DESC'],
      });
      expect(or.items.map((r) => r.name)).toEqual(['run-11', 'run-10', 'run-0']);
      const fin = await api.searchRuns({ experimentIds: [e.id], filter: "attributes.status = 'FINISHED'" });
      expect(fin.items.map((r) => r.name)).toEqual(['run-11']);
      const like = await api.searchRuns({ experimentIds: [e.id], filter: "attributes.run_name LIKE 'run-1%'", orderBy: ['attributes.run_name ASC'] });
      expect(like.items.map((r) => r.name)).toEqual(['run-1', 'run-10', 'run-11']);

      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await api.searchRuns({ experimentIds: [e.id], orderBy: ['metrics.acc ASC'], maxResults: 5, pageToken: token });
        names.push(...page.items.map((r) => r.name));
        token = page.nextPageToken ?? undefined;
      } while (token);
      expect(names).toEqual(Array.from({ length: 12 }, (_, i) => `run-${i}`));
      await expectError(
        api.searchRuns({ experimentIds: [e.id], orderBy: ['metrics.acc ASC'], maxResults: 5, pageToken: 'garbage!' }),
        'INVALID_ARGUMENT');
      const bad = await expectError(api.searchRuns({ experimentIds: [e.id], filter: 'metrics.acc >> 1' }), 'INVALID_ARGUMENT', /position/);
      expect(bad.message).toMatch(/position \d+/);
    });

    it('returns from createRun and updateRun the run that getRun and searchRuns read back', async () => {
      const e = await api.createExperiment({ name: unique('returned') });
      const params = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, String(i)]));
      const created = await api.createRun({ experimentId: e.id, name: 'r', params, tags: { a: '1', b: '2' }, startTime: 1_700_000_000_123 });
      expect(created).toEqual(await api.getRun(created.id));
      expect(created.params).toEqual(params);
      await api.logBatch(created.id, {
        tags: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`t${i}`, `v${i}`])),
        metrics: [{ key: 'loss', value: 0.5, step: 1 }, { key: 'acc', value: NaN, step: 2 }],
      });
      await api.logInputs(created.id, [{
        name: 'train', digest: 'd1', sourceType: 'local', source: 'a.csv', context: 'training', schema: '{}', profile: null, tags: { k: 'v' },
      }]);
      const updated = await api.updateRun(created.id, { status: 'FINISHED', notes: 'done' });
      const read = await api.getRun(created.id);
      expect(updated).toEqual(read);
      expect(Object.keys(read.tags)).toHaveLength(102);
      expect(read.metrics.map((m) => m.key)).toEqual(['acc', 'loss']);
      expect(read.metrics[0]?.value).toBeNaN();
      expect(read.inputs).toEqual([{
        name: 'train', digest: 'd1', sourceType: 'local', source: 'a.csv', context: 'training', schema: '{}', profile: null, tags: { k: 'v' },
      }]);
      expect((await api.searchRuns({ experimentIds: [e.id] })).items).toEqual([read]);
      expect(await api.updateRun(created.id, {})).toEqual(read);
    });

    it('records dataset inputs', async () => {
      const r = await api.createRun({ experimentName: unique('inputs') });
      await api.logInputs(r.id, [{
        name: 'churn', digest: 'abc123', sourceType: 'local', source: 'data/churn.csv', context: 'training',
        schema: null, profile: null, tags: {},
      }]);
      const got = await api.getRun(r.id);
      expect(got.inputs).toHaveLength(1);
      expect(got.inputs[0]).toMatchObject({ name: 'churn', digest: 'abc123', context: 'training' });
      const found = await api.searchRuns({ experimentIds: [r.experimentId], filter: "datasets.name = 'churn'" });
      expect(found.items.map((x) => x.id)).toEqual([r.id]);
    });

    it('stores artifacts by logical path, deduplicated, and streams them back verified', async () => {
      const r = await api.createRun({ experimentName: unique('art') });
      const bytes = Buffer.from('hello artifacts '.repeat(1000));
      const a = await api.logArtifact(r.id, 'model/weights.bin', bytes);
      expect(a.digest).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(a.size).toBe(bytes.length);
      await api.logArtifact(r.id, 'model/copy.bin', bytes);
      await api.logArtifact(r.id, 'README.md', Buffer.from('# hi'));
      const root = await api.listArtifacts(r.id);
      expect(root.map((x) => [x.path, x.isDir])).toEqual([['README.md', false], ['model', true]]);
      const sub = await api.listArtifacts(r.id, 'model');
      expect(sub.map((x) => x.path)).toEqual(['model/copy.bin', 'model/weights.bin']);
      expect(new Set(sub.map((x) => x.digest)).size).toBe(1);
      expect(await readAll(await api.openArtifact(r.id, 'model/weights.bin'))).toEqual(bytes);
      await expectError(api.openArtifact(r.id, 'missing.txt'), 'NOT_FOUND');
      for (const bad of ['../etc/passwd', '/abs/path', 'a/../../b']) {
        await expectError(api.logArtifact(r.id, bad, Buffer.from('x')), 'INVALID_ARGUMENT');
      }
      expect((await api.listArtifacts(r.id)).length).toBe(2);
    });

    it('deletes an artifact or a folder from one run, keeping bytes another run shares', async () => {
      const bytes = Buffer.from('shared weights');
      const a = await api.createRun({ experimentName: unique('del') });
      const b = await api.createRun({ experimentId: a.experimentId });
      await api.logArtifact(a.id, 'm/w.bin', bytes);
      await api.logArtifact(a.id, 'm/sub/x.txt', Buffer.from('x'));
      await api.logArtifact(a.id, 'm.txt', Buffer.from('sibling'));
      await api.logArtifact(b.id, 'w.bin', bytes);
      await api.deleteArtifact(a.id, 'm/w.bin');
      expect((await api.listArtifacts(a.id, 'm')).map((x) => x.path)).toEqual(['m/sub']);
      expect(await readAll(await api.openArtifact(b.id, 'w.bin'))).toEqual(bytes);
      await api.deleteArtifact(a.id, 'm');
      expect((await api.listArtifacts(a.id)).map((x) => x.path)).toEqual(['m.txt']);
      await api.deleteArtifact(a.id, 'm');
      await expectError(api.deleteArtifact(a.id, '../x'), 'INVALID_ARGUMENT');
    });

    it('counts active runs and last activity per experiment', async () => {
      const busy = await api.createExperiment({ name: unique('stats-busy') });
      const idle = await api.createExperiment({ name: unique('stats-idle') });
      const a = await api.createRun({ experimentId: busy.id, startTime: 1_000 });
      await api.createRun({ experimentId: busy.id, startTime: 2_000 });
      const gone = await api.createRun({ experimentId: busy.id, startTime: 9_000 });
      await api.updateRun(a.id, { status: 'FINISHED', endTime: 5_000 });
      await api.deleteRun(gone.id);
      const stats = await api.experimentStats([idle.id, busy.id, 'no-such-experiment']);
      expect(stats).toEqual([
        { experimentId: idle.id, runCount: 0, lastActivity: null },
        { experimentId: busy.id, runCount: 2, lastActivity: 5_000 },
        { experimentId: 'no-such-experiment', runCount: 0, lastActivity: null },
      ]);
      await expect(api.experimentStats(Array.from({ length: 1_001 }, (_, i) => `e${i}`))).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringMatching(/1,?000/) });
    });

    it('filters and orders experiments by name, times and tags', async () => {
      const prefix = unique('xf');
      const ids: string[] = [];
      for (const [i, team] of ['ml', 'data', 'ml'].entries()) {
        ids.push((await api.createExperiment({ name: `${prefix}-${i}`, tags: { team } })).id);
      }
      const names = async (filter: string, orderBy?: string[]) =>
        (await api.listExperiments({ filter, orderBy, maxResults: 100 })).items.map((e) => e.name);
      expect(await names(`name LIKE '${prefix}-%' AND tags.team = 'ml'`, ['name DESC'])).toEqual([`${prefix}-2`, `${prefix}-0`]);
      expect(await names(`name LIKE '${prefix}-%' AND tags.team != 'ml'`)).toEqual([`${prefix}-1`]);
      expect(await names(`name = '${prefix}-1'`)).toEqual([`${prefix}-1`]);
      expect(await names(`name ILIKE '${prefix.toUpperCase()}-%'`, ['name ASC'])).toHaveLength(3);
      expect(await names(`name LIKE '${prefix.toUpperCase()}-%'`)).toEqual([]);
      const created = (await api.getExperiment(ids[0] as string)).createdAt;
      expect(await names(`name LIKE '${prefix}-%' AND creation_time >= ${created}`, ['creation_time ASC', 'name DESC']))
        .toHaveLength(3);
      const first = await api.listExperiments({ filter: `name LIKE '${prefix}-%'`, orderBy: ['name ASC'], maxResults: 2 });
      expect(first.items.map((e) => e.name)).toEqual([`${prefix}-0`, `${prefix}-1`]);
      const rest = await api.listExperiments({ filter: `name LIKE '${prefix}-%'`, orderBy: ['name ASC'], maxResults: 2, pageToken: first.nextPageToken ?? '' });
      expect(rest.items.map((e) => e.name)).toEqual([`${prefix}-2`]);
      await expectError(api.listExperiments({ filter: "colour = 'red'" }), 'INVALID_ARGUMENT', /unknown attribute/);
    });
  });
}
