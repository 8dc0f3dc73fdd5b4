import { execFile } from 'node:child_process';

/**
 * Runs a program and returns its stdout, or null when it is missing, fails
 * or takes longer than `timeoutMs`. For probing tools (git, nvidia-smi, pip)
 * whose absence is a fact to record, not an error.
 */
export function probe(
  file: string, args: readonly string[], opts: { cwd?: string; timeoutMs?: number; maxBuffer?: number } = {},
): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, [...args], {
      cwd: opts.cwd, timeout: opts.timeoutMs ?? 15_000, maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024, encoding: 'utf8',
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    }, (err, stdout) => resolve(err ? null : stdout));
  });
}

/** Like probe, but a failure throws with git's own message. */
export function run(file: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}
