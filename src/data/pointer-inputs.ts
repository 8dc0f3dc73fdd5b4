/** `cairn run` records the dataset versions its working folder tracks through pointer files. */
import type { InputRef } from '../repro/manifest.js';
import { relative } from 'node:path';
import { findPointers, readPointer, targetOf } from './workspace/workspace.js';

/**
 * The explicit `--input`s plus one input per `*.cairn` pointer file under
 * `cwd` (name@version), skipping datasets already named explicitly.
 * @throws InvalidArgument for a damaged pointer file (a run must not silently lose an input).
 */
export function withPointerInputs(explicit: readonly InputRef[], cwd: string): InputRef[] {
  const named = new Set(explicit.map((i) => i.name));
  const out = [...explicit];
  for (const file of findPointers(cwd)) {
    const p = readPointer(file);
    if (named.has(p.dataset)) continue;
    named.add(p.dataset);
    out.push({ name: p.dataset, version: String(p.version) });
  }
  return out;
}

/**
 * The data paths, relative to `cwd`, that pointer files under `cwd` track:
 * their content is versioned, so they are no unversioned input of a run.
 * @throws InvalidArgument for a damaged pointer file.
 */
export function pointerTargets(cwd: string): string[] {
  return findPointers(cwd).map((file) => relative(cwd, targetOf(file, readPointer(file))));
}
