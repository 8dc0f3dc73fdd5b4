/**
 * `cairn run` output capture: the command writes a lot to stdout (default
 * 1 GiB) and Cairn streams it to the terminal (here /dev/null) and into the
 * log artifact. Reports the wall time beside the shell's way of keeping a log
 * (`python3 writer.py | tee out.log`) in the same run, and the peak memory of the `cairn run` process for a small and a
 * large output, which should be the same: memory stays flat.
 *
 *   npm run build && node dist/bench/run-capture.js [--mib 1024]
 */
import { execFileSync, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmtInt, printMachine, printTable, writeResult } from './lib/bench-report.js';
import { startServerProcess } from './lib/server-process.js';
import { withTempDir } from './lib/temp-dir.js';

const BIN = resolve(fileURLToPath(new URL('../../bin/cairn.js', import.meta.url)));
const WRITER = `
import sys
mib = int(sys.argv[1])
line = (b"x" * 1023) + b"\\n"
block = line * 1024
out = sys.stdout.buffer
for _ in range(mib):
    out.write(block)
`;

interface Measured { readonly seconds: number; readonly peakRssMiB: number | null }

/** Runs a process with stdout and stderr to /dev/null, sampling its peak RSS (VmHWM) until it exits. */
async function measure(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Measured> {
  const devnull = openSync('/dev/null', 'w');
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', devnull, devnull] });
  let peak: number | null = null;
  const timer = setInterval(() => {
    void readFile(`/proc/${child.pid}/status`, 'utf8').then((s) => {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(s)?.[1]);
      if (Number.isFinite(kb)) peak = Math.max(peak ?? 0, kb / 1024);
    }, () => undefined);
  }, 20);
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  clearInterval(timer);
  closeSync(devnull);
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}`);
  return { seconds: (performance.now() - t0) / 1000, peakRssMiB: peak === null ? null : Math.round(peak * 10) / 10 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mib: { type: 'string', default: '1024' } } });
  const mib = Number(values.mib);
  printMachine();
  await withTempDir('cairn-bench-run-', async (dir) => {
    const server = await startServerProcess({ db: join(dir, 'cairn.db'), artifacts: join(dir, 'artifacts') });
    try {
      const repo = join(dir, 'repo');
      execFileSync('mkdir', ['-p', repo]);
      await writeFile(join(repo, 'writer.py'), WRITER);
      execFileSync('git', ['init', '-q'], { cwd: repo });
      execFileSync('git', ['add', '.'], { cwd: repo });
      execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'w'], { cwd: repo });
      const env = { ...process.env, CAIRN_URL: server.url };
      const bare = await measure('sh', ['-c', `python3 writer.py ${mib} | tee ${join(dir, 'tee.log')}`], repo, env);
      const wrapped = await measure(process.execPath, [BIN, 'run', '--', 'python3', 'writer.py', String(mib)], repo, env);
      const small = await measure(process.execPath, [BIN, 'run', '--', 'python3', 'writer.py', '8'], repo, env);
      const startup = await measure(process.execPath, [BIN, 'run', '--', 'true'], repo, env);
      const rows = [
        ['python3 writer.py | tee out.log', `${mib} MiB`, `${bare.seconds.toFixed(2)} s`, '-'],
        ['cairn run (terminal + log + upload)', `${mib} MiB`, `${wrapped.seconds.toFixed(2)} s`, `${wrapped.peakRssMiB} MiB`],
        ['cairn run (terminal + log + upload)', '8 MiB', `${small.seconds.toFixed(2)} s`, `${small.peakRssMiB} MiB`],
        ['cairn run -- true (capture overhead)', '0', `${startup.seconds.toFixed(2)} s`, `${startup.peakRssMiB} MiB`],
      ];
      printTable(['what', 'output', 'wall', 'peak RSS of cairn'], rows);
      console.log(`throughput through cairn run: ${fmtInt((mib / wrapped.seconds))} MiB/s`);
      const file = writeResult('run-capture', {
        outputMiB: mib, teeSeconds: bare.seconds, wrappedSeconds: wrapped.seconds, wrappedPeakRssMiB: wrapped.peakRssMiB,
        smallOutputPeakRssMiB: small.peakRssMiB, captureOverheadSeconds: startup.seconds,
      });
      console.log(`wrote ${file}`);
    } finally {
      await server.stop();
    }
  });
}

await main();
