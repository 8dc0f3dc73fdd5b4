/**
 * The tabular-data port: profiles, contract validation, leakage checks and
 * diffs over a CSV or Parquet file. `DuckDbTabularEngine` implements it.
 *
 * Contract: every method reads the files it is given and writes nothing.
 * Results are plain JSON-serialisable values (numbers, strings, arrays), so
 * they can be stored as dataset reports as they are. Errors are CairnErrors:
 * a missing file is NotFound; a file that cannot be parsed (ragged CSV,
 * not Parquet, unknown extension) is InvalidArgument naming the file and,
 * where known, the line. A failed contract is a report with `passed: false`,
 * not an error. Methods may run concurrently on one engine.
 */
import type { Contract } from './contract.js';

/** Cairn's coarse column types, shared by profiles and contracts. */
export const COLUMN_TYPES = ['integer', 'float', 'string', 'boolean', 'date', 'timestamp', 'other'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];
export const isColumnType = (v: unknown): v is ColumnType =>
  typeof v === 'string' && (COLUMN_TYPES as readonly string[]).includes(v);
export const isNumericType = (t: ColumnType): boolean => t === 'integer' || t === 'float';

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  /** The engine's own type name, e.g. DuckDB's `DOUBLE` or `DECIMAL(10,2)`. */
  readonly physicalType: string;
}

export interface Histogram {
  /** `counts.length + 1` bin edges, equal width from min to max; bin i is (edges[i], edges[i+1]], the first also holds min. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

export interface CategoryCount {
  readonly value: string;
  readonly count: number;
}

/** The quantiles every numeric profile carries. */
export const PROFILE_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface ColumnProfile extends ColumnSchema {
  /** Rows where the column is null (or an empty CSV field). */
  readonly missing: number;
  /** `missing / rows × 100`, 0 for an empty table. */
  readonly missingPct: number;
  /** Approximate distinct non-null values (HyperLogLog, a few % error on large columns). */
  readonly distinct: number;
  /** Numbers for numeric columns, ISO text for dates and timestamps, text otherwise; null when every value is missing. */
  readonly min: number | string | null;
  readonly max: number | string | null;
  readonly mean: number | null;
  readonly stddev: number | null;
  /** Values at PROFILE_QUANTILES, estimated from a reservoir sample; null for non-numeric columns. */
  readonly quantiles: readonly number[] | null;
  readonly histogram: Histogram | null;
  /** The most frequent values with exact counts (strings and booleans); null otherwise. */
  readonly topCategories: readonly CategoryCount[] | null;
  /** Float values that are NaN or ±Infinity; the numeric statistics above leave them out. */
  readonly nonFinite: number;
}

export interface TableProfile {
  readonly file: string;
  readonly format: TableFormat;
  readonly rows: number;
  readonly columns: readonly ColumnProfile[];
}

export const TABLE_FORMATS = ['csv', 'parquet'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export const CHECK_KINDS = ['column', 'type', 'not-null', 'range', 'allowed', 'unique', 'rows', 'custom', 'extra-columns'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface CheckResult {
  /** Stable name, e.g. `age: range`, `rows`, `custom: income_positive`. */
  readonly name: string;
  readonly kind: CheckKind;
  readonly column: string | null;
  readonly passed: boolean;
  /** Violating rows (or groups, for uniqueness); 0 when passed. */
  readonly failures: number;
  readonly message: string;
  /** Up to a few offending values or rows, rendered as text. */
  readonly examples: readonly string[];
}

export interface ValidationReport {
  readonly file: string;
  readonly rows: number;
  readonly passed: boolean;
  readonly checks: readonly CheckResult[];
}

export interface LeakageOptions {
  /** Columns identifying an entity; rows of VALID whose key occurs in TRAIN are reported. */
  readonly key?: readonly string[];
  /** The label; enables the feature→label checks. */
  readonly label?: string;
}

export const LEAKAGE_FINDINGS = ['exact-duplicates', 'normalised-duplicates', 'key-overlap', 'train-duplicates', 'valid-duplicates', 'feature-predicts-label'] as const;
export type LeakageFindingKind = (typeof LEAKAGE_FINDINGS)[number];

export interface DuplicateFinding {
  readonly kind: Exclude<LeakageFindingKind, 'feature-predicts-label'>;
  /** Rows involved: rows of VALID found in TRAIN, or rows beyond the first copy within a split. */
  readonly rows: number;
  /** Distinct duplicated rows (or keys). */
  readonly distinct: number;
  readonly examples: readonly string[];
}

export const LEAK_SEVERITIES = ['perfect', 'near-perfect'] as const;
export type LeakSeverity = (typeof LEAK_SEVERITIES)[number];

export interface FeatureLeak {
  readonly feature: string;
  /** How the feature was measured: majority label per value, or |Pearson correlation| for numbers. */
  readonly measure: 'value-groups' | 'correlation';
  /** Accuracy (value-groups) or |correlation|. */
  readonly score: number;
  /** value-groups: share of VALID rows whose value occurs in TRAIN; 1 for correlation. */
  readonly coverage: number;
  readonly severity: LeakSeverity | null;
  readonly examples: readonly string[];
}

export interface LeakageReport {
  readonly train: string;
  readonly valid: string;
  readonly trainRows: number;
  readonly validRows: number;
  readonly duplicates: readonly DuplicateFinding[];
  /** Every feature measured, most predictive first; `severity` says which are flagged. */
  readonly features: readonly FeatureLeak[];
  /** Majority-class accuracy of the label in VALID, the baseline a feature must beat. */
  readonly labelBaseline: number | null;
  /** True when any duplicate finding has rows or any feature is flagged. */
  readonly leaky: boolean;
}

export interface TableDiff {
  readonly a: string;
  readonly b: string;
  readonly rowsA: number;
  readonly rowsB: number;
  readonly added: readonly ColumnSchema[];
  readonly removed: readonly ColumnSchema[];
  readonly retyped: readonly { readonly name: string; readonly from: string; readonly to: string }[];
  readonly changed: boolean;
}

export interface TabularEngine {
  profile(file: string): Promise<TableProfile>;
  validate(file: string, contract: Contract): Promise<ValidationReport>;
  /** A contract that the file passes: its columns, types, nullability, ranges, small category sets, unique columns and row count. */
  inferContract(file: string): Promise<Contract>;
  checkLeakage(train: string, valid: string, opts?: LeakageOptions): Promise<LeakageReport>;
  diff(a: string, b: string): Promise<TableDiff>;
  /** Releases the engine's resources; the engine is unusable afterwards. */
  close(): void;
}
