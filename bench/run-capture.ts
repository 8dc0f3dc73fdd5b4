/**
 * `cairn run` output capture: the command writes a lot to stdout and Cairn
 * streams it to the terminal (here /dev/null) and into the log artifact.
 * For each output size (default 8, 256 and 1024 MiB) it reports the wall time
 * beside the shell's way of keeping a log (`python3 writer.py | tee out.log`)
 * in the same run, and the peak memory of the `cairn run` process, which
 * should not grow with the output: memory stays flat.
 *
 *   npm run build && node dist/bench/run-capture.js [--mib 8,256,1024]
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

/** `8,256,1024` → [8, 256, 1024]; each a whole number of MiB from 1 to 65536. */
function parseSizes(spec: string): number[] {
  const sizes = spec.split(',').map((x) => Number(x.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 65536)) {
    throw new Error(`--mib '${spec}' is not a list of whole MiB from 1 to 65536; write e.g. --mib 8,256,1024`);
  }
  return sizes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mib: { type: 'string', default: '8,256,1024' } } });
  const sizes = parseSizes(values.mib);
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
      const startup = await measure(process.execPath, [BIN, 'run', '--', 'true'], repo, env);
      const results = [];
      for (const mib of sizes) {
        const tee = await measure('sh', ['-c', `python3 writer.py ${mib} | tee ${join(dir, 'tee.log')}`], repo, env);
        const wrapped = await measure(process.execPath, [BIN, 'run', '--', 'python3', 'writer.py', String(mib)], repo, env);
        results.push({
          outputMiB: mib, teeSeconds: tee.seconds, wrappedSeconds: wrapped.seconds, wrappedPeakRssMiB: wrapped.peakRssMiB,
          wrappedMiBPerSecond: mib / wrapped.seconds,
        });
      }
      const size = (mib: number) => (mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`);
      printTable(['what', 'output', 'wall', 'peak RSS of cairn'], [
        ...results.flatMap((r) => [
          ['python3 writer.py | tee out.log', size(r.outputMiB), `${r.teeSeconds.toFixed(2)} s`, '-'],
          ['cairn run (terminal + log + upload)', size(r.outputMiB), `${r.wrappedSeconds.toFixed(2)} s`, `${r.wrappedPeakRssMiB} MiB`],
        ]),
        ['cairn run -- true (capture overhead)', '0', `${startup.seconds.toFixed(2)} s`, `${startup.peakRssMiB} MiB`],
      ]);
      for (const r of results) console.log(`throughput through cairn run at ${size(r.outputMiB)}: ${fmtInt(r.wrappedMiBPerSecond)} MiB/s`);
      const file = writeResult('run-capture', {
        sizes: results, captureOverheadSeconds: startup.seconds, captureOverheadPeakRssMiB: startup.peakRssMiB,
      });
      console.log(`wrote ${file}`);
    } finally {
      await server.stop();
    }
  });
}

await main();
