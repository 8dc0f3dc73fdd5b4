import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServerProcess {
  readonly url: string;
  /** The child's user + system CPU time so far, in ms. */
  cpuMs(): Promise<number>;
  /** Starts the server's CPU profiler (V8's sampler, as `--cpu-prof` uses). */
  startProfile(): Promise<void>;
  /** Stops it and writes the .cpuprofile to `file`. */
  stopProfile(file: string): Promise<void>;
  /** Asks the server to close and waits for the process to exit. */
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('../server-child.js', import.meta.url));

/**
 * Starts a Cairn server (dist/bench/server-child.js) as a child process on a
 * free port. The child is killed if this process exits first.
 */
export async function startServerProcess(opts: { db: string; artifacts: string }): Promise<ServerProcess> {
  const child: ChildProcess = fork(CHILD, ['--db', opts.db, '--artifacts', opts.artifacts], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  const url = await new Promise<string>((res, rej) => {
    child.once('message', (m) => res((m as { url: string }).url));
    child.once('exit', (code) => rej(new Error(`server child exited with code ${code} before listening`)));
  });
  const ask = <T>(msg: unknown) => new Promise<T>((res) => {
    child.once('message', (m) => res(m as T));
    child.send(msg as string);
  });
  return {
    url,
    async cpuMs() {
      const { user, system } = (await ask<{ cpu: NodeJS.CpuUsage }>('cpu')).cpu;
      return (user + system) / 1000;
    },
    async startProfile() { await ask({ profile: 'start' }); },
    async stopProfile(file: string) { await ask({ profile: 'stop', file }); },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.send('close');
        const timer = setTimeout(kill, 60_000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', kill);
    },
  };
}
