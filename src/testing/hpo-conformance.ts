/**
 * One contract, every implementation: the ask/tell suite runs against the
 * StudyService over SQLite and PostgreSQL and against the HTTP client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../core/errors.js';
import type { StudyApi } from '../hpo/study-api.js';
import { Study, TrialPruned } from '../sdk/study.js';
import type { HpoHarness } from './hpo-harness.js';

async function expectError(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CairnError);
    expect((e as CairnError).code).toBe(code);
    if (pattern) expect((e as CairnError).message).toMatch(pattern);
    return;
  }
  throw new Error(`expected ${code} error, got success`);
}

let counter = 0;
const unique = (p: string) => `${p}-${process.pid}-${Date.now()}-${++counter}`;
const F = (low: number, high: number, log = false) => ({ kind: 'float' as const, low, high, log, step: null });

export function describeHpoConformance(name: string, factory: () => Promise<HpoHarness>): void {
  describe(`hpo conformance: ${name}`, () => {
    let h: HpoHarness;
    let api: StudyApi;
    beforeAll(async () => { h = await factory(); api = h.api; });
    afterAll(async () => h?.cleanup());

    it('creates, loads and lists studies; refuses bad studies', async () => {
      const n = unique('s');
      const s = await api.createStudy({ name: n, directions: ['maximize'], sampler: { name: 'random', options: { seed: 1 } } });
      expect(s.directions).toEqual(['maximize']);
      expect(s.metricNames).toEqual(['value']);
      expect((await api.getStudy(n)).id).toBe(s.id);
      expect((await api.createStudy({ name: n, loadIfExists: true })).id).toBe(s.id);
      expect((await api.listStudies()).map((x) => x.name)).toContain(n);
      await expectError(api.createStudy({ name: n }), 'ALREADY_EXISTS', /already exists/);
      await expectError(api.getStudy(unique('missing')), 'NOT_FOUND');
      await expectError(api.createStudy({ name: unique('b'), sampler: { name: 'nope' } }), 'INVALID_ARGUMENT', /unknown sampler 'nope'/);
      await expectError(api.createStudy({ name: unique('b'), space: { x: { type: 'float', low: 2, high: 1 } } }), 'INVALID_ARGUMENT', /greater than high/);
      await expectError(api.createStudy({ name: unique('b'), space: { x: { type: 'float', low: 0, high: 1, log: true } } }), 'INVALID_ARGUMENT', /low > 0/);
      await expectError(api.createStudy({ name: unique('b'), space: { x: { type: 'categorical', choices: [] } } }), 'INVALID_ARGUMENT', /empty/);
    });

    it('ask/suggest/report/tell makes a run per trial with params, metrics and state', async () => {
      const n = unique('s');
      await api.createStudy({ name: n, sampler: { name: 'random', options: { seed: 3 } } });
      const t = await api.ask(n, { worker: 'w1' });
      expect(t.state).toBe('RUNNING');
      expect(t.number).toBe(0);
      expect(t.runId).toBeTruthy();
      const lr = await api.suggest(n, 0, 'lr', F(1e-5, 1e-1, true));
      expect(await api.suggest(n, 0, 'lr', F(1e-5, 1e-1, true))).toBe(lr);
      await expectError(api.suggest(n, 0, 'lr', F(0, 1)), 'INVALID_ARGUMENT', /suggested as .* and now as/);
      await expectError(api.suggest(n, 0, 'bad', F(1, 0)), 'INVALID_ARGUMENT', /greater than high/);
      expect(await api.report(n, 0, 0, 0.9)).toEqual({ shouldPrune: false });
      await api.report(n, 0, 1, 0.5);
      await expectError(api.report(n, 0, 2, Number.NaN), 'INVALID_ARGUMENT', /finite/);
      await expectError(api.tell(n, 0, { values: [Number.NaN] }), 'INVALID_ARGUMENT', /finite/);
      await expectError(api.tell(n, 0, { values: [1, 2] }), 'INVALID_ARGUMENT', /1 objective/);
      const done = await api.tell(n, 0, { values: [0.4] });
      expect(done.state).toBe('COMPLETE');
      await expectError(api.tell(n, 0, { values: [0.3] }), 'INVALID_STATE', /already told/);
      const [stored] = await api.listTrials(n);
      expect(stored).toMatchObject({ number: 0, state: 'COMPLETE', values: [0.4], params: { lr }, intermediate: [[0, 0.9], [1, 0.5]] });
      const run = await h.tracking.getRun(t.runId as string);
      expect(run.status).toBe('FINISHED');
      expect(run.endTime).toBeGreaterThanOrEqual(run.startTime);
      expect(run.params.lr).toBe(String(lr));
      expect(run.tags).toMatchObject({ 'cairn.study': n, 'cairn.trial.number': '0', 'cairn.trial.state': 'COMPLETE' });
      expect(run.metrics.find((m) => m.key === 'value')?.value).toBe(0.4);
      expect((await h.tracking.getMetricHistory(run.id, 'value')).values.length).toBe(3);
    });

    it('enqueued params come first and are claimed once across two clients', async () => {
      const n = unique('s');
      await api.createStudy({ name: n });
      for (let i = 0; i < 6; i++) await api.enqueue(n, { x: i });
      const other = h.second();
      const asked = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : api).ask(n)));
      expect(new Set(asked.map((t) => t.number)).size).toBe(6);
      const xs = await Promise.all(asked.map((t) => api.suggest(n, t.number, 'x', { kind: 'int', low: 0, high: 10, log: false, step: 1 })));
      expect(xs.sort()).toEqual([0, 1, 2, 3, 4, 5]);
      expect((await api.ask(n)).number).toBe(6);
    });

    it('suggests on one trial through two clients keep every param; a trial told elsewhere refuses them', async () => {
      const n = unique('s');
      await api.createStudy({ name: n, sampler: { name: 'random', options: { seed: 1 } } });
      const other = h.second();
      const f = { kind: 'float', low: 0, high: 1, log: false, step: null } as const;
      const t = await api.ask(n);
      const a = await api.suggest(n, t.number, 'a', f);
      const b = await other.suggest(n, t.number, 'b', f);
      const c = await api.suggest(n, t.number, 'c', f);
      expect(await other.suggest(n, t.number, 'a', f)).toBe(a);
      await other.tell(n, t.number, { values: [1] });
      await expect(api.suggest(n, t.number, 'd', f)).rejects.toMatchObject({ code: 'INVALID_STATE' });
      expect((await api.listTrials(n))[0]?.params).toEqual({ a, b, c });
    });

    it('finds a study\'s trials by run search on the tag cairn.study, with their state tags', async () => {
      const n = unique('s');
      const other = unique('s');
      const study = await api.createStudy({ name: n, sampler: { name: 'random', options: { seed: 5 } } });
      await api.createStudy({ name: other, experiment: n, sampler: { name: 'random', options: { seed: 6 } } });
      for (const [name, k] of [[n, 3], [other, 2]] as const) {
        for (let i = 0; i < k; i++) {
          const t = await api.ask(name);
          await api.suggest(name, t.number, 'x', F(0, 1));
          await api.tell(name, t.number, i === 0 && name === n ? { state: 'FAIL' } : { values: [i] });
        }
      }
      // Both studies share one experiment: the tag tells them apart.
      const page = await h.tracking.searchRuns({ experimentIds: [study.experimentId], filter: `tags.cairn.study = '${n}'`, orderBy: ['tags.cairn.trial.number ASC'] });
      const trials = await api.listTrials(n);
      expect(page.items.map((r) => r.id).sort()).toEqual(trials.map((t) => t.runId).sort());
      expect(page.items.map((r) => r.tags['cairn.trial.state']).sort()).toEqual(['COMPLETE', 'COMPLETE', 'FAIL']);
      const failed = await h.tracking.searchRuns({ experimentIds: [study.experimentId], filter: `tags.cairn.study = '${n}' AND tags.cairn.trial.state = 'FAIL'` });
      expect(failed.items.map((r) => r.tags['cairn.trial.number'])).toEqual(['0']);
    });

    it('declared spaces with conditions are sampled at ask', async () => {
      const n = unique('s');
      await api.createStudy({ name: n, sampler: { name: 'sobol', options: { seed: 2 } }, space: {
        optimizer: { type: 'categorical', choices: ['sgd', 'adam'] },
        momentum: { type: 'float', low: 0, high: 0.9, when: { optimizer: 'sgd' } },
        layers: { type: 'int', low: 1, high: 4 },
      } });
      for (let i = 0; i < 8; i++) {
        const t = await api.ask(n);
        expect('momentum' in t.params).toBe(t.params.optimizer === 'sgd');
        expect(t.params.layers).toBeGreaterThanOrEqual(1);
        await api.tell(n, t.number, { values: [i] });
        // The evaluator needs 4 complete trials; before that the report says null.
        if (i === 2) expect((await api.studyReport(n)).importances).toBeNull();
      }
      const r = await api.studyReport(n);
      expect(r.counts.COMPLETE).toBe(8);
      expect(r.best[0]?.values).toEqual([0]);
      expect(r.history.length).toBe(8);
      expect(r.parallelCoordinates.params).toEqual(['layers', 'momentum', 'optimizer'].filter((p) => r.parallelCoordinates.params.includes(p)));
      // Importances cover the params every trial has (momentum is conditional), normalised to sum to 1.
      expect(Object.keys(r.importances ?? {}).sort()).toEqual(['layers', 'optimizer']);
      const shares = Object.values(r.importances ?? {});
      expect(shares.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    });

    it('a grid study visits each point once, then refuses to ask', async () => {
      const n = unique('s');
      await api.createStudy({ name: n, sampler: { name: 'grid', options: { grid: { a: [1, 2], b: ['x', 'y', 'z'] } } }, space: {
        a: { type: 'int', low: 1, high: 2 }, b: { type: 'categorical', choices: ['x', 'y', 'z'] },
      } });
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const t = await api.ask(n);
        seen.add(JSON.stringify([t.params.a, t.params.b]));
        await api.tell(n, t.number, { values: [i] });
      }
      expect(seen.size).toBe(6);
      await expectError(api.ask(n), 'INVALID_STATE', /every point of its grid/);
      await api.enqueue(n, { a: 1, b: 'x' });
      expect((await api.ask(n)).params).toEqual({ a: 1, b: 'x' });
    });

    it('multi-objective studies expose the Pareto front', async () => {
      const n = unique('s');
      await api.createStudy({ name: n, directions: ['minimize', 'maximize'] });
      const vals = [[1, 1], [2, 3], [3, 2], [0.5, 0.5]];
      for (const v of vals) await api.tell(n, (await api.ask(n)).number, { values: v });
      expect((await api.bestTrials(n)).map((t) => t.values)).toEqual([[1, 1], [2, 3], [0.5, 0.5]]);
    });

    it('the SDK optimizes with pruning, parallel trials and enqueue', async () => {
      const n = unique('s');
      const study = await Study.create(api, { name: n, sampler: { name: 'random', options: { seed: 5 } }, pruner: { name: 'median', options: { nStartupTrials: 2 } } });
      await study.enqueue({ x: 0.5 });
      const trials = await study.optimize(async (trial) => {
        const x = await trial.suggestFloat('x', -2, 2);
        for (let step = 0; step < 4; step++) {
          await trial.report((x - 0.5) ** 2 + 1 / (step + 1), step);
          if (trial.shouldPrune()) throw new TrialPruned();
        }
        return (x - 0.5) ** 2;
      }, { nTrials: 12, parallel: 3 });
      expect(trials.length).toBe(12);
      expect((await study.bestTrial).params.x).toBe(0.5);
      expect((await study.trials()).some((t) => t.state === 'PRUNED')).toBe(true);
      await expect(study.optimize(() => { throw new Error('boom'); }, { nTrials: 1 })).rejects.toThrow('boom');
      expect((await study.trials()).at(-1)?.state).toBe('FAIL');
    });
  });
}
