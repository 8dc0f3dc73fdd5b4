/** `cairn run` records the dataset versions its working folder tracks through pointer files. */
import type { InputRef } from '../repro/manifest.js';
import { relative } from 'node:path';
import { findPointers, readPointer, targetOf } from './workspace/workspace.js';

/**
 * The explicit `--input`s and `--eval-input`s plus one input per `*.cairn`
 * pointer file under `cwd` (name@version), skipping datasets already named
 * explicitly. An explicit input without a version takes its pointer's version
 * (the first pointer found for that dataset), keeping its context.
 * @throws InvalidArgument for a damaged pointer file (a run must not silently lose an input).
 */
export function withPointerInputs(explicit: readonly InputRef[], cwd: string): InputRef[] {
  const pointed = new Map<string, string>();
  for (const file of findPointers(cwd)) {
    const p = readPointer(file);
    if (!pointed.has(p.dataset)) pointed.set(p.dataset, String(p.version));
  }
  const named = new Set(explicit.map((i) => i.name));
  const out = explicit.map((i) => (i.version === null && pointed.has(i.name) ? { ...i, version: pointed.get(i.name)! } : i));
  for (const [dataset, version] of pointed) if (!named.has(dataset)) out.push({ name: dataset, version });
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
