/**
 * Run-table columns: `params.lr`, `metrics.loss`, `tags.team` or an attribute
 * (`attributes.status`). The same names the filter and order_by language use,
 * so a column header can become an order_by item as it is.
 */
import type { Run } from '../../../src/tracking/domain.js';

export type ColumnId = string;

export interface ColumnKeys {
  readonly params: string[];
  readonly metrics: string[];
  readonly tags: string[];
}

/** Backticks a key that the filter language would not read as one identifier. */
export const quoteKey = (k: string): string => (/^[A-Za-z_][\w.\-/]*$/.test(k) ? k : `\`${k.replace(/`/g, '')}\``);
export const columnId = (kind: 'params' | 'metrics' | 'tags', key: string): ColumnId => `${kind}.${quoteKey(key)}`;

export function parseColumn(id: ColumnId): { kind: string; key: string } {
  const dot = id.indexOf('.');
  const key = id.slice(dot + 1);
  return { kind: id.slice(0, dot), key: key.startsWith('`') && key.endsWith('`') ? key.slice(1, -1) : key };
}

/** Every key the loaded runs use, sorted; tags starting `mlflow.` or `cairn.` are listed last. */
export function collectKeys(runs: readonly Run[]): ColumnKeys {
  const p = new Set<string>();
  const m = new Set<string>();
  const t = new Set<string>();
  for (const r of runs) {
    for (const k in r.params) p.add(k);
    for (const x of r.metrics) m.add(x.key);
    for (const k in r.tags) t.add(k);
  }
  const sys = (k: string) => /^(mlflow|cairn)\./.test(k);
  return {
    params: [...p].sort(),
    metrics: [...m].sort((a, b) => Number(a.startsWith('system/')) - Number(b.startsWith('system/')) || a.localeCompare(b)),
    tags: [...t].sort((a, b) => Number(sys(a)) - Number(sys(b)) || a.localeCompare(b)),
  };
}

export function cellValue(r: Run, id: ColumnId): string | number | undefined {
  const { kind, key } = parseColumn(id);
  if (kind === 'params') return r.params[key];
  if (kind === 'tags') return r.tags[key];
  if (kind === 'metrics') return r.metrics.find((x) => x.key === key)?.value;
  return undefined;
}

/** Default columns: every param, then metrics other than system ones, up to 40 in all. */
export function defaultColumns(keys: ColumnKeys): ColumnId[] {
  return [
    ...keys.params.map((k) => columnId('params', k)),
    ...keys.metrics.filter((k) => !k.startsWith('system/')).map((k) => columnId('metrics', k)),
  ].slice(0, 40);
}

export interface GroupRow {
  readonly value: string;
  readonly count: number;
  readonly stats: Readonly<Record<ColumnId, { mean: number; min: number; max: number; n: number } | undefined>>;
}

/** Groups runs by a param or tag and aggregates each metric column (mean, min, max). */
export function groupRuns(runs: readonly Run[], by: ColumnId, metricCols: readonly ColumnId[]): GroupRow[] {
  const groups = new Map<string, Run[]>();
  for (const r of runs) {
    const v = cellValue(r, by);
    const k = v === undefined ? '(none)' : String(v);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return [...groups.entries()].map(([value, rs]) => {
    const stats: Record<ColumnId, { mean: number; min: number; max: number; n: number } | undefined> = {};
    for (const c of metricCols) {
      const vals = rs.map((r) => cellValue(r, c)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      stats[c] = vals.length
        ? { mean: vals.reduce((a, b) => a + b, 0) / vals.length, min: Math.min(...vals), max: Math.max(...vals), n: vals.length }
        : undefined;
    }
    return { value, count: rs.length, stats };
  }).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/** Filter-language words offered by autocomplete besides the keys. */
export const FILTER_WORDS = [
  'attributes.status', 'attributes.run_name', 'attributes.start_time', 'attributes.end_time', 'attributes.user_id',
  'datasets.name', 'datasets.digest', 'datasets.context', 'and', 'or', 'LIKE', 'ILIKE', 'IN', "'FINISHED'", "'FAILED'", "'RUNNING'",
];
