/**
 * The machine and software a run ran on: OS, CPU, memory, GPUs (from
 * nvidia-smi when present), Node and Python versions, and the package set.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import type { GpuInfo, MachineInfo, PackageSet } from './manifest.js';
import { probe } from './exec.js';
import { parseCudaVersion, parseGpuInventory } from './nvidia-smi.js';

export async function captureMachine(): Promise<MachineInfo> {
  const cpuList = cpus();
  const gpus: GpuInfo[] = [];
  let cudaVersion: string | null = null;
  const csv = await probe('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader,nounits'], { timeoutMs: 10_000 });
  if (csv !== null) {
    gpus.push(...parseGpuInventory(csv));
    const banner = await probe('nvidia-smi', [], { timeoutMs: 10_000 });
    cudaVersion = banner === null ? null : parseCudaVersion(banner);
  }
  return {
    os: platform(),
    release: release(),
    arch: arch(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCores: cpuList.length,
    memoryBytes: totalmem(),
    gpus,
    cudaVersion,
  };
}

/** The Python interpreter a command will use: its own argv[0] when it is one, else python3. */
export function pythonFor(command: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  const first = command[0] ?? '';
  if (/^python[\d.]*$/.test(basename(first))) return first;
  if (env.VIRTUAL_ENV) return join(env.VIRTUAL_ENV, 'bin', 'python');
  return 'python3';
}

export interface RuntimeCapture {
  readonly node: string | null;
  readonly python: string | null;
  readonly packages: PackageSet;
  /** `pip freeze` output, stored as an artifact when present. */
  readonly freeze: string | null;
}

const sha256 = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');
const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock', 'npm-shrinkwrap.json'];

/** The interpreter's package set: `pip freeze`, else `uv pip freeze`, else `conda list --export`. */
async function pythonPackages(python: string): Promise<{ tool: string; text: string } | null> {
  const tries: [string, string, string[]][] = [
    ['pip', python, ['-m', 'pip', 'freeze', '--disable-pip-version-check']],
    ['uv', 'uv', ['pip', 'freeze', '--python', python]],
    ['conda', 'conda', ['list', '--export']],
  ];
  for (const [tool, file, args] of tries) {
    const text = await probe(file, args, { timeoutMs: 60_000 });
    if (text !== null) return { tool, text };
  }
  return null;
}

export async function captureRuntimes(python: string, folders: readonly string[]): Promise<RuntimeCapture> {
  const [nodeOut, pyOut] = await Promise.all([
    probe('node', ['--version']),
    probe(python, ['-c', 'import sys; print(".".join(map(str, sys.version_info[:3])))']),
  ]);
  const pythonVersion = pyOut?.trim() || null;
  const set = pythonVersion === null ? null : await pythonPackages(python);
  const freeze = set?.text ?? null;
  let node: PackageSet['node'] = null;
  search: for (const dir of folders) {
    for (const name of LOCKFILES) {
      const bytes = await readFile(join(dir, name)).catch(() => null);
      if (bytes) {
        node = { lockfile: name, sha256: sha256(bytes) };
        break search;
      }
    }
  }
  const lines = freeze?.split('\n').filter((l) => l.trim() && !l.startsWith('#')) ?? [];
  return {
    node: nodeOut?.trim().replace(/^v/, '') || null,
    python: pythonVersion,
    packages: {
      python: set === null ? null : { tool: set.tool, count: lines.length, sha256: sha256(set.text) },
      node,
    },
    freeze,
  };
}
