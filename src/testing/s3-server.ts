import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { InvalidState } from '../core/errors.js';

export interface S3Server {
  /** e.g. 'http://127.0.0.1:41234'; use path-style addressing and any credentials. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface StartS3ServerOptions {
  /** Python interpreter that has moto installed; default 'python3'. */
  readonly python?: string;
  /** How long to wait for the server to answer; default 30 s. */
  readonly startTimeoutMs?: number;
}

const INSTALL_HINT = "install it with: pip install 'moto[server]'";

/**
 * Starts a real S3-compatible server — moto's standalone server — as a child
 * process on a free loopback port, and resolves once it answers HTTP. State
 * lives in the process's memory, so every server starts empty.
 *
 * @throws InvalidState when moto cannot be imported, so that S3 tests fail
 *   (never skip) on a machine without it.
 */
export async function startS3Server(opts: StartS3ServerOptions = {}): Promise<S3Server> {
  const python = opts.python ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    const why = probe.error?.message ?? (probe.stderr.trim().split('\n').at(-1) || `exit ${probe.status}`);
    throw new InvalidState(`the S3 test server needs moto, which ${python} cannot import (${why}); ${INSTALL_HINT}`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(python, port, opts.startTimeoutMs ?? 30_000);
    } catch (err) {
      lastError = err; // most likely another process took the port in between
    }
  }
  throw lastError;
}

async function launch(python: string, port: number, timeoutMs: number): Promise<S3Server> {
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await terminate(child);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new InvalidState(`moto server exited (${child.exitCode ?? child.signalCode}) before answering: ${stderr.trim()}`);
    }
    try {
      const res = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status < 500) return { endpoint, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new InvalidState(`moto server did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr.trim()}`);
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
