/**
 * check-leakage as DuckDB SQL over two temporary tables, `tr` (TRAIN) and
 * `va` (VALID), each carrying hidden hash columns of the exact row, the
 * normalised row and the key (see leakage-rules.ts for the rules).
 */
import { isNumericType, type ColumnSchema, type DuplicateFinding, type FeatureLeak } from '../tabular-engine.js';
import { FLOAT_DECIMALS, LEAKAGE_EXAMPLES, leakSeverity } from '../leakage-rules.js';
import { renderExample } from './check-queries.js';
import type { Connection } from './connection.js';
import { ident, num } from './sql.js';

export const HASH = { exact: '__cairn_exact', normalised: '__cairn_norm', key: '__cairn_key' } as const;
const hidden = (...more: string[]) => `EXCLUDE (${[...Object.values(HASH), ...more].join(', ')})`;
const HIDDEN = hidden();

/** One column on both sides: the type each split gave it. */
export interface PairedColumn {
  readonly name: string;
  readonly train: ColumnSchema;
  readonly valid: ColumnSchema;
}

const sameType = (c: PairedColumn) => c.train.physicalType === c.valid.physicalType;
const exactExpr = (c: PairedColumn) => (sameType(c) ? ident(c.name) : `${ident(c.name)}::VARCHAR`);

export function normalisedExpr(c: PairedColumn): string {
  const x = ident(c.name);
  if (isNumericType(c.train.type) && isNumericType(c.valid.type)) return `round(${x}::DOUBLE, ${FLOAT_DECIMALS}) + 0.0`;
  if (c.train.type === 'string' || c.valid.type === 'string') return `lower(trim(${x}::VARCHAR))`;
  return exactExpr(c);
}

/** `SELECT *, <hashes> FROM source` for one split. */
export function hashedSelect(from: string, columns: readonly PairedColumn[], key: readonly PairedColumn[]): string {
  const row = (exprs: string[]) => `hash(row(${exprs.join(', ')}))`;
  const keyHash = key.length > 0 ? row(key.map(exactExpr)) : 'NULL::UBIGINT';
  return `SELECT *, ${row(columns.map(exactExpr))} AS ${HASH.exact}, ${row(columns.map(normalisedExpr))} AS ${HASH.normalised}, ${keyHash} AS ${HASH.key} FROM ${from}`;
}

async function examples(conn: Connection, sql: string): Promise<string[]> {
  return (await conn.all(sql)).map((r) => renderExample(r));
}

/** Rows of VALID whose hash occurs in TRAIN. */
async function shared(conn: Connection, kind: DuplicateFinding['kind'], h: string): Promise<DuplicateFinding> {
  const where = `${h} IN (SELECT ${h} FROM tr)`;
  const [r] = await conn.all(`SELECT count(*) AS n, count(DISTINCT ${h}) AS d FROM va WHERE ${where}`);
  const rows = num(r?.n) ?? 0;
  // Normalised examples show first the rows that only normalisation matched.
  const order = kind === 'normalised-duplicates' ? `ORDER BY ${HASH.exact} IN (SELECT ${HASH.exact} FROM tr)` : '';
  const once = `SELECT * FROM va WHERE ${where} QUALIFY row_number() OVER (PARTITION BY ${h}) = 1`;
  const ex = rows === 0 ? [] : await examples(conn, `SELECT * ${HIDDEN} FROM (${once}) ${order} LIMIT ${LEAKAGE_EXAMPLES}`);
  return { kind, rows, distinct: num(r?.d) ?? 0, examples: ex };
}

/** Rows beyond the first copy of each exact row within one split. */
async function within(conn: Connection, kind: 'train-duplicates' | 'valid-duplicates', table: string): Promise<DuplicateFinding> {
  const h = HASH.exact;
  const [r] = await conn.all(`SELECT coalesce(sum(n - 1), 0) AS rows, count(*) AS d FROM (SELECT count(*) AS n FROM ${table} GROUP BY ${h} HAVING n > 1)`);
  const rows = num(r?.rows) ?? 0;
  const ex = rows === 0 ? [] : (await conn.all(`SELECT * ${hidden('rn', 'n')}, n AS "copies" FROM (SELECT *, count(*) OVER w AS n, row_number() OVER w AS rn FROM ${table} WINDOW w AS (PARTITION BY ${h})) WHERE n > 1 AND rn = 1 ORDER BY n DESC LIMIT ${LEAKAGE_EXAMPLES}`))
    .map((row) => renderExample(row));
  return { kind, rows, distinct: num(r?.d) ?? 0, examples: ex };
}

export async function duplicateFindings(conn: Connection, withKey: boolean): Promise<DuplicateFinding[]> {
  const out = [await shared(conn, 'exact-duplicates', HASH.exact), await shared(conn, 'normalised-duplicates', HASH.normalised)];
  if (withKey) out.push(await shared(conn, 'key-overlap', HASH.key));
  out.push(await within(conn, 'train-duplicates', 'tr'), await within(conn, 'valid-duplicates', 'va'));
  return out;
}

/** Majority-class accuracy of the label in VALID. */
export async function labelBaseline(conn: Connection, label: PairedColumn): Promise<number | null> {
  const [r] = await conn.all(`SELECT max(c)::DOUBLE / sum(c)::DOUBLE AS b FROM (SELECT count(*) AS c FROM va GROUP BY ${ident(label.name)})`);
  return num(r?.b);
}

/** For each feature: the accuracy on VALID of the majority TRAIN label of its value. */
export async function valueGroupLeaks(conn: Connection, features: readonly PairedColumn[], label: PairedColumn, baseline: number | null): Promise<FeatureLeak[]> {
  const y = ident(label.name);
  const out: FeatureLeak[] = [];
  for (const f of features) {
    const col = (table: string) => `${table}.${ident(f.name)}${sameType(f) ? '' : '::VARCHAR'}`;
    const x = col('tr');
    const groups = `SELECT v, arg_max(y, c) AS y, sum(c) AS c FROM (SELECT ${x} AS v, ${y} AS y, count(*) AS c FROM tr WHERE ${x} IS NOT NULL GROUP BY ALL) GROUP BY v`;
    const [r] = await conn.all(`WITH m AS (${groups}) SELECT count(*) AS total, count(m.v) AS covered, count_if(m.v IS NOT NULL AND m.y IS NOT DISTINCT FROM va.${y}) AS correct FROM va LEFT JOIN m ON ${col('va')} = m.v`);
    const total = num(r?.total) ?? 0;
    const covered = num(r?.covered) ?? 0;
    const score = covered === 0 ? 0 : (num(r?.correct) ?? 0) / covered;
    const coverage = total === 0 ? 0 : covered / total;
    const severity = leakSeverity('value-groups', score, coverage, baseline);
    const ex = severity === null ? [] : (await conn.all(`SELECT v::VARCHAR || ' → ' || y::VARCHAR || ' (' || c::VARCHAR || ' train rows)' AS e FROM (${groups}) ORDER BY c DESC LIMIT ${LEAKAGE_EXAMPLES}`)).map((row) => String(row.e));
    out.push({ feature: f.name, measure: 'value-groups', score, coverage, severity, examples: ex });
  }
  return out;
}

/** |Pearson correlation| on TRAIN of each numeric feature with a numeric, boolean or two-class label. */
export async function correlationLeaks(conn: Connection, features: readonly PairedColumn[], label: PairedColumn): Promise<FeatureLeak[]> {
  const numeric = features.filter((f) => isNumericType(f.train.type));
  if (numeric.length === 0) return [];
  const y = ident(label.name);
  let target: string | null = null;
  if (isNumericType(label.train.type) || label.train.type === 'boolean') target = `${y}::DOUBLE`;
  else {
    const [r] = await conn.all(`SELECT count(DISTINCT ${y}) AS k FROM tr`);
    if (num(r?.k) === 2) target = `(${y} = (SELECT min(${y}) FROM tr))::DOUBLE`;
  }
  if (target === null) return [];
  const [r] = await conn.all(`SELECT ${numeric.map((f, i) => `corr(${ident(f.name)}::DOUBLE, ${target}) AS c${i}`).join(', ')} FROM tr`);
  return numeric.flatMap((f, i) => {
    const c = num(r?.[`c${i}`]);
    if (c === null || !Number.isFinite(c)) return [];
    const score = Math.abs(c);
    return [{ feature: f.name, measure: 'correlation' as const, score, coverage: 1, severity: leakSeverity('correlation', score, 1, null), examples: [`correlation ${c.toFixed(4)} on TRAIN`] }];
  });
}
