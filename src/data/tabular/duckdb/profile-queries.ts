/**
 * The profile in one statement that reads the file once, every column at once
 * (plus a probe of its first rows).
 *
 * Probe: distinct values of each text column in its first PROBE_ROWS rows,
 * to choose how its top values are counted.
 * The statement (`profileSql`) parses the file once into a materialized CTE
 * `t` (a CSV up to the engine's size limit; other sources are scanned twice),
 * then:
 * - pass 1 (`s`, SUMMARIZE-like): row count, and per column the non-null
 *   count, approximate distinct count (HyperLogLog), min, max, mean, quantiles from a reservoir sample of RESERVOIR rows,
 *   and top values: booleans and text columns that looked categorical in the
 *   probe are counted value by value (`histogram`, which also gives their
 *   exact distinct count, min and max); other text columns get approximate top
 *   values (`approx_top_k`);
 * - edges (`e`, one row): per numeric column HISTOGRAM_BINS equal-width upper
 *   edges between pass 1's min and max, computed exactly as `histogramEdges`
 *   computes them in JS (one bin for a constant or too narrow range);
 * - pass 2 over `t` × `e`: `histogram(x, edges)` of each numeric column, the
 *   sum of squared deviations from pass 1's mean (the standard deviation,
 *   two-pass), and exact counts of the approximate top values.
 * A float column whose pass-1 statistics met NaN or ±Infinity (rare) is
 * recomputed over its finite values by `finitePassSql` and `finiteSecondPassSql`.
 */
import { isNumericType, PROFILE_QUANTILES, type CategoryCount, type ColumnProfile, type ColumnSchema, type Histogram } from '../tabular-engine.js';
import { doubleLiteral, ident, num, show } from './sql.js';

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
 * `histogramEdges` in SQL: the upper edges for min `lo` and max `hi`. A range that is
 * not finite (or NULL) gets a placeholder `[0]`, as `histogram` refuses NULL; its
 * counts are not read (an all-NULL column has no histogram; a non-finite one is recounted).
 */
function edgesSql(lo: string, hi: string): string {
  const bins = `list_transform(range(1, ${HISTOGRAM_BINS + 1}), lambda k: CASE WHEN k = ${HISTOGRAM_BINS} THEN ${hi} ELSE ${lo} + k * ((${hi} - ${lo}) / ${HISTOGRAM_BINS}) END)`;
  const increasing = `${lo} < ${hi} AND list_sort(${bins}) = ${bins} AND len(list_distinct(${bins})) = ${HISTOGRAM_BINS} AND ${bins}[1] > ${lo}`;
  return `CASE WHEN ${lo} IS NULL OR ${hi} IS NULL OR NOT (isfinite(${lo}) AND isfinite(${hi})) THEN [0::DOUBLE] WHEN ${increasing} THEN ${bins} ELSE [${hi}] END`;
}

/**
 * The whole profile but the probe, as one row (see the top of this file).
 * Columns in `exact` are counted value by value (`histogram`) in pass 1; the
 * outer query derives their exact distinct count, min, max and top values from
 * that map, so only a few entries come back.
 */
export function profileSql(from: string, schema: readonly ColumnSchema[], exact: ReadonlySet<number>, materialize: boolean): string {
  const first = ['count(*) AS "rows"'];
  const maps: string[] = [];
  const derived: string[] = [];
  const edges: string[] = [];
  const second: string[] = [];
  schema.forEach((c, i) => {
    const x = ident(c.name);
    first.push(`count(${x}) AS n${i}`);
    if (c.type === 'other') return;
    if (exact.has(i)) {
      first.push(`histogram(${x}) AS m${i}`);
      maps.push(`m${i}`);
      derived.push(`cardinality(m${i}) AS d${i}`, `list_min(map_keys(m${i}))::VARCHAR AS lo${i}`, `list_max(map_keys(m${i}))::VARCHAR AS hi${i}`, `${topOfMap(`m${i}`)} AS exact${i}`);
      return;
    }
    first.push(`approx_count_distinct(${x}) AS d${i}`);
    if (isNumericType(c.type)) {
      first.push(...numericStats(x, i, ''));
      edges.push(`${edgesSql(`lo${i}`, `hi${i}`)} AS e${i}`, `mean${i} AS mu${i}`);
      second.push(`histogram(t.${x}::DOUBLE, e.e${i}) AS h${i}`, squaredDeviations(`t.${x}`, `e.mu${i}`, '', i));
    } else {
      first.push(`min(${x})::VARCHAR AS lo${i}`, `max(${x})::VARCHAR AS hi${i}`);
    }
    if (hasCategories(c)) {
      first.push(`approx_top_k(${x}, ${TOP_CATEGORIES})::VARCHAR[] AS top${i}`);
      edges.push(`top${i}`);
      second.push(`histogram(t.${x}::VARCHAR) FILTER (WHERE list_contains(e.top${i}, t.${x}::VARCHAR)) AS tc${i}`);
    }
  });
  const outer = [maps.length === 0 ? 's.*' : `s.* EXCLUDE (${maps.join(', ')})`, ...derived];
  if (second.length === 0) return `WITH s AS (SELECT ${first.join(', ')} FROM ${from}) SELECT ${outer.join(', ')} FROM s`;
  return `WITH t AS ${materialize ? '' : 'NOT '}MATERIALIZED (SELECT * FROM ${from}), `
    + `s AS MATERIALIZED (SELECT ${first.join(', ')} FROM t), `
    + `e AS (SELECT ${edges.join(', ')} FROM s) `
    + `SELECT ${outer.join(', ')}, p.* FROM s, (SELECT ${second.join(', ')} FROM t, e) AS p`;
}

/** Min, max, mean and quantiles of numeric column `x` (number `i`), over the rows `filter` keeps. */
function numericStats(x: string, i: number, filter: string): string[] {
  const q = `[${PROFILE_QUANTILES.join(', ')}]`;
  return [`min(${x}) ${filter}::DOUBLE AS lo${i}`, `max(${x}) ${filter}::DOUBLE AS hi${i}`, `avg(${x}) ${filter}::DOUBLE AS mean${i}`,
    `reservoir_quantile(${x}::DOUBLE, ${q}, ${RESERVOIR}) ${filter} AS q${i}`];
}

/** The sum of squared deviations of `x` from `mean` (two-pass: stable, and never the range error of `stddev_samp` on ±Infinity). */
const squaredDeviations = (x: string, mean: string, filter: string, i: number) =>
  `sum((${x}::DOUBLE - ${mean}) * (${x}::DOUBLE - ${mean})) ${filter} AS ss${i}`;

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

/**
 * Histograms and squared deviations of `columns` over their finite values, from
 * the finite min, max and mean in `stats` (after `finitePassSql`).
 */
export function finiteSecondPassSql(from: string, schema: readonly ColumnSchema[], columns: ReadonlySet<number>, stats: Row): string | null {
  const parts = [...columns].flatMap((i) => {
    const lo = num(stats[`lo${i}`]);
    const hi = num(stats[`hi${i}`]);
    const mean = num(stats[`mean${i}`]);
    if (lo === null || hi === null || mean === null) return [];
    const x = ident((schema[i] as ColumnSchema).name);
    const e = histogramEdges(lo, hi);
    return [`histogram(${x}::DOUBLE, [${e.slice(1).map(doubleLiteral).join(', ')}]) ${finite(x)} AS h${i}`,
      squaredDeviations(x, doubleLiteral(mean), finite(x), i)];
  });
  return parts.length === 0 ? null : `SELECT ${parts.join(', ')} FROM ${from}`;
}

/** A `histogram` map (as `{key, value}` entries) keyed by what `key` makes of each key. */
function countsBy<K>(map: unknown, key: (k: unknown) => K): Map<K, number> {
  const out = new Map<K, number>();
  for (const entry of Array.isArray(map) ? (map as { key: unknown; value: unknown }[]) : []) out.set(key(entry.key), num(entry.value) ?? 0);
  return out;
}

const countsOf = (map: unknown) => countsBy(map, String);

function histogramOf(edges: readonly number[], map: unknown, nonNull: number): Histogram {
  if (edges.length === 2 && edges[0] === edges[1]) return { edges, counts: [nonNull] };
  const byEdge = countsBy(map, (k) => num(k) ?? NaN);
  return { edges, counts: edges.slice(1).map((e) => byEdge.get(e) ?? 0) };
}

/** Sample standard deviation from the sum of squared deviations; null below two values. */
const stddev = (ss: number | null, n: number): number | null => (ss === null || n < 2 ? null : Math.sqrt(ss / (n - 1)));

/** The profile from the statement's row (with any finite-value recomputation merged in). */
export function assembleProfile(schema: readonly ColumnSchema[], first: Row): { rows: number; columns: ColumnProfile[] } {
  const rows = num(first.rows) ?? 0;
  const columns = schema.map((c, i): ColumnProfile => {
    const nonNull = num(first[`n${i}`]) ?? 0;
    const missing = rows - nonNull;
    const nonFinite = num(first[`nf${i}`]) ?? 0;
    const numeric = isNumericType(c.type);
    const bound = (v: unknown) => (v === null || v === undefined ? null : numeric ? num(v) : show(v));
    const lo = num(first[`lo${i}`]);
    const hi = num(first[`hi${i}`]);
    const edges = numeric && lo !== null && hi !== null && Number.isFinite(lo) && Number.isFinite(hi) ? histogramEdges(lo, hi) : undefined;
    const tops = first[`top${i}`];
    let topCategories: CategoryCount[] | null = hasCategories(c) ? [] : null;
    const exact = first[`exact${i}`];
    if (Array.isArray(exact)) {
      topCategories = (exact as { n: unknown; v: unknown }[]).map((e) => ({ value: String(e.v), count: num(e.n) ?? 0 }));
    } else if (Array.isArray(tops)) {
      const counts = countsOf(first[`tc${i}`]);
      topCategories = tops.map(String).map((value) => ({ value, count: counts.get(value) ?? 0 }));
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
      stddev: numeric ? stddev(num(first[`ss${i}`]), nonNull - nonFinite) : null,
      quantiles: numeric && Array.isArray(q) ? q.map((v) => num(v) ?? NaN) : null,
      histogram: edges ? histogramOf(edges, first[`h${i}`], nonNull - nonFinite) : null,
      topCategories,
      nonFinite,
    };
  });
  return { rows, columns };
}
