/**
 * The code version of a working folder: commit, branch, remote, the patch of
 * uncommitted changes to tracked files, the untracked files with hashes and
 * the git-ignored files with sizes. Files a run cannot have taken as input
 * (tool caches, data versioned by pointer files) are left out of both lists;
 * see `unversioned-files.ts`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { MAX_LISTED_IGNORED, type GitState, type IgnoredFiles, type UntrackedFile } from './manifest.js';
import { stripCredentials } from './env-filter.js';
import { probe } from './exec.js';
import { unversionedFiles } from './unversioned-files.js';

export interface GitCapture {
  readonly state: GitState;
  /** `git diff HEAD --binary`; null when the tree is clean. */
  readonly patch: string | null;
  /** The working folder relative to the repository root ('.' at the root). */
  readonly relativeCwd: string;
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const trimmed = (s: string | null): string | null => (s === null || s.trim() === '' ? null : s.trim());

const nulList = (s: string | null): string[] => (s ?? '').split('\0').filter(Boolean);

/**
 * Ignored files under `cwd`. Whole ignored folders come back from git as one
 * entry, so cache folders (node_modules, .venv) are dropped without being
 * walked; the other folders are then listed file by file.
 */
async function ignoredFiles(cwd: string, versioned: readonly string[]): Promise<IgnoredFiles> {
  const ignored = ['ls-files', '--others', '--ignored', '--exclude-standard', '-z'];
  const top = unversionedFiles(nulList(await probe('git', [...ignored, '--directory', '--no-empty-directory', '--', '.'], { cwd })), versioned);
  const folders = top.filter((p) => p.endsWith('/'));
  const inner = folders.length === 0 ? [] : unversionedFiles(nulList(await probe('git', [...ignored, '--', ...folders], { cwd })), versioned);
  const all = [...top.filter((p) => !p.endsWith('/')), ...inner].sort();
  const files: { path: string; size: number }[] = [];
  for (const path of all.slice(0, MAX_LISTED_IGNORED)) {
    const st = await stat(join(cwd, path)).catch(() => null);
    if (st?.isFile()) files.push({ path, size: st.size });
  }
  return { files, total: all.length };
}

/**
 * Null when `cwd` is not inside a git work tree (or git is not installed).
 * `versioned`: data paths (relative to `cwd`) whose content pointer files version.
 */
export async function captureGit(cwd: string, versioned: readonly string[] = []): Promise<GitCapture | null> {
  const root = trimmed(await probe('git', ['rev-parse', '--show-toplevel'], { cwd }));
  if (root === null) return null;
  const commit = trimmed(await probe('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd }));
  const branchName = trimmed(await probe('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd }));
  const remote = trimmed(await probe('git', ['config', '--get', 'remote.origin.url'], { cwd }));
  const patch = commit === null ? null : await probe('git', ['diff', 'HEAD', '--binary', '--no-color', '--no-ext-diff'], { cwd });
  const listed = nulList(await probe('git', ['ls-files', '--others', '--exclude-standard', '-z', '--', '.'], { cwd }));
  const untracked: UntrackedFile[] = [];
  for (const path of unversionedFiles(listed, versioned).sort()) {
    const abs = join(cwd, path);
    const st = await stat(abs).catch(() => null);
    if (!st?.isFile()) continue;
    untracked.push({ path, size: st.size, sha256: await sha256File(abs) });
  }
  return {
    state: {
      root,
      commit,
      branch: branchName === 'HEAD' ? null : branchName,
      remote: remote === null ? null : stripCredentials(remote),
      dirty: patch !== null && patch.length > 0,
      untracked,
      ignored: await ignoredFiles(cwd, versioned),
    },
    patch: patch !== null && patch.length > 0 ? patch : null,
    relativeCwd: relative(root, cwd) || '.',
  };
}
