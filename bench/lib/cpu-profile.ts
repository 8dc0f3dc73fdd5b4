/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and says where the time
 * went: by category (the innermost frame on each sample's stack that a rule
 * recognises) and by function (self time).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; parent?: number; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface Share { readonly name: string; readonly ms: number; readonly percent: number }
export interface ProfileSummary {
  readonly totalMs: number;
  readonly categories: Share[];
  readonly topFunctions: Share[];
}

/** Category rules, tried on each frame from the leaf upwards; the first frame that matches decides. */
const RULES: readonly [string, (f: CallFrame) => boolean][] = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['JSON.parse (request body)', (f) => f.url === '' && f.functionName === 'parse'],
  ['JSON.stringify', (f) => f.url === '' && f.functionName === 'stringify'],
  ['ajv schema validation', (f) => (f.url === '' && /^validate\d*$/.test(f.functionName)) || f.url.includes('/ajv')],
  ['decodeSeries (api/wire.ts)', (f) => f.url.endsWith('/api/wire.js')],
  ['checkSeries (tracking/batch-validation.ts)', (f) => f.url.endsWith('/batch-validation.js')],
  ['metric-codec.ts (encodeSeries / decodeChunks)', (f) => f.url.endsWith('/metric-codec.js')],
  ['SqlTrackingStore.writeBatch (latest value, SQL calls)', (f) => f.url.endsWith('/sql-tracking-store.js')],
  ['node:sqlite (SqliteDb)', (f) => f.url.endsWith('/sqlite-db.js')],
  ['downsample.ts', (f) => f.url.endsWith('/downsample.js')],
  ['TrackingService', (f) => f.url.endsWith('/tracking-service.js')],
  ['JSON.parse of the body (secure-json-parse)', (f) => f.url.includes('/secure-json-parse/')],
  ['fastify (routing, hooks, reply)', (f) => /node_modules\/(fastify|@fastify|find-my-way|light-my-request|avvio)/.test(f.url)],
  ['node:http / net / streams', (f) => f.url.startsWith('node:')],
  ['(program: native, outside JS)', (f) => f.functionName === '(program)'],
];

export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of p.nodes) byId.set(n.id, n);
  for (const n of p.nodes) for (const c of n.children ?? []) {
    const child = byId.get(c);
    if (child) child.parent = n.id;
  }
  const category = new Map<number, string>();
  const categoryOf = (id: number): string => {
    const known = category.get(id);
    if (known !== undefined) return known;
    let name = 'other';
    for (let n = byId.get(id); n; n = n.parent === undefined ? undefined : byId.get(n.parent)) {
      const rule = RULES.find(([, test]) => test(n.callFrame));
      if (rule) { name = rule[0]; break; }
    }
    category.set(id, name);
    return name;
  };
  const cat = new Map<string, number>();
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const c = categoryOf(id);
    cat.set(c, (cat.get(c) ?? 0) + dt);
    const f = byId.get(id)?.callFrame;
    const fn = f ? `${f.functionName || '(anonymous)'} ${f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '(native)'}` : '?';
    self.set(fn, (self.get(fn) ?? 0) + dt);
  });
  const shares = (m: Map<string, number>) => [...m]
    .map(([name, ms]) => ({ name, ms: Math.round(ms), percent: Math.round((ms / total) * 1000) / 10 }))
    .sort((a, b) => b.ms - a.ms);
  return { totalMs: Math.round(total), categories: shares(cat), topFunctions: shares(self).slice(0, top) };
}
