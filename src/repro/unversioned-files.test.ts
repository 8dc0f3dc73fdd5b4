import { describe, expect, it } from 'vitest';
import { isCacheFile, isCoveredBy, unversionedFiles } from './unversioned-files.js';

describe('unversioned files', () => {
  it('treats tool caches as no input, at any depth', () => {
    for (const p of ['__pycache__/m.cpython-312.pyc', 'src/__pycache__/', 'node_modules/x/index.js', '.venv/bin/python',
      '.cairn/cache/ab/cd', 'lib/model.pyc', 'pkg.egg-info/PKG-INFO', '.DS_Store', 'sub/.ipynb_checkpoints/a.ipynb']) {
      expect(isCacheFile(p), p).toBe(true);
    }
    for (const p of ['data.csv', 'data/', 'venvs.txt', 'my_pycache/a.csv', 'model.pt', 'notes.pyc.txt']) expect(isCacheFile(p), p).toBe(false);
  });

  it('treats pointer-tracked data as versioned, file or folder', () => {
    expect(isCoveredBy('data.csv', ['data.csv'])).toBe(true);
    expect(isCoveredBy('data/part-1.csv', ['data'])).toBe(true);
    expect(isCoveredBy('data/', ['data'])).toBe(true);
    expect(isCoveredBy('data2/x.csv', ['data'])).toBe(false);
    expect(isCoveredBy('data.csv.bak', ['data.csv'])).toBe(false);
  });

  it('keeps only what may be an unversioned input', () => {
    expect(unversionedFiles(['data.csv', 'raw/a.csv', 'tracked/x', '__pycache__/t.pyc', 'model.pt'], ['tracked']))
      .toEqual(['data.csv', 'raw/a.csv', 'model.pt']);
  });
});
