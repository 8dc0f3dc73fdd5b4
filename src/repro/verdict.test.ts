import { describe, expect, it } from 'vitest';
import type { RunManifest } from './manifest.js';
import {
  compareMetrics, decideVerdict, parseMetricTolerance, parseTolerance, reproBlockers, type MetricComparison,
} from './verdict.js';
import { environmentDiff, packageDiff, parseFreeze } from './environment-diff.js';
import { checkReproducibility } from './reproducibility-checks.js';

const manifest = (over: Partial<RunManifest> = {}): RunManifest => ({
  format: 1,
  command: ['python', 'train.py'],
  cwd: '.',
  params: {},
  seed: '1',
  inputs: [],
  git: { root: '/r', commit: 'abc123', branch: 'main', remote: null, dirty: false, untracked: [] },
  env: {},
  machine: { os: 'linux', release: '6', arch: 'x64', cpuModel: 'Xeon', cpuCores: 2, memoryBytes: 2 ** 34, gpus: [], cudaVersion: null },
  runtimes: { node: '24.0.0', python: '3.11.7' },
  packages: { python: { tool: 'pip', count: 1, sha256: 'aa' }, node: null },
  ...over,
});

describe('tolerances', () => {
  it('parses relative, absolute and per-metric forms', () => {
    expect(parseTolerance('0.01')).toEqual({ abs: 0, rel: 0.01 });
    expect(parseTolerance('rel:0.5')).toEqual({ abs: 0, rel: 0.5 });
    expect(parseTolerance('abs:1e-3')).toEqual({ abs: 0.001, rel: 0 });
    expect(parseMetricTolerance('val/loss=abs:0.1')).toEqual(['val/loss', { abs: 0.1, rel: 0 }]);
    expect(() => parseTolerance('-1')).toThrow(/not a number ≥ 0/);
    expect(() => parseTolerance('abs:')).toThrow(/not a number/);
    expect(() => parseMetricTolerance('loss')).toThrow(/key=tolerance/);
  });

  it('compares within tolerance, per metric, ignoring system metrics and treating NaN as equal to NaN', () => {
    const c = compareMetrics(
      { acc: 0.9, loss: 0.1, nan: NaN, gone: 1, 'system/rss_mb': 10 },
      { acc: 0.9 + 1e-12, loss: 0.1005, nan: NaN, extra: 2, 'system/rss_mb': 99 },
      { abs: 0, rel: 1e-9 }, new Map([['loss', { abs: 0.001, rel: 0 }]]),
    );
    expect(c).toEqual([
      { key: 'acc', original: 0.9, reproduced: 0.9 + 1e-12, ok: true },
      { key: 'extra', original: null, reproduced: 2, ok: false },
      { key: 'gone', original: 1, reproduced: null, ok: false },
      { key: 'loss', original: 0.1, reproduced: 0.1005, ok: true },
      { key: 'nan', original: NaN, reproduced: NaN, ok: true },
    ]);
    expect(compareMetrics({ a: 1 }, { a: 1.02 }, { abs: 0, rel: 0.01 })[0]?.ok).toBe(false);
    expect(compareMetrics({ a: 1 }, { a: 1.005 }, { abs: 0, rel: 0.01 })[0]?.ok).toBe(true);
  });
});

describe('decideVerdict', () => {
  const ok: MetricComparison = { key: 'acc', original: 1, reproduced: 1, ok: true };
  const bad: MetricComparison = { key: 'acc', original: 1, reproduced: 0.5, ok: false };
  const base = { original: manifest(), rerun: manifest(), originalStatus: 'FINISHED', rerunStatus: 'FINISHED' };

  it('REPRODUCED when the status and every metric match and no metadata was missing', () => {
    expect(decideVerdict({ ...base, comparisons: [ok] })).toEqual({ verdict: 'REPRODUCED', reasons: [] });
  });

  it('DIVERGED with the metric and the difference when all metadata was there', () => {
    expect(decideVerdict({ ...base, comparisons: [bad] })).toEqual({ verdict: 'DIVERGED', reasons: ['acc: 1 → 0.5 (Δ -0.500)'] });
    expect(decideVerdict({ ...base, rerunStatus: 'KILLED', comparisons: [ok] })).toEqual({ verdict: 'DIVERGED', reasons: ['status: FINISHED → KILLED'] });
  });

  it('NOT REPRODUCIBLE when no seed was recorded, even when the results matched', () => {
    for (const comparisons of [[ok], [bad]]) {
      const r = decideVerdict({ ...base, original: manifest({ seed: null }), comparisons });
      expect(r.verdict).toBe('NOT REPRODUCIBLE');
      expect(r.reasons[0]).toMatch(/^no seed was recorded; pass --seed/);
    }
    expect(decideVerdict({ ...base, original: manifest({ seed: null }), comparisons: [bad] }).reasons).toContain('acc: 1 → 0.5 (Δ -0.500)');
  });

  it('NOT REPRODUCIBLE when the environment changed, with the diff, even when the results matched', () => {
    const runtime = decideVerdict({ ...base, rerun: manifest({ runtimes: { node: '24.0.0', python: '3.12.1' } }), comparisons: [ok] });
    expect(runtime).toEqual({ verdict: 'NOT REPRODUCIBLE', reasons: ['environment changed: Python 3.11.7 → 3.12.1'] });
    const hardware = decideVerdict({ ...base, rerun: manifest({ machine: { ...manifest().machine, cpuModel: 'EPYC' } }), comparisons: [ok] });
    expect(hardware.reasons).toEqual(['environment changed: CPU Xeon → EPYC']);
    const packages = decideVerdict({
      ...base,
      original: manifest({ packages: { python: { tool: 'pip', count: 1, sha256: 'aa' }, node: null } }),
      rerun: manifest({ packages: { python: { tool: 'pip', count: 1, sha256: 'bb' }, node: null } }),
      originalPackages: 'numpy==1.26.0\nscipy==1.0\n',
      rerunPackages: 'numpy==2.0.0\nscipy==1.0\ntorch==2.1.0\n',
      comparisons: [bad],
    });
    expect(packages).toEqual({
      verdict: 'NOT REPRODUCIBLE',
      reasons: ['environment changed: package numpy 1.26.0 → 2.0.0', 'environment changed: package torch 2.1.0 added', 'acc: 1 → 0.5 (Δ -0.500)'],
    });
  });

  it('NOT REPRODUCIBLE, quoting stderr, when the rerun failed where the original finished', () => {
    const r = decideVerdict({ ...base, rerunStatus: 'FAILED', comparisons: [ok], rerunStderrTail: 'Traceback\nFileNotFoundError: data.csv\n' });
    expect(r.verdict).toBe('NOT REPRODUCIBLE');
    expect(r.reasons[0]).toMatch(/^the rerun FAILED where the original FINISHED.*stderr ended: Traceback ⏎ FileNotFoundError: data\.csv$/);
    expect(r.reasons[1]).toBe('status: FINISHED → FAILED');
  });

  it('NOT REPRODUCIBLE when the original logged no metrics', () => {
    expect(decideVerdict({ ...base, comparisons: [] }).reasons).toEqual([expect.stringMatching(/logged no metrics/)]);
  });
});

describe('reproBlockers and checks', () => {
  it('names missing commits, untracked files and unversioned inputs', () => {
    expect(reproBlockers(manifest())).toEqual([]);
    expect(reproBlockers(manifest({ git: null }))[0]).toMatch(/not started inside a git repository/);
    const untracked = Array.from({ length: 12 }, (_, i) => ({ path: `f${i}.csv`, size: 1, sha256: 'x' }));
    const m = manifest({
      git: { root: '/r', commit: null, branch: null, remote: null, dirty: false, untracked },
      inputs: [{ name: 'churn', version: null }, { name: 'ok', version: 'v1' }],
    });
    const b = reproBlockers(m);
    expect(b[0]).toMatch(/no commit/);
    expect(b[1]).toMatch(/f0\.csv, f1\.csv.*f9\.csv and 2 more/);
    expect(b[2]).toMatch(/without a dataset version: churn;/);
    const ignored = reproBlockers(manifest({
      git: { ...manifest().git!, ignored: { files: [{ path: 'data.csv', size: 8 }], total: 1 } },
    }));
    expect(ignored).toEqual([expect.stringMatching(/git-ignored files that the run may have read: data\.csv; version them as a dataset/)]);
    expect(reproBlockers(manifest({ git: { ...manifest().git!, ignored: { files: [], total: 0 } } }))).toEqual([]);
  });

  it('answers the five questions with reasons', () => {
    expect(checkReproducibility(manifest()).map((a) => a.ok)).toEqual([true, true, true, true, true]);
    const weak = checkReproducibility(manifest({ seed: null, packages: { python: null, node: null }, inputs: [{ name: 'd', version: null }] }));
    expect(weak.map((a) => a.ok)).toEqual([false, false, false, false, true]);
    expect(weak[3]?.reason).toMatch(/pass --seed/);
    const none = checkReproducibility(null);
    expect(none.every((a) => !a.ok && /not started with 'cairn run'/.test(a.reason))).toBe(true);
  });
});

describe('environment diff', () => {
  it('parses pip freeze, including direct references, and diffs package sets', () => {
    expect([...parseFreeze('# comment\nNumPy==1.0\nmy_pkg @ file:///x\n-e git+https://h/r#egg=r\n')]).toEqual([
      ['numpy', '1.0'], ['my-pkg', 'file:///x'], ['-e git+https://h/r#egg=r', ''],
    ]);
    expect(packageDiff('a==1\nb==2\n', 'a==1\nc==3\n')).toEqual(['b 2 removed', 'c 3 added']);
  });

  it('reports runtime and hardware changes', () => {
    const other = manifest({
      runtimes: { node: '22.1.0', python: '3.11.7' },
      machine: { ...manifest().machine, cpuCores: 8, gpus: [{ name: 'H100', driver: '550', memoryMb: 80000 }], cudaVersion: '12.4' },
    });
    expect(environmentDiff(manifest(), other, null, null)).toEqual([
      'Node 24.0.0 → 22.1.0', 'CPU cores 2 → 8', 'GPUs none → H100 (driver 550)', 'CUDA none → 12.4',
    ]);
  });
});
