/**
 * Runs the pytest suite in test/compat under each pinned MLflow client
 * (venvs made by setup.sh) against the built Cairn server. Fails, never
 * skips, when python, pip or mlflow are missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server-process.js';

const CLIENTS = ['venv-mlflow2', 'venv-mlflow3'] as const;

function run(cmd: string, args: string[], timeoutMs: number): { status: number | null; output: string } {
  const r = spawnSync(cmd, args, {
    cwd: ROOT, encoding: 'utf8', timeout: timeoutMs,
    env: { ...process.env, CAIRN_NODE: process.execPath, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` },
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

describe('the real mlflow client against Cairn', () => {
  it('finds a build of the server no older than src/mlflow', () => {
    const built = join(ROOT, 'dist', 'src', 'mlflow', 'routes.js');
    expect(existsSync(built), 'no build of the server: run `npm run build` (npm test does)').toBe(true);
    const newest = Math.max(...readdirSync(join(ROOT, 'src', 'mlflow')).map((f) => statSync(join(ROOT, 'src', 'mlflow', f)).mtimeMs));
    expect(statSync(built).mtimeMs >= newest, 'the build is older than src/mlflow: run `npm run build`').toBe(true);
  });

  it('sets up one venv per pinned client', () => {
    const r = run('bash', [join(ROOT, 'test', 'compat', 'setup.sh')], 600_000);
    if (r.status !== 0) console.error(r.output);
    expect(r.status, 'test/compat/setup.sh failed (python3, venv and pip are needed)').toBe(0);
  }, 600_000);

  for (const venv of CLIENTS) {
    it(`passes the pytest suite under ${venv}`, () => {
      const python = join(ROOT, '.cairn', venv, 'bin', 'python');
      const r = run(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-p', 'no:warnings', join(ROOT, 'test', 'compat')], 180_000);
      if (r.status !== 0) console.error(r.output);
      expect(r.status, `pytest under ${venv} failed; its output is above`).toBe(0);
    }, 180_000);
  }
});
