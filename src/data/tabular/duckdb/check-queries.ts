/**
 * Contract checks as DuckDB SQL: each planned check becomes one aggregate
 * counting violating rows (all counted in a single scan) and, only when it
 * failed, one query for a few examples.
 */
import type { Connection } from './connection.js';
import { InvalidArgument } from '../../../core/errors.js';
import type { Contract, CustomCheck } from '../contract.js';
import type { Measured, PlannedCheck } from '../contract-checks.js';
import { ident, show, valueFor } from './sql.js';

export const CHECK_EXAMPLES = 5;

function violation(p: PlannedCheck): string {
  switch (p.kind) {
    case 'not-null': return `${ident(p.column.name)} IS NULL`;
    case 'range': {
      const x = ident(p.column.name);
      const conds = [p.min === null ? null : `${x} < ${valueFor(p.column.type, p.min)}`, p.max === null ? null : `${x} > ${valueFor(p.column.type, p.max)}`];
      return conds.filter((c) => c !== null).join(' OR ');
    }
    case 'allowed': {
      const x = ident(p.column.name);
      return `${x} IS NOT NULL AND ${x} NOT IN (${p.values.map((v) => valueFor(p.column.type, v)).join(', ')})`;
    }
    case 'custom': return `NOT coalesce((${p.check.sql})::BOOLEAN, FALSE)`;
    case 'unique': throw new Error('unique checks count groups, not rows');
  }
}

/** The aggregate for one planned check: violating rows (for uniqueness: rows repeating an earlier value). */
export function violationAggregate(p: PlannedCheck): string {
  if (p.kind !== 'unique') return `count_if(${violation(p)})`;
  const cols = p.columns.map((c) => ident(c.name));
  return cols.length === 1 ? `count(${cols[0]}) - count(DISTINCT ${cols[0]})` : `count(*) - count(DISTINCT row(${cols.join(', ')}))`;
}

export function examplesSql(p: PlannedCheck, from: string): string {
  if (p.kind === 'unique') {
    const cols = p.columns.map((c) => ident(c.name)).join(', ');
    return `SELECT ${cols}, count(*) AS "rows" FROM ${from} ${p.columns.length === 1 ? `WHERE ${cols} IS NOT NULL` : ''} GROUP BY ALL HAVING count(*) > 1 ORDER BY "rows" DESC LIMIT ${CHECK_EXAMPLES}`;
  }
  if (p.kind === 'custom') return `SELECT * FROM ${from} WHERE ${violation(p)} LIMIT ${CHECK_EXAMPLES}`;
  if (p.kind === 'not-null') return `SELECT 'row ' || rn::VARCHAR AS "row" FROM (SELECT row_number() OVER () AS rn, ${ident(p.column.name)} AS x FROM ${from}) WHERE x IS NULL LIMIT ${CHECK_EXAMPLES}`;
  const x = ident(p.column.name);
  return `SELECT ${x}, count(*) AS "rows" FROM ${from} WHERE ${violation(p)} GROUP BY ALL ORDER BY "rows" DESC LIMIT ${CHECK_EXAMPLES}`;
}

/** Renders an example row: a lone value as itself, `value (n rows)` for counted values, JSON otherwise. */
export function renderExample(row: Record<string, unknown>): string {
  const entries = Object.entries(row);
  if (entries.length === 1) return show(entries[0]?.[1]);
  if (entries.length === 2 && entries[1]?.[0] === 'rows') return `${show(entries[0]?.[1])} (${show(entries[1]?.[1])} rows)`;
  return show(Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v])));
}

/**
 * Binds every custom check against an empty table of `schemaTable`'s shape,
 * so a bad expression is reported with its name and position before any scan.
 */
export async function bindCustomChecks(conn: Connection, contract: Contract, schemaTable: string): Promise<void> {
  for (const check of contract.checks) {
    const problem = check.sql.includes(';') ? 'a check is one expression; remove the `;`' : await bindError(conn, check, schemaTable);
    if (problem !== null) {
      const { line, column } = check.at;
      throw new InvalidArgument(`${contract.source}:${line}:${column}: check '${check.name}': invalid SQL: ${problem}`, { check: check.name, line, column });
    }
  }
}

/** The first line of the error `check` raises over `from`, or null when it runs. */
async function bindError(conn: Connection, check: CustomCheck, from: string): Promise<string | null> {
  try {
    await conn.all(`SELECT count_if(NOT coalesce((${check.sql})::BOOLEAN, FALSE)) FROM ${from}`);
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]*Error: /, '');
  }
}

/**
 * After the counting scan failed: runs each custom check alone, and returns an
 * InvalidArgument naming the first one that fails on the data (e.g. a cast of
 * a value that does not convert), or null when none does.
 */
export async function failingCustomCheck(conn: Connection, contract: Contract, from: string): Promise<InvalidArgument | null> {
  for (const check of contract.checks) {
    const problem = await bindError(conn, check, from);
    if (problem !== null) {
      const { line, column } = check.at;
      return new InvalidArgument(`${contract.source}:${line}:${column}: check '${check.name}' failed on the data: ${problem}`, { check: check.name, line, column });
    }
  }
  return null;
}

/** Counts for every planned check in one scan, then examples for the failed ones. */
export async function measureChecks(conn: Connection, planned: readonly PlannedCheck[], from: string): Promise<{ rows: number; measured: Measured[] }> {
  const select = ['count(*) AS "rows"', ...planned.map((p, i) => `${violationAggregate(p)} AS v${i}`)];
  const [row] = await conn.all(`SELECT ${select.join(', ')} FROM ${from}`);
  const measured: Measured[] = [];
  for (const [i, p] of planned.entries()) {
    const failures = Number(row?.[`v${i}`] ?? 0);
    const examples = failures === 0 ? [] : (await conn.all(examplesSql(p, from))).map(renderExample);
    measured.push({ failures, examples });
  }
  return { rows: Number(row?.rows ?? 0), measured };
}
