import { InvalidArgument } from '../../core/errors.js';
import { placeholders, type Dialect, type SqlValue } from '../../storage/db.js';
import type { LifecycleFilter } from '../domain.js';
import type { Comparison, FilterAst } from './filter-ast.js';
import type { OrderByClause } from './order-by.js';
import type { RunAttribute } from './search-target.js';

export interface RunSearchQuery {
  readonly experimentIds: readonly string[];
  readonly filter: FilterAst | null;
  readonly orderBy: readonly OrderByClause[];
  /** Which runs by lifecycle: live ones, deleted ones, or both. */
  readonly lifecycle: LifecycleFilter;
  readonly limit: number;
  readonly offset: number;
}

/** One SQL statement with `?` placeholders; every user-supplied value is in `params`. */
export interface CompiledSql {
  readonly sql: string;
  readonly params: SqlValue[];
}

interface Fragment {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

const COLUMNS: Readonly<Record<RunAttribute, string>> = {
  run_id: 'r.id',
  run_name: 'r.name',
  status: 'r.status',
  start_time: 'r.start_time',
  end_time: 'r.end_time',
  user_id: 'r.user_id',
  artifact_uri: 'r.artifact_uri',
  lifecycle_stage: 'r.lifecycle',
  experiment_id: 'r.experiment_id',
  parent_run_id: 'r.parent_run_id',
};
const NULLABLE: ReadonlySet<RunAttribute> = new Set(['end_time', 'user_id', 'parent_run_id']);
const KEY_VALUE_TABLES = { metric: 'latest_metrics', param: 'params', tag: 'run_tags' } as const;
const DATASET_COLUMNS = { name: 'd.name', digest: 'd.digest', context: 'ri.context' } as const;
type ValueComparison = Exclude<Comparison, { type: 'null' }>;

const DATASET_EXISTS = 'SELECT 1 FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset_id WHERE ri.run_id =';
const DATASET_RUNS = 'SELECT ri.run_id FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset_id';

/**
 * Compiles a run search into one SELECT of matching run ids (`id`), in order,
 * one page long. The most selective-looking top-level clause becomes a
 * candidate list read from a `(key, value)` index, which drives the query
 * (see `pickDriver` and `fromWhere`); the rest are correlated EXISTS tests or
 * tests on run columns. A NaN metric
 * (value NULL) fails every comparison; `IS NULL` tests absence of the key.
 * Order-by keys a run lacks sort last in either direction (for metrics:
 * numbers, then NaN, then missing); ties fall back to `start_time DESC`, then
 * `id`, so pages are stable.
 */
export function compileRunSearch(q: RunSearchQuery, dialect: Dialect): CompiledSql {
  if (!Number.isSafeInteger(q.limit) || q.limit < 1) {
    throw new InvalidArgument(`limit must be a positive integer, got ${q.limit}`, { limit: q.limit });
  }
  if (!Number.isSafeInteger(q.offset) || q.offset < 0) {
    throw new InvalidArgument(`offset must be a non-negative integer, got ${q.offset}`, { offset: q.offset });
  }
  const joins: Fragment[] = [];
  const terms: string[] = [];
  q.orderBy.forEach((clause, i) => {
    const dir = clause.ascending ? 'ASC' : 'DESC';
    const t = clause.target;
    if (t.entity === 'attribute') {
      const col = COLUMNS[t.key];
      if (NULLABLE.has(t.key)) terms.push(`CASE WHEN ${col} IS NULL THEN 1 ELSE 0 END`);
      terms.push(`${col} ${dir}`);
      return;
    }
    const alias = `o${i}`;
    joins.push({
      sql: `LEFT JOIN ${KEY_VALUE_TABLES[t.entity]} ${alias} ON ${alias}.run_id = r.id AND ${alias}.key = ?`,
      params: [t.key],
    });
    terms.push(
      t.entity === 'metric'
        ? `CASE WHEN ${alias}.run_id IS NULL THEN 2 WHEN ${alias}.is_nan = 1 THEN 1 ELSE 0 END`
        : `CASE WHEN ${alias}.run_id IS NULL THEN 1 ELSE 0 END`,
      `${alias}.value ${dir}`,
    );
  });
  const orders = (key: RunAttribute) => q.orderBy.some((c) => c.target.entity === 'attribute' && c.target.key === key);
  if (!orders('start_time')) terms.push('r.start_time DESC');
  if (!orders('run_id')) terms.push('r.id ASC');

  const { from, where } = fromWhere(q, dialect);
  return concat([
    { sql: 'SELECT r.id AS id', params: [] },
    from,
    ...joins,
    where,
    { sql: `ORDER BY ${terms.join(', ')} LIMIT ? OFFSET ?`, params: [q.limit, q.offset] },
  ]);
}

/** Compiles the number of runs a search matches, as one row `{ n }`. */
export function compileRunCount(
  q: Pick<RunSearchQuery, 'experimentIds' | 'filter' | 'lifecycle'>,
  dialect: Dialect,
): CompiledSql {
  const { from, where } = fromWhere(q, dialect);
  return concat([{ sql: 'SELECT COUNT(*) AS n', params: [] }, from, where]);
}

/**
 * The FROM and WHERE of a search. With a driving clause (see `pickDriver`) the
 * runs are reached from a candidate list, `FROM (SELECT dv.run_id …) c CROSS
 * JOIN runs r`: the list reads the clause's `(key, value)` index, and every
 * other top-level clause that tests only metrics, params, tags or datasets is
 * checked inside it as an EXISTS probe on `dv.run_id`, by primary key, before
 * any run row is read. `CROSS JOIN` fixes that join order in SQLite, with or
 * without statistics; PostgreSQL plans it as an ordinary join. Clauses on run
 * attributes stay outside, on `r`.
 */
function fromWhere(
  q: Pick<RunSearchQuery, 'experimentIds' | 'filter' | 'lifecycle'>,
  dialect: Dialect,
): { from: Fragment; where: Fragment } {
  if (q.experimentIds.length === 0) {
    throw new InvalidArgument('a run search needs at least one experiment id', { experimentIds: [] });
  }
  const parts: Fragment[] = [
    { sql: `r.experiment_id IN ${placeholders(q.experimentIds.length)}`, params: q.experimentIds },
  ];
  if (q.lifecycle !== 'all') parts.push({ sql: 'r.lifecycle = ?', params: [q.lifecycle] });
  let from: Fragment = { sql: 'FROM runs r', params: [] };
  if (q.filter) {
    const top = q.filter.type === 'and' ? q.filter.clauses : [q.filter];
    const driver = pickDriver(top);
    const rest = top.filter((c) => c !== driver);
    if (driver) {
      const inner = rest.filter((c) => !testsAttributes(c));
      const list = candidates(driver, inner.map((c) => predicate(c, dialect, 'dv.run_id')), dialect);
      from = { sql: `FROM (${list.sql}) c CROSS JOIN runs r`, params: list.params };
      parts.unshift({ sql: 'r.id = c.run_id', params: [] });
      parts.push(...rest.filter((c) => testsAttributes(c)).map((c) => predicate(c, dialect)));
    } else {
      parts.push(...rest.map((c) => predicate(c, dialect)));
    }
  }
  const joined = concat(parts, ' AND ');
  return { from, where: { sql: `WHERE ${joined.sql}`, params: joined.params } };
}

/** True when any comparison in `node` is on a run attribute (a column of `r`). */
function testsAttributes(node: FilterAst): boolean {
  return node.type === 'and' || node.type === 'or' ? node.clauses.some(testsAttributes) : node.target.entity === 'attribute';
}

type OrNode = Extract<FilterAst, { type: 'or' }>;
/** A clause that can start a search from an index: one comparison, or an OR of them. */
type Driver = ValueComparison | OrNode;

/**
 * Picks the top-level clause most likely to match few runs and able to start
 * from a `(key, value)` index: equality on a param, tag or dataset field first,
 * then metric equality, then a metric range, then an OR whose every branch is
 * one of those (read as a UNION of lists). None when the filter tests a run
 * id (the primary key drives) or has no such clause. The other clauses are
 * correlated EXISTS tests, each one primary-key probe per candidate run.
 */
function pickDriver(clauses: readonly FilterAst[]): Driver | undefined {
  let best: Driver | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const c of clauses) {
    if (c.type !== 'and' && c.type !== 'or' && c.type !== 'null' && c.target.entity === 'attribute') {
      const t = c.target;
      if (t.key === 'run_id' && ((c.type === 'string' && c.op === '=') || (c.type === 'in' && !c.negated))) return undefined;
      continue;
    }
    const rank =
      c.type === 'or' ? (c.clauses.every((b) => driveRank(b) < Number.POSITIVE_INFINITY) ? 3 : Number.POSITIVE_INFINITY)
      : driveRank(c);
    if (rank < bestRank) [best, bestRank] = [c as Driver, rank];
  }
  return best;
}

/** How well one comparison on a metric, param, tag or dataset can drive; Infinity when it cannot. */
function driveRank(c: FilterAst): number {
  if (c.type === 'and' || c.type === 'or' || c.type === 'null' || c.target.entity === 'attribute') {
    return Number.POSITIVE_INFINITY;
  }
  const equality = (c.type === 'string' && c.op === '=') || (c.type === 'in' && !c.negated);
  return c.target.entity !== 'metric' && equality ? 0
    : c.type === 'number' && c.op === '=' ? 1
    : c.type === 'number' && c.op !== '!=' ? 2
    : Number.POSITIVE_INFINITY;
}

/** `SELECT run_id …` of the runs one comparison on a metric, param, tag or dataset matches. */
function runList(c: ValueComparison, dialect: Dialect): Fragment {
  const t = c.target;
  if (t.entity === 'attribute') throw new Error('an attribute clause has no run list');
  if (t.entity === 'dataset') {
    const cond = condition(DATASET_COLUMNS[t.key], c, dialect, '?');
    return { sql: `${DATASET_RUNS} WHERE ${cond.sql}`, params: cond.params };
  }
  const cond = condition('value', c, dialect, '?');
  return {
    sql: `SELECT run_id FROM ${KEY_VALUE_TABLES[t.entity]} WHERE key = ? AND ${cond.sql}`,
    params: [t.key, ...cond.params],
  };
}

/**
 * The candidate list of a driving clause: `SELECT dv.run_id FROM … dv WHERE
 * <clause> [AND <test on dv.run_id>]…`, one row per matching run.
 */
function candidates(c: Driver, tests: readonly Fragment[], dialect: Dialect): Fragment {
  let source: Fragment;
  const where: Fragment[] = [];
  if (c.type === 'or' || c.target.entity === 'dataset') {
    // UNION, or DISTINCT for a run with several matching inputs: one row per run.
    const lists = c.type === 'or' ? c.clauses.map((b) => runList(b as ValueComparison, dialect)) : [runList(c, dialect)];
    const inner = concat(lists, ' UNION ');
    source = {
      sql: `SELECT dv.run_id FROM (${lists.length === 1 ? inner.sql.replace(/^SELECT /, 'SELECT DISTINCT ') : inner.sql}) dv`,
      params: inner.params,
    };
  } else {
    const t = c.target;
    if (t.entity === 'attribute') throw new Error('an attribute clause cannot drive a search');
    const cond = condition('dv.value', c, dialect, '?');
    source = { sql: `SELECT dv.run_id FROM ${KEY_VALUE_TABLES[t.entity]} dv`, params: [] };
    where.push({ sql: `dv.key = ? AND ${cond.sql}`, params: [t.key, ...cond.params] });
  }
  where.push(...tests);
  if (where.length === 0) return source;
  const w = concat(where, ' AND ');
  return { sql: `${source.sql} WHERE ${w.sql}`, params: [...source.params, ...w.params] };
}

/**
 * Any clause as a test on the run whose id is `runId` (`r.id` unless inside a
 * candidate list); metrics, params, tags and datasets as correlated EXISTS,
 * or under an OR as `IN (SELECT run_id …)` lists (one index read each, where
 * EXISTS would probe once per run).
 */
function predicate(node: FilterAst, dialect: Dialect, runId = 'r.id', inOr = false): Fragment {
  if (node.type === 'and' || node.type === 'or') {
    const inner = concat(
      node.clauses.map((c) => predicate(c, dialect, runId, inOr || node.type === 'or')),
      node.type === 'and' ? ' AND ' : ' OR ',
    );
    return { sql: `(${inner.sql})`, params: inner.params };
  }
  const t = node.target;
  if (t.entity === 'attribute') {
    const col = COLUMNS[t.key];
    if (node.type === 'null') return { sql: `${col} IS ${node.negated ? 'NOT ' : ''}NULL`, params: [] };
    // Bind numbers as floats: a bigint column would reject a fractional bound on PostgreSQL.
    return condition(col, node, dialect, dialect.castToFloat('?'));
  }
  if (inOr && node.type !== 'null') {
    // Under OR, a list read once from the (key, value) index beats a probe per run.
    const list = runList(node, dialect);
    return { sql: `${runId} IN (${list.sql})`, params: list.params };
  }
  const not = node.type === 'null' && !node.negated ? 'NOT ' : '';
  if (t.entity === 'dataset') {
    if (node.type === 'null') {
      return { sql: `${not}EXISTS (SELECT 1 FROM run_inputs ri WHERE ri.run_id = ${runId})`, params: [] };
    }
    const cond = condition(DATASET_COLUMNS[t.key], node, dialect, '?');
    return { sql: `EXISTS (${DATASET_EXISTS} ${runId} AND ${cond.sql})`, params: cond.params };
  }
  const head = `EXISTS (SELECT 1 FROM ${KEY_VALUE_TABLES[t.entity]} x WHERE x.run_id = ${runId} AND x.key = ?`;
  if (node.type === 'null') return { sql: `${not}${head})`, params: [t.key] };
  const cond = condition('x.value', node, dialect, '?');
  return { sql: `${head} AND ${cond.sql})`, params: [t.key, ...cond.params] };
}

/** `col <op> ?` for one comparison; `numberParam` is the placeholder used for numbers. */
function condition(
  col: string,
  c: ValueComparison,
  dialect: Dialect,
  numberParam: string,
): Fragment {
  switch (c.type) {
    case 'number':
      return { sql: `${col} ${c.op === '!=' ? '<>' : c.op} ${numberParam}`, params: [c.value] };
    case 'in':
      return { sql: `${col} ${c.negated ? 'NOT IN' : 'IN'} ${placeholders(c.values.length)}`, params: c.values };
    case 'string': {
      const sql =
        c.op === 'LIKE' ? dialect.like(col, '?') : c.op === 'ILIKE' ? dialect.ilike(col, '?') : `${col} ${c.op === '!=' ? '<>' : '='} ?`;
      return { sql, params: [c.value] };
    }
  }
}

function concat(parts: readonly Fragment[], sep = ' '): CompiledSql {
  return { sql: parts.map((p) => p.sql).join(sep), params: parts.flatMap((p) => p.params) };
}
