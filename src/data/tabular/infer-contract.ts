/**
 * Bootstrapping a contract from a profile, and writing a contract as YAML.
 * The inferred contract is one the profiled file passes; users then loosen
 * or tighten it by hand.
 */
import { stringify } from 'yaml';
import type { Contract, ContractColumn, ContractType } from './contract.js';
import { isNumericType, type ColumnProfile, type TableProfile } from './tabular-engine.js';

/** String columns with at most this many distinct values get an `allowed` list. */
export const MAX_INFERRED_CATEGORIES = 10;

function contractType(c: ColumnProfile): ContractType | null {
  return c.type === 'other' ? null : c.type;
}

/** The full set of values of a string column, when the top categories cover every non-missing row. */
function allowedValues(c: ColumnProfile, rows: number): string[] | null {
  if (c.type !== 'string' || !c.topCategories || c.topCategories.length === 0 || c.topCategories.length > MAX_INFERRED_CATEGORIES) return null;
  const covered = c.topCategories.reduce((s, t) => s + t.count, 0);
  return covered === rows - c.missing ? c.topCategories.map((t) => t.value).sort() : null;
}

/**
 * A contract the profiled file passes. `uniqueColumns` are the columns the
 * engine found to hold no repeated value (exactly, not from the estimate).
 */
export function inferContract(profile: TableProfile, uniqueColumns: readonly string[], source: string): Contract {
  const unique = new Set(uniqueColumns);
  const at = { line: 0, column: 0 };
  const columns = profile.columns.map((c): ContractColumn => {
    const numeric = isNumericType(c.type);
    const ranged = numeric || c.type === 'date' || c.type === 'timestamp';
    const allowed = allowedValues(c, profile.rows);
    return {
      name: c.name,
      type: contractType(c),
      nullable: c.missing > 0,
      min: ranged ? c.min : null,
      max: ranged ? c.max : null,
      allowed,
      unique: unique.has(c.name) && c.missing === 0,
      at,
    };
  });
  return { columns, rows: { min: profile.rows > 0 ? 1 : 0, max: null }, unique: [], checks: [], allowExtraColumns: false, source };
}

/** The contract as YAML, in the shape `parseContract` reads. */
export function renderContract(contract: Contract, header: readonly string[] = []): string {
  const doc: Record<string, unknown> = {};
  if (contract.rows) doc.rows = Object.fromEntries(Object.entries(contract.rows).filter(([, v]) => v !== null));
  doc.columns = contract.columns.map((c) => {
    const o: Record<string, unknown> = { name: c.name };
    if (c.type) o.type = c.type;
    if (c.nullable !== null) o.nullable = c.nullable;
    if (c.min !== null) o.min = c.min;
    if (c.max !== null) o.max = c.max;
    if (c.allowed) o.allowed = c.allowed;
    if (c.unique) o.unique = true;
    return o;
  });
  if (contract.unique.length > 0) doc.unique = contract.unique;
  if (contract.checks.length > 0) doc.checks = contract.checks.map((c) => ({ name: c.name, sql: c.sql }));
  doc.extra_columns = contract.allowExtraColumns ? 'allow' : 'forbid';
  const comments = header.map((h) => `# ${h}\n`).join('');
  return comments + stringify(doc, { lineWidth: 0, flowCollectionPadding: false });
}
