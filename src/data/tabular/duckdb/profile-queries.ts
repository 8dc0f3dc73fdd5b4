/**
 * The profile in two scans of the file, every column at once.
 *
 * Probe: distinct values of each text column in its first PROBE_ROWS rows,
 * to choose how its top values are counted.
 * Pass 1 (SUMMARIZE-like): row count, and per column the non-null count,
 * approximate distinct count (HyperLogLog), min, max, mean, quantiles from a
 * reservoir sample of RESERVOIR rows, and top values: booleans and text
 * columns that looked categorical in the probe are counted value by value
 * (`histogram`, which also gives their exact distinct count, min and max);
 * other text columns get approximate top values (`approx_top_k`).
 * Pass 2: equal-width histograms of the numeric columns between the min and
 * max of pass 1 (`histogram(x, upper_edges)`), the sum of squared deviations
 * from pass 1's mean (the standard deviation, two-pass: stable and cheaper
 * than `stddev_samp` in pass 1), and exact counts of the approximate top values.
 */
import { isNumericType, PROFILE_QUANTILES, type CategoryCount, type ColumnProfile, type ColumnSchema, type Histogram } from '../tabular-engine.js';
import { doubleLiteral, ident, num, show, valueFor } from './sql.js';

export const HISTOGRAM_BINS = 20;
export const TOP_CATEGORIES = 10;
/** Rows sampled per column for quantiles: rank error about 1/√RESERVOIR. */
export const RESERVOIR = 16_384;
/** A text column with at most PROBE_DISTINCT values in its first PROBE_ROWS rows is counted exactly in pass 1. */
export const PROBE_ROWS = 20_000;
export const PROBE_DISTINCT = 1_000;

type Row = Readonly<Record<string, unknown>>;

const hasCategories = (c: ColumnSchema) => c.type === 'string' || c.type === 'boolean';

/** Distinct values of each text column in the first PROBE_ROWS rows, or null when there is none. */
export function probeSql(from: string, schema: readonly ColumnSchema[]): string | null {
  const parts = schema.flatMap((c, i) => (c.type === 'string' ? [`count(DISTINCT ${ident(c.name)}) AS p${i}`] : []));
  return parts.length === 0 ? null : `SELECT ${parts.join(', ')} FROM (SELECT * FROM ${from} LIMIT ${PROBE_ROWS})`;
}

/** Columns whose every value pass 1 counts exactly: booleans, and text columns the probe found categorical. */
export function exactlyCounted(schema: readonly ColumnSchema[], probe: Row): Set<number> {
  return new Set(schema.flatMap((c, i) =>
    c.type === 'boolean' || (c.type === 'string' && (num(probe[`p${i}`]) ?? Infinity) <= PROBE_DISTINCT) ? [i] : []));
}

/** Top values with counts, largest first, from a `histogram` map, in SQL so only TOP_CATEGORIES entries return. */
const topOfMap = (h: string) =>
  `list_slice(list_reverse_sort(list_transform(map_entries(${h}), lambda e: {'n': e.value, 'v': e.key::VARCHAR})), 1, ${TOP_CATEGORIES})`;

/**
 * Pass 1. Columns in `exact` are counted value by value (`histogram`) in an
 * inner query; the outer one derives their exact distinct count, min, max and
 * top values from that map, so only a few entries come back.
 */
export function firstPassSql(from: string, schema: readonly ColumnSchema[], exact: ReadonlySet<number> = new Set()): string {
  const parts = ['count(*) AS "rows"'];
  const maps: string[] = [];
  const derived: string[] = [];
  schema.forEach((c, i) => {
    const x = ident(c.name);
    parts.push(`count(${x}) AS n${i}`);
    if (c.type === 'other') return;
    if (exact.has(i)) {
      parts.push(`histogram(${x}) AS m${i}`);
      maps.push(`m${i}`);
      derived.push(`cardinality(m${i}) AS d${i}`, `list_min(map_keys(m${i}))::VARCHAR AS lo${i}`, `list_max(map_keys(m${i}))::VARCHAR AS hi${i}`, `${topOfMap(`m${i}`)} AS exact${i}`);
      return;
    }
    parts.push(`approx_count_distinct(${x}) AS d${i}`);
    if (isNumericType(c.type)) {
      parts.push(...numericStats(x, i, ''));
    } else {
      parts.push(`min(${x})::VARCHAR AS lo${i}`, `max(${x})::VARCHAR AS hi${i}`);
    }
    if (hasCategories(c)) parts.push(`approx_top_k(${x}, ${TOP_CATEGORIES})::VARCHAR[] AS top${i}`);
  });
  const inner = `SELECT ${parts.join(', ')} FROM ${from}`;
  return maps.length === 0 ? inner : `SELECT * EXCLUDE (${maps.join(', ')}), ${derived.join(', ')} FROM (${inner})`;
}

/** Min, max, mean and quantiles of numeric column `x` (number `i`), over the rows `filter` keeps. */
function numericStats(x: string, i: number, filter: string): string[] {
  const q = `[${PROFILE_QUANTILES.join(', ')}]`;
  return [`min(${x}) ${filter}::DOUBLE AS lo${i}`, `max(${x}) ${filter}::DOUBLE AS hi${i}`, `avg(${x}) ${filter}::DOUBLE AS mean${i}`,
    `reservoir_quantile(${x}::DOUBLE, ${q}, ${RESERVOIR}) ${filter} AS q${i}`];
}

const finite = (x: string) => `FILTER (WHERE isfinite(${x}::DOUBLE))`;

/** Float columns whose pass-1 statistics met NaN or ±Infinity (DuckDB orders NaN above every number). */
export function nonFiniteColumns(schema: readonly ColumnSchema[], first: Row): Set<number> {
  return new Set(schema.flatMap((c, i) => {
    if (c.type !== 'float') return [];
    const stats = [first[`lo${i}`], first[`hi${i}`], first[`mean${i}`]].map(num);
    return stats.some((v) => v !== null && !Number.isFinite(v)) ? [i] : [];
  }));
}

/** Recomputes the numeric statistics of `columns` over their finite values only, with a count of the others. */
export function finitePassSql(from: string, schema: readonly ColumnSchema[], columns: ReadonlySet<number>): string {
  const parts = [...columns].flatMap((i) => {
    const x = ident((schema[i] as ColumnSchema).name);
    return [...numericStats(x, i, finite(x)), `count_if(NOT isfinite(${x}::DOUBLE)) AS nf${i}`];
  });
  return `SELECT ${parts.join(', ')} FROM ${from}`;
}

/** Histogram edges for a finite range: HISTOGRAM_BINS equal bins; one bin when min = max or the bins would not be distinct doubles. */
export function histogramEdges(min: number, max: number): number[] {
  if (min === max) return [min, max];
  const w = (max - min) / HISTOGRAM_BINS;
  const edges = Array.from({ length: HISTOGRAM_BINS }, (_, i) => min + i * w);
  edges.push(max);
  // A range too narrow for its magnitude repeats edges after rounding: one bin then.
  return edges.every((e, i) => i === 0 || e > (edges[i - 1] as number)) ? edges : [min, max];
}

interface SecondPass {
  readonly sql: string | null;
  readonly edges: ReadonlyMap<number, readonly number[]>;
  readonly tops: ReadonlyMap<number, readonly string[]>;
}

export function secondPassSql(from: string, schema: readonly ColumnSchema[], first: Row, nonFinite: ReadonlySet<number> = new Set()): SecondPass {
  const parts: string[] = [];
  const edges = new Map<number, number[]>();
  const tops = new Map<number, string[]>();
  schema.forEach((c, i) => {
    const x = ident(c.name);
    const lo = num(first[`lo${i}`]);
    const hi = num(first[`hi${i}`]);
    if (isNumericType(c.type) && lo !== null && hi !== null && Number.isFinite(lo) && Number.isFinite(hi)) {
      const e = histogramEdges(lo, hi);
      edges.set(i, e);
      parts.push(`histogram(${x}::DOUBLE, [${e.slice(1).map(doubleLiteral).join(', ')}]) ${nonFinite.has(i) ? finite(x) : ''} AS h${i}`);
    }
    const mean = num(first[`mean${i}`]);
    if (isNumericType(c.type) && mean !== null && Number.isFinite(mean)) {
      const d = `(${x}::DOUBLE - ${doubleLiteral(mean)})`;
      parts.push(`sum(${d} * ${d}) ${nonFinite.has(i) ? finite(x) : ''} AS ss${i}`);
    }
    const top = first[`top${i}`];
    if (hasCategories(c) && Array.isArray(top) && top.length > 0) {
      const values = top.map(String);
      tops.set(i, values);
      const typed = (v: string) => (c.type === 'boolean' ? valueFor('boolean', v === 'true') : valueFor('string', v));
      parts.push(`[${values.map((v) => `count_if(${x} = ${typed(v)})`).join(', ')}] AS tc${i}`);
    }
  });
  return { sql: parts.length === 0 ? null : `SELECT ${parts.join(', ')} FROM ${from}`, edges, tops };
}

function histogramOf(edges: readonly number[], map: unknown, nonNull: number): Histogram {
  if (edges.length === 2 && edges[0] === edges[1]) return { edges, counts: [nonNull] };
  const byEdge = new Map<number, number>();
  for (const entry of Array.isArray(map) ? (map as { key: unknown; value: unknown }[]) : []) byEdge.set(num(entry.key) ?? NaN, num(entry.value) ?? 0);
  return { edges, counts: edges.slice(1).map((e) => byEdge.get(e) ?? 0) };
}

/** Sample standard deviation from the sum of squared deviations; null below two values. */
const stddev = (ss: number | null, n: number): number | null => (ss === null || n < 2 ? null : Math.sqrt(ss / (n - 1)));

export function assembleProfile(schema: readonly ColumnSchema[], first: Row, second: SecondPass, secondRow: Row): { rows: number; columns: ColumnProfile[] } {
  const rows = num(first.rows) ?? 0;
  const columns = schema.map((c, i): ColumnProfile => {
    const nonNull = num(first[`n${i}`]) ?? 0;
    const missing = rows - nonNull;
    const nonFinite = num(first[`nf${i}`]) ?? 0;
    const numeric = isNumericType(c.type);
    const bound = (v: unknown) => (v === null || v === undefined ? null : numeric ? num(v) : show(v));
    const edges = second.edges.get(i);
    const tops = second.tops.get(i);
    let topCategories: CategoryCount[] | null = hasCategories(c) ? [] : null;
    const exact = first[`exact${i}`];
    if (Array.isArray(exact)) {
      topCategories = (exact as { n: unknown; v: unknown }[]).map((e) => ({ value: String(e.v), count: num(e.n) ?? 0 }));
    } else if (tops) {
      const counts = (secondRow[`tc${i}`] as unknown[] | undefined) ?? [];
      topCategories = tops.map((value, k) => ({ value, count: num(counts[k]) ?? 0 }));
    }
    topCategories?.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    const q = first[`q${i}`];
    return {
      ...c,
      missing,
      missingPct: rows === 0 ? 0 : (missing / rows) * 100,
      distinct: Math.min(num(first[`d${i}`]) ?? 0, nonNull),
      min: bound(first[`lo${i}`]),
      max: bound(first[`hi${i}`]),
      mean: numeric ? num(first[`mean${i}`]) : null,
      stddev: numeric ? stddev(num(secondRow[`ss${i}`]), nonNull - nonFinite) : null,
      quantiles: numeric && Array.isArray(q) ? q.map((v) => num(v) ?? NaN) : null,
      histogram: edges ? histogramOf(edges, secondRow[`h${i}`], nonNull - nonFinite) : null,
      topCategories,
      nonFinite,
    };
  });
  return { rows, columns };
}
