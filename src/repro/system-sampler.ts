/**
 * Samples the child process tree every few seconds: CPU % and resident
 * memory of the whole tree, and GPU utilisation and memory when nvidia-smi
 * is present. Reads /proc on Linux and `ps` elsewhere.
 */
import { readdir, readFile } from 'node:fs/promises';
import { platform } from 'node:os';
import { probe } from './exec.js';
import { parseGpuUsage } from './nvidia-smi.js';

export interface SystemSample {
  readonly timestamp: number;
  readonly values: Readonly<Record<string, number>>;
}

interface ProcStat { readonly pid: number; readonly ppid: number; readonly ticks: number; readonly rssPages: number }

const CLOCK_TICKS = 100;
const PAGE_BYTES = 4096;
const MB = 1024 * 1024;

async function procTable(): Promise<ProcStat[]> {
  const out: ProcStat[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const text = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
    if (text === null) continue;
    // Fields after the command name, which may itself contain spaces and parentheses.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    out.push({ pid: Number(name), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), rssPages: Number(f[21]) });
  }
  return out;
}

async function psTable(): Promise<ProcStat[]> {
  const text = (await probe('ps', ['-A', '-o', 'pid=,ppid=,rss=,pcpu='])) ?? '';
  return text.split('\n').filter((l) => l.trim()).map((l) => {
    const [pid = 0, ppid = 0, rssKb = 0, pcpu = 0] = l.trim().split(/\s+/).map(Number);
    // ps reports %CPU directly; carry it in `ticks` as a rate (see tree()).
    return { pid, ppid, ticks: pcpu, rssPages: (rssKb * 1024) / PAGE_BYTES };
  });
}

function tree(table: readonly ProcStat[], root: number): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcStat[] = [];
  const queue = table.filter((p) => p.pid === root);
  while (queue.length > 0) {
    const p = queue.pop() as ProcStat;
    out.push(p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

export class SystemSampler {
  private readonly linux = platform() === 'linux';
  private last: { ticks: number; at: number } | null = null;

  constructor(private readonly rootPid: number, private readonly gpu: boolean, private readonly now: () => number = Date.now) {}

  async sample(): Promise<SystemSample> {
    const at = this.now();
    const procs = tree(this.linux ? await procTable() : await psTable(), this.rootPid);
    const ticks = procs.reduce((s, p) => s + p.ticks, 0);
    const values: Record<string, number> = {
      'system/rss_mb': Math.round((procs.reduce((s, p) => s + p.rssPages, 0) * PAGE_BYTES / MB) * 10) / 10,
    };
    if (!this.linux) values['system/cpu_percent'] = ticks;
    else if (this.last !== null && at > this.last.at) {
      const seconds = (at - this.last.at) / 1000;
      values['system/cpu_percent'] = Math.round(((ticks - this.last.ticks) / CLOCK_TICKS / seconds) * 1000) / 10;
    }
    this.last = { ticks, at };
    if (this.gpu) Object.assign(values, await gpuSample());
    return { timestamp: at, values };
  }
}

async function gpuSample(): Promise<Record<string, number>> {
  const csv = await probe('nvidia-smi', ['--query-gpu=utilization.gpu,memory.used', '--format=csv,noheader,nounits'], { timeoutMs: 5000 });
  return csv === null ? {} : parseGpuUsage(csv);
}
