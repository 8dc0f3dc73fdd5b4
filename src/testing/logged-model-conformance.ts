/**
 * One contract, every implementation: the logged-model cases run against
 * LoggedModelService over SQLite and PostgreSQL, and against the HTTP client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../core/errors.js';
import type { LoggedModelApi } from '../tracking/logged-models/index.js';
import type { TrackingApi } from '../tracking/tracking-api.js';

export interface LoggedModelHarness {
  readonly api: TrackingApi;
  readonly loggedModels: LoggedModelApi;
  cleanup(): Promise<void>;
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CairnError);
    return (e as CairnError).code;
  }
  return 'OK';
}

async function readAll(it: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString();
}

let n = 0;
const unique = (p: string) => `${p}-${process.pid}-${Date.now()}-${++n}`;

export function describeLoggedModelConformance(label: string, factory: () => Promise<LoggedModelHarness>): void {
  describe(`logged-model conformance: ${label}`, () => {
    let h: LoggedModelHarness;
    beforeAll(async () => { h = await factory(); });
    afterAll(async () => h?.cleanup());

    it('creates a pending model under its experiment, finalizes, tags, params, deletes', async () => {
      const run = await h.api.createRun({ experimentName: unique('lm') });
      const m = await h.loggedModels.createLoggedModel({
        experimentId: run.experimentId, name: 'clf', sourceRunId: run.id, modelType: 'sklearn', params: { C: '1' }, tags: { a: 'b' },
      });
      expect(m).toMatchObject({ name: 'clf', status: 'PENDING', sourceRunId: run.id, modelType: 'sklearn', params: { C: '1' }, tags: { a: 'b' } });
      expect(m.id).toMatch(/^m-[0-9a-f]{32}$/);
      expect(m.artifactLocation).toBe(`cairn-artifacts:/${run.experimentId}/models/${m.id}/artifacts`);
      expect((await h.loggedModels.finalizeLoggedModel(m.id, 'READY')).status).toBe('READY');
      await h.loggedModels.setLoggedModelTags(m.id, { a: 'c', x: 'y' });
      await h.loggedModels.deleteLoggedModelTag(m.id, 'x');
      await h.loggedModels.logLoggedModelParams(m.id, { C: '1', depth: '3' });
      expect(await code(h.loggedModels.logLoggedModelParams(m.id, { C: '2' }))).toBe('INVALID_ARGUMENT');
      await h.loggedModels.logLoggedModelMetrics(m.id, [
        { key: 'acc', value: 0.9, step: 0, timestamp: 1, runId: run.id, datasetName: 'iris', datasetDigest: 'd' },
        { key: 'nan', value: NaN, step: 0, timestamp: 1, runId: null, datasetName: null, datasetDigest: null },
      ]);
      const got = await h.loggedModels.getLoggedModel(m.id);
      expect(got.tags).toEqual({ a: 'c' });
      expect(got.params).toEqual({ C: '1', depth: '3' });
      expect(got.metrics.map((x) => [x.key, x.value, x.datasetName])).toEqual([['acc', 0.9, 'iris'], ['nan', NaN, null]]);
      await h.loggedModels.deleteLoggedModel(m.id);
      expect(await code(h.loggedModels.getLoggedModel(m.id))).toBe('NOT_FOUND');
      expect((await h.loggedModels.getLoggedModel(m.id, { allowDeleted: true })).lifecycle).toBe('deleted');
      expect(await code(h.loggedModels.createLoggedModel({ experimentId: run.experimentId, name: 'a/b' }))).toBe('INVALID_ARGUMENT');
      expect(await code(h.loggedModels.createLoggedModel({ experimentId: '999' }))).toBe('NOT_FOUND');
      expect(await code(h.loggedModels.createLoggedModel({ experimentId: run.experimentId, sourceRunId: 'nope' }))).toBe('NOT_FOUND');
    });

    it('searches by attributes, tags, params and metrics, ordered and paged', async () => {
      const e = await h.api.createExperiment({ name: unique('lms') });
      const run = await h.api.createRun({ experimentId: e.id });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const m = await h.loggedModels.createLoggedModel({
          experimentId: e.id, name: `m${i}`, sourceRunId: i < 2 ? run.id : null, tags: { kind: i % 2 ? 'odd' : 'even' }, params: { i: String(i) },
        });
        await h.loggedModels.logLoggedModelMetrics(m.id, [{ key: 'acc', value: i / 10, step: 0, timestamp: i, runId: null, datasetName: null, datasetDigest: null }]);
        if (i === 4) await h.loggedModels.finalizeLoggedModel(m.id, 'READY');
        ids.push(m.id);
      }
      await h.loggedModels.deleteLoggedModel(ids[3] as string);
      const names = async (filter?: string, orderBy?: string[]) =>
        (await h.loggedModels.searchLoggedModels({ experimentIds: [e.id], filter, orderBy })).items.map((m) => m.name);
      expect(await names(undefined, ['name ASC'])).toEqual(['m0', 'm1', 'm2', 'm4']);
      expect(await names("tags.kind = 'even' AND metrics.acc >= 0.2", ['name DESC'])).toEqual(['m4', 'm2']);
      expect(await names(`source_run_id = '${run.id}'`, ['name ASC'])).toEqual(['m0', 'm1']);
      expect(await names("status = 'READY'")).toEqual(['m4']);
      expect(await names("params.i IN ('1', '2')", ['creation_timestamp ASC', 'name ASC'])).toEqual(['m1', 'm2']);
      expect(await names("name LIKE 'm%' AND name != 'm0'", ['name ASC'])).toEqual(['m1', 'm2', 'm4']);
      const first = await h.loggedModels.searchLoggedModels({ experimentIds: [e.id], orderBy: ['name ASC'], maxResults: 3 });
      const rest = await h.loggedModels.searchLoggedModels({ experimentIds: [e.id], orderBy: ['name ASC'], maxResults: 3, pageToken: first.nextPageToken ?? '' });
      expect([...first.items, ...rest.items].map((m) => m.name)).toEqual(['m0', 'm1', 'm2', 'm4']);
      expect(rest.nextPageToken).toBeNull();
      expect(await code(h.loggedModels.searchLoggedModels({ experimentIds: [e.id], filter: "colour = 'x'" }))).toBe('INVALID_ARGUMENT');
      expect(await code(h.loggedModels.searchLoggedModels({ experimentIds: ['999'] }))).toBe('NOT_FOUND');
    });

    it('keeps artifacts per model and links runs to the models they used and produced', async () => {
      const run = await h.api.createRun({ experimentName: unique('lma') });
      const m = await h.loggedModels.createLoggedModel({ experimentId: run.experimentId, sourceRunId: run.id });
      await h.loggedModels.logModelArtifact(m.id, 'MLmodel', Buffer.from('flavors: {}'));
      await h.loggedModels.logModelArtifact(m.id, 'data/model.pkl', Buffer.from('pickle'));
      expect((await h.loggedModels.listModelArtifacts(m.id)).map((a) => [a.path, a.isDir])).toEqual([['MLmodel', false], ['data', true]]);
      expect(await readAll(await h.loggedModels.openModelArtifact(m.id, 'data/model.pkl'))).toBe('pickle');
      expect(await h.api.listArtifacts(run.id)).toEqual([]);
      await h.loggedModels.deleteModelArtifact(m.id, 'data');
      expect((await h.loggedModels.listModelArtifacts(m.id)).map((a) => a.path)).toEqual(['MLmodel']);
      await h.loggedModels.linkRunModels(run.id, 'output', [{ modelId: m.id, step: 3 }]);
      await h.loggedModels.linkRunModels(run.id, 'input', [{ modelId: m.id, step: 0 }]);
      expect(await h.loggedModels.runModelLinks(run.id)).toEqual([
        { runId: run.id, modelId: m.id, direction: 'input', step: 0 },
        { runId: run.id, modelId: m.id, direction: 'output', step: 3 },
      ]);
      expect(await code(h.loggedModels.linkRunModels(run.id, 'output', [{ modelId: 'm-missing', step: 0 }]))).toBe('NOT_FOUND');
    });
  });
}
