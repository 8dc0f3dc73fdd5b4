/**
 * What differs between the environments of two runs: runtimes, packages and
 * hardware. Pure: takes manifests and the stored `pip freeze` texts.
 */
import type { MachineInfo, RunManifest } from './manifest.js';

/** `pip freeze` lines → name (lower case) → version or requirement. */
export function parseFreeze(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z0-9_.-]+)\s*(?:==\s*(.+)|@\s*(.+))?$/.exec(line);
    if (m?.[1]) out.set(m[1].toLowerCase().replace(/_/g, '-'), (m[2] ?? m[3] ?? '').trim());
    else out.set(line, '');
  }
  return out;
}

export function packageDiff(a: string, b: string): string[] {
  const pa = parseFreeze(a);
  const pb = parseFreeze(b);
  const out: string[] = [];
  for (const [name, va] of pa) {
    const vb = pb.get(name);
    if (vb === undefined) out.push(`${name} ${va} removed`);
    else if (vb !== va) out.push(`${name} ${va} → ${vb}`);
  }
  for (const [name, vb] of pb) if (!pa.has(name)) out.push(`${name} ${vb} added`);
  return out;
}

const gpuLine = (m: MachineInfo): string => (m.gpus.length === 0 ? 'none' : m.gpus.map((g) => `${g.name} (driver ${g.driver})`).join(', '));

function changed(label: string, a: string | number | null, b: string | number | null): string[] {
  return a === b ? [] : [`${label} ${a ?? 'none'} → ${b ?? 'none'}`];
}

/** One line per difference; empty when the environments match. */
export function environmentDiff(
  a: RunManifest, b: RunManifest, packagesA: string | null, packagesB: string | null,
): string[] {
  const out = [
    ...changed('Python', a.runtimes.python, b.runtimes.python),
    ...changed('Node', a.runtimes.node, b.runtimes.node),
    ...changed('OS', `${a.machine.os} ${a.machine.arch}`, `${b.machine.os} ${b.machine.arch}`),
    ...changed('CPU', a.machine.cpuModel, b.machine.cpuModel),
    ...changed('CPU cores', a.machine.cpuCores, b.machine.cpuCores),
    ...changed('GPUs', gpuLine(a.machine), gpuLine(b.machine)),
    ...changed('CUDA', a.machine.cudaVersion, b.machine.cudaVersion),
    ...changed('Node lockfile', a.packages.node?.sha256.slice(0, 12) ?? null, b.packages.node?.sha256.slice(0, 12) ?? null),
  ];
  if (a.packages.python?.sha256 !== b.packages.python?.sha256) {
    if (packagesA !== null && packagesB !== null) out.push(...packageDiff(packagesA, packagesB).map((d) => `package ${d}`));
    else out.push('Python package set changed');
  }
  return out;
}
