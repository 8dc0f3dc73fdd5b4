/**
 * The code version of a working folder: commit, branch, remote, the patch of
 * uncommitted changes to tracked files, and the untracked files with hashes.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { GitState, UntrackedFile } from './manifest.js';
import { stripCredentials } from './env-filter.js';
import { probe } from './exec.js';

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

/** Null when `cwd` is not inside a git work tree (or git is not installed). */
export async function captureGit(cwd: string): Promise<GitCapture | null> {
  const root = trimmed(await probe('git', ['rev-parse', '--show-toplevel'], { cwd }));
  if (root === null) return null;
  const commit = trimmed(await probe('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd }));
  const branchName = trimmed(await probe('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd }));
  const remote = trimmed(await probe('git', ['config', '--get', 'remote.origin.url'], { cwd }));
  const patch = commit === null ? null : await probe('git', ['diff', 'HEAD', '--binary', '--no-color', '--no-ext-diff'], { cwd });
  const listed = (await probe('git', ['ls-files', '--others', '--exclude-standard', '-z', '--', '.'], { cwd })) ?? '';
  const untracked: UntrackedFile[] = [];
  for (const path of listed.split('\0').filter(Boolean).sort()) {
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
    },
    patch: patch !== null && patch.length > 0 ? patch : null,
    relativeCwd: relative(root, cwd) || '.',
  };
}
