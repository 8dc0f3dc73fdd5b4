import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withPointerInputs } from './pointer-inputs.js';
import { formatPointer } from './pointer.js';

const pointer = (dataset: string, version: number) => formatPointer({
  dataset, version, manifest: 'a'.repeat(64), path: 'data', kind: 'folder', files: 1, size: 1,
});

describe('withPointerInputs', () => {
  let dir: string;
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('adds name@version for each pointer file below the working folder, explicit inputs first', async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-pointers-'));
    await mkdir(join(dir, 'sub'));
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, 'data.cairn'), pointer('churn', 3));
    await writeFile(join(dir, 'sub', 'eval.csv.cairn'), pointer('holdout', 7));
    await writeFile(join(dir, 'sub', 'again.cairn'), pointer('churn', 1));
    await writeFile(join(dir, '.git', 'ignored.cairn'), pointer('hidden', 1));
    expect(withPointerInputs([{ name: 'extra', version: '2' }], dir)).toEqual([
      { name: 'extra', version: '2' }, { name: 'churn', version: '3' }, { name: 'holdout', version: '7' },
    ]);
    expect(withPointerInputs([{ name: 'churn', version: '9' }], dir).filter((i) => i.name === 'churn')).toEqual([{ name: 'churn', version: '9' }]);
    expect(withPointerInputs([], join(dir, 'sub'))).toEqual([{ name: 'churn', version: '1' }, { name: 'holdout', version: '7' }]);
  });

  it("gives an explicit input without a version its pointer's version, keeping its context", () => {
    expect(withPointerInputs([{ name: 'holdout', version: null, context: 'evaluation' }, { name: 'other', version: null }], dir)).toEqual([
      { name: 'holdout', version: '7', context: 'evaluation' }, { name: 'other', version: null }, { name: 'churn', version: '3' },
    ]);
  });

  it('refuses a damaged pointer file with its name', async () => {
    await writeFile(join(dir, 'broken.cairn'), 'dataset: x\n');
    expect(() => withPointerInputs([], dir)).toThrow(/broken.cairn lacks 'version:'/);
  });
});
