import type { SearchTarget } from './search-target.js';

export const NUMBER_OPS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type NumberOp = (typeof NUMBER_OPS)[number];

export const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'] as const;
export type StringOp = (typeof STRING_OPS)[number];

/** `metrics.acc > 0.9`, `attributes.start_time >= 1700000000000`. */
export interface NumberComparison {
  readonly type: 'number';
  readonly target: SearchTarget;
  readonly op: NumberOp;
  readonly value: number;
}

/** `params.lr = '0.01'`, `tags.team ILIKE 'ml%'`. */
export interface StringComparison {
  readonly type: 'string';
  readonly target: SearchTarget;
  readonly op: StringOp;
  readonly value: string;
}

/** `attributes.run_id IN ('a', 'b')`, `tags.team NOT IN ('x')`. */
export interface InComparison {
  readonly type: 'in';
  readonly target: SearchTarget;
  readonly negated: boolean;
  readonly values: readonly string[];
}

/** `tags.note IS NULL` (absent), `metrics.acc IS NOT NULL` (logged, NaN included). */
export interface NullCheck {
  readonly type: 'null';
  readonly target: SearchTarget;
  readonly negated: boolean;
}

export type Comparison = NumberComparison | StringComparison | InComparison | NullCheck;

/** A parsed filter: comparisons combined with n-ary AND and OR. */
export type FilterAst =
  | Comparison
  | { readonly type: 'and'; readonly clauses: readonly FilterAst[] }
  | { readonly type: 'or'; readonly clauses: readonly FilterAst[] };
