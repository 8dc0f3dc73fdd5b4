import { describe, expect, it } from 'vitest';
import {
  decodeManifest, diffManifests, encodeManifest, makeManifest, parseDatasetRef, parseVersionRef, validatedVersionMismatch,
  type ManifestEntry,
} from './domain.js';
import { formatPointer, parsePointer } from './pointer.js';

const d = (c: string) => c.repeat(64);
const e = (path: string, c = 'a', mode = 0o644): ManifestEntry => ({ path, size: 1, digest: d(c), mode });

describe('manifest', () => {
  it('sorts, encodes canonically and round-trips', () => {
    const m = makeManifest([e('b/x'), e('a'), e('b/a', 'c', 0o755)]);
    expect(m.entries.map((x) => x.path)).toEqual(['a', 'b/a', 'b/x']);
    const text = encodeManifest(m);
    expect(encodeManifest(makeManifest([...m.entries].reverse()))).toBe(text);
    expect(decodeManifest(text)).toEqual(m);
  });

  it('refuses duplicate and unsafe paths, and damaged text', () => {
    expect(() => makeManifest([e('a'), e('a')])).toThrow(/twice/);
    for (const p of ['../x', '/abs', 'a//b', './a', 'a\\b']) expect(() => makeManifest([e(p)])).toThrow(/clean relative path/);
    expect(() => decodeManifest('{"format":1,"files":2}\n["a",1,"' + d('a') + '",420]\n')).toThrow(/says 2 files/);
    expect(() => decodeManifest('garbage')).toThrow(/not a Cairn manifest/);
  });

  it('diffs added, removed, modified (content or mode) and unchanged', () => {
    const a = makeManifest([e('same'), e('gone'), e('edit'), e('chmod')]);
    const b = makeManifest([e('same'), e('new'), e('edit', 'b'), e('chmod', 'a', 0o755)]);
    const diff = diffManifests(a, b);
    expect(diff.added.map((x) => x.path)).toEqual(['new']);
    expect(diff.removed.map((x) => x.path)).toEqual(['gone']);
    expect(diff.modified.map((x) => x.path)).toEqual(['chmod', 'edit']);
    expect(diff.unchanged).toBe(1);
  });
});

describe('references', () => {
  it('parses version references and dataset@ref', () => {
    expect(parseVersionRef('3')).toEqual({ kind: 'number', version: 3 });
    expect(parseVersionRef('latest')).toEqual({ kind: 'latest' });
    expect(parseVersionRef('v2.3')).toEqual({ kind: 'tag', tag: 'v2.3' });
    expect(() => parseVersionRef('0')).toThrow(/positive/);
    expect(parseDatasetRef('churn@v2.3')).toEqual({ name: 'churn', ref: 'v2.3' });
    expect(parseDatasetRef('churn')).toEqual({ name: 'churn', ref: null });
  });
});

describe('pointer file', () => {
  const p = { dataset: 'churn', version: 3, manifest: d('f'), path: 'data', kind: 'folder' as const, files: 10, size: 1234 };

  it('is stable text that round-trips', () => {
    const text = formatPointer(p);
    expect(text).toBe(formatPointer({ ...p }));
    expect(text.split('\n').filter((l) => !l.startsWith('#') && l).map((l) => l.split(':')[0]))
      .toEqual(['dataset', 'version', 'manifest', 'path', 'kind', 'files', 'size']);
    expect(parsePointer(text, 'data.cairn')).toEqual(p);
  });

  it('names the problem in a damaged file', () => {
    expect(() => parsePointer('dataset: churn\n', 'x.cairn')).toThrow(/x.cairn lacks 'version:'/);
    expect(() => parsePointer(`<<<<<<< HEAD\n${formatPointer(p)}`, 'x.cairn')).toThrow(/merge conflict/);
    expect(() => parsePointer(formatPointer({ ...p, path: '../up' }), 'x.cairn')).toThrow(/clean relative path/);
  });
});

describe('validatedVersionMismatch', () => {
  it('flags evaluation on a version other than the validated one', () => {
    const validated = new Map<string, string | null>([['churn', '3'], ['fraud', null]]);
    const r = validatedVersionMismatch(
      [{ dataset: 'churn', version: '3' }, { dataset: 'churn', version: '4' }, { dataset: 'fraud', version: '1' }, { dataset: 'other', version: '1' }],
      validated);
    expect(r.map((x) => [x.dataset, x.evaluated, x.validated])).toEqual([['churn', '4', '3'], ['fraud', '1', null]]);
    expect(r[0]!.message).toMatch(/validated version is churn@3/);
  });
});
