/**
 * The dialect layer: the one port through which every store talks SQL.
 *
 * Stores write each statement once, with `?` placeholders, and never import a
 * driver. Differences between databases live on the `Dialect` (type names in
 * DDL, LIKE semantics), not in if-branches across the stores.
 */
export type SqlValue = string | number | bigint | boolean | null | Uint8Array;

export interface Queryable {
  /** Runs a query and returns every row. */
  all<T extends object = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a query and returns the first row, if any. */
  get<T extends object = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; `changes` is the number of rows it touched. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Runs one statement once per parameter row, in order, as fast as the driver allows. */
  runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void>;
}

export const DIALECT_NAMES = ['sqlite', 'postgres'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** Per-database capabilities and spellings. Pure data plus tiny SQL builders. */
export interface Dialect {
  readonly name: DialectName;
  /**
   * Replaces `{{float}}`, `{{bigint}}`, `{{blob}}`, `{{idpk}}` tokens in DDL, and
   * `{{without_rowid}}` after a table's closing parenthesis (a clustered primary
   * key where the database has that option, else nothing).
   */
  readonly ddlTypes: Readonly<Record<'float' | 'bigint' | 'blob' | 'idpk' | 'without_rowid', string>>;
  /**
   * Refreshes the planner's statistics where the database needs telling, as one
   * statement; run after migrations, bulk loads and periodically. Absent where
   * the database keeps its own (PostgreSQL's autovacuum analyses).
   */
  readonly optimize?: string;
  /** A case-sensitive LIKE of `lhs` against the pattern expression `rhs`. */
  like(lhs: string, rhs: string): string;
  /** A case-insensitive LIKE. */
  ilike(lhs: string, rhs: string): string;
  /** Casts a text expression to a floating point number for numeric comparison. */
  castToFloat(expr: string): string;
  /** True where `WITH x AS (UPDATE … RETURNING …) INSERT …` runs as one statement (PostgreSQL; not SQLite). */
  readonly writableCte: boolean;
  /** The lowercase hex SHA-256 of a text expression's UTF-8 bytes. */
  sha256Hex(expr: string): string;
}

export interface Db extends Queryable {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in one transaction: all of its statements commit together or not
   * at all. Transactions on one `Db` never interleave; a rejected `fn` rolls back.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` holding the database-wide migration lock, which excludes other
   * processes migrating the same database at the same time.
   */
  withMigrationLock<T>(fn: (db: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Expands DDL type tokens for a dialect. */
export function expandDdl(sql: string, dialect: Dialect): string {
  return sql.replace(/\{\{(float|bigint|blob|idpk|without_rowid)\}\}/g, (_, t: keyof Dialect['ddlTypes']) => dialect.ddlTypes[t]);
}

/** Builds `(?, ?, ?)` placeholder groups. */
export function placeholders(n: number): string {
  return `(${new Array<string>(n).fill('?').join(', ')})`;
}
