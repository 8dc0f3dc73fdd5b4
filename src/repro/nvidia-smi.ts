/**
 * Parsers for `nvidia-smi` output. Pure, so they are tested on recorded
 * output on machines without a GPU.
 */
import type { GpuInfo } from './manifest.js';

/** `--query-gpu=name,driver_version,memory.total --format=csv,noheader,nounits` */
export function parseGpuInventory(csv: string): GpuInfo[] {
  return csv.split('\n').filter((l) => l.trim()).map((line) => {
    const [name = '', driver = '', mem = ''] = line.split(',').map((s) => s.trim());
    const memoryMb = Number(mem);
    return { name, driver, memoryMb: mem !== '' && Number.isFinite(memoryMb) ? memoryMb : null };
  });
}

/** The "CUDA Version: 12.4" in nvidia-smi's banner. */
export const parseCudaVersion = (banner: string): string | null => /CUDA Version:\s*([\d.]+)/.exec(banner)?.[1] ?? null;

/** `--query-gpu=utilization.gpu,memory.used --format=csv,noheader,nounits` → system/ metrics per GPU. */
export function parseGpuUsage(csv: string): Record<string, number> {
  const out: Record<string, number> = {};
  csv.split('\n').filter((l) => l.trim()).forEach((line, i) => {
    const [util, mem] = line.split(',').map((s) => s.trim());
    if (util && Number.isFinite(Number(util))) out[`system/gpu${i}_utilization_percent`] = Number(util);
    if (mem && Number.isFinite(Number(mem))) out[`system/gpu${i}_memory_mb`] = Number(mem);
  });
  return out;
}
