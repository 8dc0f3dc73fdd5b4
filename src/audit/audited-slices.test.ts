/**
 * The slices beside tracking that mutate through it — HPO studies and logged
 * models — are audited as the request's user, over the whole app with auth on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governedApp, type GovernedApp } from '../testing/governance-harness.js';

let g: GovernedApp;
let token: string;

beforeAll(async () => {
  g = await governedApp({ authEnabled: true });
  token = (await g.governance.auth.as({ id: 'setup', name: 'setup' }).createUser({ name: 'hana', role: 'editor' })).token;
});
afterAll(async () => g?.cleanup());

const post = async (url: string, payload: object = {}) => {
  const r = await g.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
const entries = async () => (await g.governance.audit.list({ limit: 10_000 })).map((e) => ({ action: e.action, actor: e.actor, targetId: e.targetId }));

describe('audit of HPO and logged models', () => {
  it("records a study and its trial's events, each naming the run, as the caller", async () => {
    await post('/api/v1/studies', { name: 'lr-search', directions: ['minimize'] });
    const { trial } = await post('/api/v1/studies/lr-search/ask');
    await post(`/api/v1/studies/lr-search/trials/${trial.number}/report`, { step: 1, value: 0.5 });
    await post(`/api/v1/studies/lr-search/trials/${trial.number}/tell`, { values: [0.25] });
    const all = await g.governance.audit.list({ limit: 10_000 });
    const log = all.map((e) => ({ action: e.action, actor: e.actor, targetId: e.targetId }));
    expect(log).toEqual(expect.arrayContaining([
      { action: 'study.create', actor: 'hana', targetId: 'lr-search' },
      { action: 'experiment.create', actor: 'hana', targetId: expect.any(String) },
    ]));
    // The trial's run is written by the study; its changes are the trial's events, one entry each.
    const target = `lr-search/${trial.number}`;
    expect(all.filter((e) => e.targetId === target).map((e) => [e.action, e.actor, e.after])).toEqual([
      ['trial.ask', 'hana', { runId: trial.runId, worker: null, enqueued: false }],
      ['trial.report', 'hana', { step: 1, value: 0.5, runId: trial.runId }],
      ['trial.tell', 'hana', { state: 'COMPLETE', values: [0.25], runId: trial.runId, runStatus: 'FINISHED' }],
    ]);
    expect(log.filter((e) => e.targetId === trial.runId)).toEqual([]);
    expect((await g.governance.audit.verify()).ok).toBe(true);

    // An admin reads one target's history over HTTP; the filter is a query, not a scan on the client.
    const adminToken = (await g.governance.auth.as({ id: 'setup', name: 'setup' }).createUser({ name: 'root', role: 'admin' })).token;
    const r = await g.app.inject({ method: 'GET', url: `/api/v1/audit?targetType=trial&targetId=${encodeURIComponent(target)}&action=trial.tell`, headers: { authorization: `Bearer ${adminToken}` } });
    expect(r.statusCode, r.body).toBe(200);
    expect((r.json() as { items: { action: string; targetId: string }[] }).items.map((e) => [e.action, e.targetId])).toEqual([['trial.tell', target]]);
    const bad = await g.app.inject({ method: 'GET', url: '/api/v1/audit?targetId=', headers: { authorization: `Bearer ${adminToken}` } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: expect.stringMatching(/targetId/) });
  });

  it('records logged-model creation and changes, through /api/v1 and the MLflow routes', async () => {
    const exp = await post('/api/v1/experiments', { name: 'models' });
    const experimentId = exp.experiment.id as string;
    const { model } = await post('/api/v1/logged-models', { experimentId, name: 'clf' });
    const mlflow = await post('/api/2.0/mlflow/logged-models', { experiment_id: experimentId, name: 'from-mlflow' });
    const r = await g.app.inject({
      method: 'PATCH', url: `/api/v1/logged-models/${model.id}/tags`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: { tags: { stage: 'eval' } },
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
    const log = await entries();
    expect(log).toEqual(expect.arrayContaining([
      { action: 'logged_model.create', actor: 'hana', targetId: model.id },
      { action: 'logged_model.create', actor: 'hana', targetId: mlflow.model.info.model_id },
      { action: 'logged_model.tag.set', actor: 'hana', targetId: model.id },
    ]));
  });
});
