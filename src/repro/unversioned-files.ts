/**
 * Which files in a run's working folder count as unversioned inputs: files
 * git does not track (untracked or git-ignored), less those whose content is
 * versioned elsewhere (data tracked by a `*.cairn` pointer file) and the
 * caches that tools write (`__pycache__`, `node_modules`, virtual
 * environments, Cairn's own `.cairn/`). Pure: paths in, paths out.
 */

/** Folders that hold tool caches or installed packages, never training data, at any depth. */
export const CACHE_FOLDERS: ReadonlySet<string> = new Set([
  '.git', '.cairn', '__pycache__', 'node_modules', '.venv', 'venv', '.mypy_cache', '.pytest_cache', '.ruff_cache',
  '.ipynb_checkpoints', '.tox', '.nox', '.idea', '.vscode',
]);

const CACHE_FILE = /(\.py[co]|^\.DS_Store)$/;

/** True for a path (relative, '/'-separated; a folder may end in '/') inside a cache folder, or a compiled-Python file. */
export function isCacheFile(path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  if (parts.some((p) => CACHE_FOLDERS.has(p) || p.endsWith('.egg-info'))) return true;
  return !path.endsWith('/') && CACHE_FILE.test(parts[parts.length - 1] ?? '');
}

/** True when `path` is one of `targets` or lies inside one (all relative to the same folder). */
export function isCoveredBy(path: string, targets: readonly string[]): boolean {
  const p = path.replace(/\/+$/, '');
  return targets.some((t) => p === t || p.startsWith(`${t}/`));
}

/** The paths that are neither cache files nor covered by `versioned` (pointer-tracked data). */
export function unversionedFiles(paths: readonly string[], versioned: readonly string[]): string[] {
  return paths.filter((p) => !isCacheFile(p) && !isCoveredBy(p, versioned));
}
