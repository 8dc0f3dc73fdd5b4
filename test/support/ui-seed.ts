/**
 * Seeds a live Cairn server through its API (and CLI for data) with what the
 * UI pages show: an experiment of runs with params, metric histories, tags,
 * notes and artifacts; a registered model whose policy needs an approval; a
 * dataset version with profile and validation; a study with trials.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HttpDataClient, HttpRegistryClient, HttpStudyClient, HttpTrackingClient } from '../../src/client/index.js';
import { CAIRN_BIN } from './server-process.js';

const run = promisify(execFile);

export interface Seeded {
  readonly experimentId: string;
  readonly runIds: readonly string[];
  readonly runNames: readonly string[];
  readonly model: string;
  readonly dataset: string;
  readonly study: string;
}

/** A 2×2 PNG (red, green / blue, white), so the image preview has something real to show. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

export async function seedUi(url: string, token: string): Promise<Seeded> {
  const opts = { url, token };
  const t = new HttpTrackingClient(opts);
  const exp = await t.createExperiment({ name: 'churn-model', description: 'weekly churn classifier' });
  await t.createExperiment({ name: 'empty-experiment' });
  const runIds: string[] = [];
  const runNames: string[] = [];
  const configs = [
    { lr: '0.1', optimizer: 'sgd', layers: '2' }, { lr: '0.01', optimizer: 'adam', layers: '2' },
    { lr: '0.001', optimizer: 'adam', layers: '4' }, { lr: '0.05', optimizer: 'sgd', layers: '4' },
    { lr: '0.003', optimizer: 'adam', layers: '3' }, { lr: '0.2', optimizer: 'sgd', layers: '3' },
  ];
  for (const [i, params] of configs.entries()) {
    const name = `run-${params.optimizer}-${params.lr}`;
    const r = await t.createRun({ experimentId: exp.id, name, params, tags: { team: i % 2 ? 'ml' : 'data' }, startTime: 1_760_000_000_000 + i * 60_000 });
    const lr = Number(params.lr);
    const steps = Array.from({ length: 200 }, (_, s) => s);
    const loss = steps.map((s) => 1 / (1 + s * lr) + 0.01 * Math.sin(s + i));
    await t.logMetricSeries(r.id, [
      { key: 'loss', steps, timestamps: steps.map((s) => 1_760_000_000_000 + i * 60_000 + s * 1000), values: loss },
      { key: 'auc', steps: [199], timestamps: [1_760_000_000_000 + i * 60_000 + 199_000], values: [0.8 + 0.02 * i] },
      { key: 'system/cpu_percent', steps: [0, 1, 2], timestamps: [1_760_000_000_000, 1_760_000_005_000, 1_760_000_010_000], values: [40, 80, 60] },
    ]);
    await t.logArtifact(r.id, 'eval/predictions.csv', new TextEncoder().encode('id,label,score\n1,1,0.91\n2,0,0.12\n3,1,"0.77"\n'));
    await t.logArtifact(r.id, 'eval/summary.json', new TextEncoder().encode(JSON.stringify({ auc: 0.8 + 0.02 * i, threshold: 0.5 })));
    await t.logArtifact(r.id, 'plots/confusion.png', TINY_PNG);
    await t.logArtifact(r.id, 'logs/output.log', new TextEncoder().encode(Array.from({ length: 50 }, (_, s) => `epoch ${s} loss=${loss[s]!.toFixed(4)}`).join('\n') + '\ntraining done\n'));
    await t.updateRun(r.id, { status: i === 5 ? 'FAILED' : 'FINISHED', endTime: 1_760_000_000_000 + i * 60_000 + 200_000 });
    runIds.push(r.id);
    runNames.push(name);
  }
  await t.setTag(runIds[1]!, 'cairn.git.commit', '3f2a9c1d5e7b8a6c4d2e0f1a3b5c7d9e1f2a4b6c');
  await t.setTag(runIds[1]!, 'cairn.seed', '42');
  await t.setTag(runIds[1]!, 'cairn.repro.verdict', 'REPRODUCED');
  await t.logArtifact(runIds[1]!, 'cairn/patch.diff', new TextEncoder().encode('diff --git a/train.py b/train.py\n--- a/train.py\n+++ b/train.py\n@@ -1,2 +1,2 @@\n-lr = 0.1\n+lr = 0.01\n print(lr)\n'));
  await t.updateRun(runIds[1]!, { notes: '## Best so far\nAdam with **lr 0.01** wins on `auc`.' });

  const reg = new HttpRegistryClient(opts);
  const model = 'churn';
  await reg.createModel({ name: model, description: 'churn classifier' });
  await reg.setPolicy(model, JSON.stringify({ transitions: [{ to: 'production', gates: ['metrics.auc >= 0.8', { approvals: 1 }] }] }));
  await reg.createVersion(model, { runId: runIds[0]!, format: 'onnx' });
  await reg.createVersion(model, { runId: runIds[1]!, format: 'onnx', description: 'adam' });
  await reg.setAlias(model, 'challenger', 2);
  await reg.setCard(model, 2, { markdown: '# churn v2\nTrained with Adam.', intendedUse: 'weekly churn scoring', limitations: 'EU customers only' });

  const dir = await mkdtemp(join(tmpdir(), 'cairn-ui-data-'));
  const csv = ['customer_id,age,plan,churned', ...Array.from({ length: 200 }, (_, i) => `${i},${20 + (i % 50)},${['basic', 'pro', 'team'][i % 3]},${i % 4 === 0 ? 1 : 0}`)].join('\n') + '\n';
  await writeFile(join(dir, 'train.csv'), csv);
  await writeFile(join(dir, 'contract.yaml'), 'rows: { min: 100 }\ncolumns:\n  - { name: customer_id, type: integer, nullable: false, unique: true }\n  - { name: age, type: integer, min: 18, max: 60 }\n  - { name: plan, type: string, allowed: [basic, pro, team] }\n  - { name: churned, type: integer }\n');
  const env = { ...process.env, CAIRN_URL: url, CAIRN_TOKEN: token, CAIRN_HOME: join(dir, '.home') };
  const cli = (...args: string[]) => run(process.execPath, [CAIRN_BIN, ...args], { cwd: dir, env });
  await cli('data', 'add', 'train.csv', '--name', 'customers', '-m', 'first cut');
  await cli('data', 'profile', 'train.csv', '--record', 'customers@1');
  // The contract caps age at 60 and the data goes to 69: validation fails (exit 1), and is recorded.
  await cli('data', 'validate', 'train.csv', '--contract', 'contract.yaml', '--record', 'customers@1')
    .then(() => { throw new Error('validation should have failed on age > 60'); }, (e: { code?: number }) => { if (e.code !== 1) throw e; });
  await writeFile(join(dir, 'train.csv'), csv + '200,44,pro,1\n');
  await cli('data', 'add', 'train.csv', '-m', 'one more row');

  const studies = new HttpStudyClient(opts);
  const study = 'churn-sweep';
  await studies.createStudy({ name: study, directions: ['minimize'], metricNames: ['loss'], sampler: { name: 'random', options: { seed: 1 } } });
  for (let i = 0; i < 8; i++) {
    const trial = await studies.ask(study);
    const lr = await studies.suggest(study, trial.number, 'lr', { kind: 'float', low: 1e-4, high: 0.1, log: true, step: null }) as number;
    const opt = await studies.suggest(study, trial.number, 'optimizer', { kind: 'categorical', choices: ['sgd', 'adam'] });
    await studies.tell(study, trial.number, { state: 'COMPLETE', values: [Math.abs(Math.log10(lr) + 2) + (opt === 'adam' ? 0 : 0.3)] });
  }
  const data = new HttpDataClient(opts);
  await data.getVersion('customers', '2');
  return { experimentId: exp.id, runIds, runNames, model, dataset: 'customers', study };
}
