/**
 * Contract validation as pure rules. `planValidation` settles what the
 * schema alone decides (missing columns, wrong types, extra columns) and
 * lists the row-level checks an engine must count in one pass;
 * `finishValidation` turns those counts into the report.
 */
import type { Bound, Category, Contract, CustomCheck } from './contract.js';
import { isNumericType, type CheckKind, type CheckResult, type ColumnSchema, type ColumnType, type ValidationReport } from './tabular-engine.js';

export type PlannedCheck =
  | { readonly kind: 'not-null'; readonly name: string; readonly column: ColumnSchema }
  | { readonly kind: 'range'; readonly name: string; readonly column: ColumnSchema; readonly min: Bound | null; readonly max: Bound | null }
  | { readonly kind: 'allowed'; readonly name: string; readonly column: ColumnSchema; readonly values: readonly Category[] }
  | { readonly kind: 'unique'; readonly name: string; readonly columns: readonly ColumnSchema[] }
  | { readonly kind: 'custom'; readonly name: string; readonly check: CustomCheck };

export interface ValidationPlan {
  /** Checks decided from the schema alone. */
  readonly resolved: readonly CheckResult[];
  /** Checks whose violating rows the engine counts. */
  readonly planned: readonly PlannedCheck[];
}

/** What an engine measured for one planned check. */
export interface Measured {
  readonly failures: number;
  readonly examples: readonly string[];
}

const TYPE_ACCEPTS: Readonly<Record<string, readonly ColumnType[]>> = {
  integer: ['integer'],
  float: ['float', 'integer'],
  number: ['float', 'integer'],
  string: ['string'],
  boolean: ['boolean'],
  date: ['date'],
  timestamp: ['timestamp', 'date'],
};

const result = (name: string, kind: CheckKind, column: string | null, passed: boolean, failures: number, message: string, examples: readonly string[] = []): CheckResult =>
  ({ name, kind, column, passed, failures, message, examples });

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The closest name in `names` to `name` (edit distance ≤ 2), for "did you mean". */
export function closestName(name: string, names: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = 3;
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

function boundFits(type: ColumnType, b: Bound): boolean {
  if (isNumericType(type)) return typeof b === 'number';
  if (type === 'date' || type === 'timestamp') return typeof b === 'string' && !Number.isNaN(Date.parse(b));
  return type === 'string';
}

function categoryFits(type: ColumnType, v: Category): boolean {
  if (type === 'boolean') return typeof v === 'boolean';
  if (isNumericType(type)) return typeof v === 'number';
  return typeof v !== 'boolean' || type === 'string';
}

/** Splits a contract into schema-level results and row-level checks for `schema`. */
export function planValidation(contract: Contract, schema: readonly ColumnSchema[]): ValidationPlan {
  const byName = new Map(schema.map((c) => [c.name, c]));
  const names = schema.map((c) => c.name);
  const resolved: CheckResult[] = [];
  const planned: PlannedCheck[] = [];
  const lookup = (name: string, checkName: string, kind: CheckKind): ColumnSchema | null => {
    const col = byName.get(name);
    if (col) return col;
    const hint = closestName(name, names);
    resolved.push(result(checkName, kind, name, false, 0,
      `column '${name}' is not in the file${hint ? ` (did you mean '${hint}'?)` : ''}; the file has: ${names.join(', ')}`));
    return null;
  };
  for (const c of contract.columns) {
    const col = lookup(c.name, `${c.name}: present`, 'column');
    if (!col) continue;
    if (c.type) {
      const ok = (TYPE_ACCEPTS[c.type] ?? []).includes(col.type);
      resolved.push(result(`${c.name}: type`, 'type', c.name, ok, ok ? 0 : 1,
        ok ? `${col.type} (${col.physicalType})` : `column '${c.name}' is ${col.type} (${col.physicalType}), expected ${c.type}`));
    }
    if (c.nullable === false) planned.push({ kind: 'not-null', name: `${c.name}: not null`, column: col });
    if (c.min !== null || c.max !== null) {
      const name = `${c.name}: range`;
      const bad = [c.min, c.max].find((b) => b !== null && !boundFits(col.type, b));
      if (bad !== undefined) resolved.push(result(name, 'range', c.name, false, 0, `bound ${JSON.stringify(bad)} does not fit column '${c.name}' of type ${col.type}`));
      else planned.push({ kind: 'range', name, column: col, min: c.min, max: c.max });
    }
    if (c.allowed) {
      const name = `${c.name}: allowed values`;
      const bad = c.allowed.find((v) => !categoryFits(col.type, v));
      if (bad !== undefined) resolved.push(result(name, 'allowed', c.name, false, 0, `allowed value ${JSON.stringify(bad)} does not fit column '${c.name}' of type ${col.type}`));
      else planned.push({ kind: 'allowed', name, column: col, values: c.allowed });
    }
    if (c.unique) planned.push({ kind: 'unique', name: `${c.name}: unique`, columns: [col] });
  }
  for (const key of contract.unique) {
    const name = `(${key.join(', ')}): unique`;
    const cols = key.map((k) => lookup(k, name, 'unique'));
    if (cols.every((c): c is ColumnSchema => c !== null)) planned.push({ kind: 'unique', name, columns: cols });
  }
  for (const check of contract.checks) planned.push({ kind: 'custom', name: `custom: ${check.name}`, check });
  if (!contract.allowExtraColumns) {
    const named = new Set(contract.columns.map((c) => c.name));
    const extra = names.filter((n) => !named.has(n));
    resolved.push(result('extra columns', 'extra-columns', null, extra.length === 0, extra.length,
      extra.length === 0 ? 'none' : `columns not in the contract: ${extra.join(', ')}`, extra));
  }
  return { resolved, planned };
}

function describeRange(min: Bound | null, max: Bound | null): string {
  if (min !== null && max !== null) return `[${min}, ${max}]`;
  return min !== null ? `≥ ${min}` : `≤ ${String(max)}`;
}

function measuredMessage(p: PlannedCheck, failures: number, rows: number): string {
  const pct = rows === 0 ? '' : ` (${((failures / rows) * 100).toFixed(2)}%)`;
  switch (p.kind) {
    case 'not-null': return failures === 0 ? 'no missing values' : `${fmt(failures)} rows${pct} are missing`;
    case 'range': return failures === 0 ? `all values ${describeRange(p.min, p.max)}` : `${fmt(failures)} rows${pct} outside ${describeRange(p.min, p.max)}`;
    case 'allowed': return failures === 0 ? `all values in {${p.values.join(', ')}}` : `${fmt(failures)} rows${pct} hold values outside {${p.values.join(', ')}}`;
    case 'unique': return failures === 0 ? 'no repeated values' : `${fmt(failures)} rows repeat a value that occurs earlier`;
    case 'custom': return failures === 0 ? `every row satisfies ${p.check.sql}` : `${fmt(failures)} rows${pct} violate ${p.check.sql}`;
  }
}

/** Builds the report from the plan, the row count and one measurement per planned check (same order). */
export function finishValidation(file: string, contract: Contract, plan: ValidationPlan, rows: number, measured: readonly Measured[]): ValidationReport {
  const checks: CheckResult[] = [...plan.resolved];
  plan.planned.forEach((p, i) => {
    const m = measured[i] ?? { failures: 0, examples: [] };
    const column = p.kind === 'custom' ? null : p.kind === 'unique' ? p.columns.map((c) => c.name).join(', ') : p.column.name;
    checks.push(result(p.name, p.kind, column, m.failures === 0, m.failures, measuredMessage(p, m.failures, rows), m.examples));
  });
  if (contract.rows) {
    const { min, max } = contract.rows;
    const ok = (min === null || rows >= min) && (max === null || rows <= max);
    const want = min !== null && max !== null ? `between ${fmt(min)} and ${fmt(max)}` : min !== null ? `at least ${fmt(min)}` : `at most ${fmt(max ?? 0)}`;
    checks.push(result('rows', 'rows', null, ok, ok ? 0 : 1, `${fmt(rows)} rows, expected ${want}`));
  }
  return { file, rows, passed: checks.every((c) => c.passed), checks };
}
