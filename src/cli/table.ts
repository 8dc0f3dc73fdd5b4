/** Plain aligned text tables: columns separated by two spaces, no borders. */

export type Align = 'left' | 'right';

export interface TableOptions {
  /** Column headers; omitted for key/value listings. */
  readonly header?: readonly string[];
  readonly align?: readonly Align[];
}

/**
 * Renders rows as aligned lines (header first when given), trailing spaces
 * trimmed. Widths count UTF-16 code units, so callers add colour after.
 *
 * @example
 * renderTable([['1', 'churn']], { header: ['ID', 'NAME'] }) // ['ID  NAME', '1   churn']
 */
export function renderTable(rows: readonly (readonly string[])[], opts: TableOptions = {}): string[] {
  const all = opts.header ? [opts.header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return all.map((row) =>
    row
      .map((cell, i) => (opts.align?.[i] === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** One compared quantity: a label and one value per compared item (null when missing). */
export interface CompareRow {
  readonly label: string;
  readonly values: readonly (string | null)[];
  /** False for rows that identify rather than compare (e.g. names): never marked. */
  readonly compared?: boolean;
}

export interface CompareOptions {
  /** Wrap differing rows in bold yellow (for terminals). */
  readonly color: boolean;
}

const BOLD_YELLOW = '\x1b[1;33m';
const RESET = '\x1b[0m';

/** True when the values are not all present and equal. */
export const rowDiffers = (values: readonly (string | null)[]): boolean =>
  values.some((v) => v === null || v !== values[0]);

/**
 * A side-by-side comparison: one column per item, one row per quantity.
 * Rows whose values differ carry `*` in the first column, and are bold
 * yellow when `color` is set, so differences show with or without colour.
 */
export function renderComparison(
  header: readonly string[], rows: readonly CompareRow[], opts: CompareOptions,
): string[] {
  const differs = rows.map((r) => r.compared !== false && rowDiffers(r.values));
  const cells = rows.map((r, i) => [differs[i] ? '*' : ' ', r.label, ...r.values.map((v) => v ?? '-')]);
  const [head = '', ...body] = renderTable(cells, { header: [' ', ...header] });
  return [head, ...body.map((line, i) => (differs[i] && opts.color ? `${BOLD_YELLOW}${line}${RESET}` : line))];
}
