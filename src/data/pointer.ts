/**
 * The pointer file `PATH.cairn`: a few `key: value` lines committed to git
 * beside (instead of) the data, as DVC's `.dvc` files are. Keys always appear
 * in the same order, one per line, so the file is stable across runs and a
 * merge conflict is a one-line conflict.
 *
 * @example
 * # Cairn dataset pointer: commit this file; the data itself lives in the artifact store.
 * dataset: churn
 * version: 3
 * manifest: 5f1c…
 * path: data
 * kind: folder
 * files: 10000
 * size: 2147483648
 */
import { InvalidArgument } from '../core/errors.js';
import { assertDatasetName, assertEntryPath } from './domain.js';

export const POINTER_SUFFIX = '.cairn';

export interface Pointer {
  readonly dataset: string;
  readonly version: number;
  readonly manifest: string;
  /** The tracked file or folder, relative to the pointer file's folder (its base name). */
  readonly path: string;
  /** Whether `path` is one file or a folder of files. */
  readonly kind: 'file' | 'folder';
  readonly files: number;
  readonly size: number;
}

const HEADER = '# Cairn dataset pointer: commit this file; the data itself lives in the artifact store.';
const KEYS = ['dataset', 'version', 'manifest', 'path', 'kind', 'files', 'size'] as const;

export function formatPointer(p: Pointer): string {
  return `${HEADER}\n${KEYS.map((k) => `${k}: ${p[k]}`).join('\n')}\n`;
}

/** @throws InvalidArgument naming the file and the missing or bad key. */
export function parsePointer(text: string, file: string): Pointer {
  const v: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^(<<<<<<<|=======|>>>>>>>)/.test(line)) {
      throw new InvalidArgument(`pointer file ${file} has a merge conflict; keep one version's lines and run 'cairn data checkout'`);
    }
    const i = line.indexOf(':');
    if (i <= 0) throw new InvalidArgument(`pointer file ${file}: line '${line}' is not 'key: value'`);
    v[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  for (const k of KEYS) {
    if (v[k] === undefined) throw new InvalidArgument(`pointer file ${file} lacks '${k}:'; restore it from git or run 'cairn data add' again`);
  }
  const num = (k: 'version' | 'files' | 'size') => {
    const n = Number(v[k]);
    if (!/^\d+$/.test(v[k]!) || !Number.isSafeInteger(n)) throw new InvalidArgument(`pointer file ${file}: '${k}: ${v[k]}' is not a number`);
    return n;
  };
  const dataset = v.dataset!;
  assertDatasetName(dataset);
  const path = v.path!;
  assertEntryPath(path);
  if (path.includes('/')) throw new InvalidArgument(`pointer file ${file}: path '${path}' must be a name in the pointer's own folder`);
  if (!/^[0-9a-f]{64}$/.test(v.manifest!)) throw new InvalidArgument(`pointer file ${file}: manifest is not a sha256 digest`);
  const kind = v.kind;
  if (kind !== 'file' && kind !== 'folder') throw new InvalidArgument(`pointer file ${file}: kind is '${kind}', not file or folder`);
  return { dataset, version: num('version'), manifest: v.manifest!, path, kind, files: num('files'), size: num('size') };
}
