import { describe, expect, it } from 'vitest';
import type { ModelVersion } from './domain.js';
import { buildLineage, evalDatasetOf, evaluatedData, formatLineage, type LineageRun } from './lineage.js';
import { renderModelCard } from './model-card.js';

const version: ModelVersion = {
  name: 'churn', version: 3, stage: 'staging', source: 'runs:/r1/model', runId: 'r1', description: null, tags: {}, aliases: [],
  artifact: { format: 'onnx', flavor: null }, signature: null, metrics: { auc: 0.91 }, author: 'alice', createdAt: 0, updatedAt: 0,
};
const run: LineageRun = {
  id: 'r1', name: 'brisk-heron-1', experimentId: '5', status: 'FINISHED', startTime: 0,
  params: { lr: '0.1' },
  tags: { 'mlflow.source.git.commit': 'abc', 'cairn.git.commit': 'def', 'cairn.seed': '42', 'cairn.env': 'python 3.12' },
  inputs: [
    { name: 'train', digest: 't1', source: 'train.csv', context: 'training' },
    { name: 'holdout', digest: 'h1', source: 'holdout.csv', context: 'evaluation' },
  ],
};

describe('lineage', () => {
  it("reads code, data, seed and environment from the run, Cairn's tags before MLflow's", () => {
    const l = buildLineage(version, run, [{ version: 3, from: 'development', to: 'staging', kind: 'transition', actor: 'alice', reason: null, override: false, at: 0 }]);
    expect(l.code.commit).toBe('def');
    expect(l.run).toMatchObject({ seed: '42', environment: 'python 3.12' });
    expect(l.data.map((d) => d.name)).toEqual(['train', 'holdout']);
    const lines = formatLineage(l, () => 'T');
    expect(lines.map((x) => x.split(' ')[0])).toEqual(['code', 'data', 'data', 'run', 'version', 'stages']);
    expect(lines.at(-1)).toBe('stages   T  development → staging  transition  by alice');
  });

  it('says what is missing when there is no run', () => {
    const l = buildLineage({ ...version, runId: null }, null, []);
    expect(formatLineage(l, () => 'T')).toEqual([
      'code     (no commit recorded)', 'data     (no dataset inputs recorded)', 'run      (no source run)',
      'version  churn v3  staging  onnx  runs:/r1/model  auc=0.91', 'stages   (never moved)',
    ]);
  });

  it("takes the evaluation dataset version from the version's tag, else the run's evaluation input", () => {
    expect(evalDatasetOf(version, run)).toBe('holdout@h1');
    expect(evalDatasetOf({ ...version, tags: { 'cairn.eval.dataset': 'gold@9' } }, run)).toBe('gold@9');
    expect(evalDatasetOf(version, null)).toBeNull();
  });

  it('lists every evaluated version (tag first) and flags only evaluation inputs named by a flag', () => {
    expect(evaluatedData({ ...version, tags: { 'cairn.eval.dataset': 'gold@9' } }, run)).toEqual([
      { dataset: 'gold', version: '9' }, { dataset: 'holdout', version: 'h1' },
    ]);
    const flags = [{ dataset: 'holdout', version: 'h1', message: 'evaluated on holdout@h1, but the validated version is holdout@h2' },
      { dataset: 'train', version: 't1', message: 'not an evaluation input' }];
    const l = buildLineage(version, run, [], flags);
    expect(l.data.map((d) => d.flag)).toEqual([null, flags[0]!.message]);
    expect(formatLineage(l, () => 'T')[2]).toBe(
      'data     holdout@h1  evaluation  holdout.csv  FLAGGED: evaluated on holdout@h1, but the validated version is holdout@h2');
  });

  it('renders a model card from lineage, metrics, intended use and limitations', () => {
    const md = renderModelCard(buildLineage(version, run, []), { intendedUse: 'scoring', limitations: null });
    expect(md).toMatch(/^# churn v3\n/);
    expect(md).toContain('## Intended use\n\nscoring\n');
    expect(md).toContain('## Limitations\n\n_Not stated yet._\n');
    expect(md).toContain('| auc | 0.91 |');
    expect(md).toContain('- Data (evaluation): holdout@h1');
    expect(md).toContain('seed 42');
  });
});
