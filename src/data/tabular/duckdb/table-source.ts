/**
 * How the DuckDB engine reads a file: the table function for its format,
 * with strict CSV settings, and the translation of DuckDB's read errors
 * into InvalidArgument messages that name the file and, where known, the line.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CairnError, InvalidArgument, NotFound } from '../../../core/errors.js';
import { CsvShapeScanner, type RaggedRow } from '../csv-shape.js';
import type { TableFormat } from '../tabular-engine.js';
import { literal } from './sql.js';

export interface TableSource {
  readonly file: string;
  readonly format: TableFormat;
  /** For CSV: the field delimiter. */
  readonly delimiter: string;
  /** A table expression to put after FROM. */
  readonly sql: string;
}

const FORMATS: readonly (readonly [RegExp, TableFormat, string])[] = [
  [/\.csv(\.gz|\.zst)?$/i, 'csv', ','],
  [/\.(tsv|tab)(\.gz|\.zst)?$/i, 'csv', '\t'],
  [/\.(parquet|pq)$/i, 'parquet', ''],
];

/**
 * The source for `file`, by extension. CSV is read strictly: RFC 4180 quoting,
 * a header row, the delimiter fixed by the extension (never guessed, so a
 * ragged file cannot be mistaken for a one-column one), no padding of short rows.
 */
export function tableSource(file: string): TableSource {
  const match = FORMATS.find(([re]) => re.test(file));
  if (!match) throw new InvalidArgument(`${file}: unknown table format; use a .csv, .tsv or .parquet file (optionally .csv.gz)`);
  const [, format, delimiter] = match;
  const sql = format === 'parquet'
    ? `read_parquet(${literal(file)})`
    : `read_csv(${literal(file)}, delim = ${literal(delimiter)}, quote = '"', escape = '"', header = true, strict_mode = true, null_padding = false)`;
  return { file, format, delimiter, sql };
}

/** NotFound or InvalidArgument when `file` is not a readable regular file. */
export async function checkReadable(file: string): Promise<void> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new InvalidArgument(`${file}: not a file`);
    if (s.size === 0) throw new InvalidArgument(`${file}: empty file; a table needs at least a header row`);
  } catch (e) {
    if (e instanceof CairnError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFound(`${file}: no such file`);
    throw new InvalidArgument(`${file}: cannot read it (${code ?? String(e)})`);
  }
}

async function findRaggedRow(file: string, delimiter: string): Promise<RaggedRow | null> {
  if (!/\.(csv|tsv|tab)$/i.test(file)) return null;
  const scanner = new CsvShapeScanner(delimiter);
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const chunk of stream) if (scanner.push(chunk as string)) break;
  } finally {
    stream.destroy();
  }
  return scanner.end();
}

const firstLine = (message: string): string =>
  (message.split('\n')[0] ?? message).replace(/^[A-Za-z ]*Error: /, '').trim();

/** The user-facing error for a failure while DuckDB read `source`. */
export async function readError(err: unknown, source: TableSource): Promise<CairnError> {
  if (err instanceof CairnError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const { file } = source;
  const ragged = /CSV Error on Line: (\d+)[\s\S]*?Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (ragged) {
    const [, line, expected, found] = ragged;
    const original = /Original Line: (.*)/.exec(message)?.[1];
    return new InvalidArgument(`${file}: line ${line}: expected ${expected} fields, found ${found}${original ? ` (${original.slice(0, 120)})` : ''}; every row must have as many fields as the header`,
      { file, line: Number(line) });
  }
  const badValue = /CSV Error on Line: (\d+)/.exec(message) ?? /Line: (\d+)/.exec(message);
  if (badValue && source.format === 'csv') {
    const line = Number(badValue[1]);
    const conv = /converting column "(.*?)"\. Could not convert string "(.*?)" to '(\w+)'/.exec(message);
    if (conv) {
      return new InvalidArgument(`${file}: line ${line}: column '${conv[1]}': "${conv[2]}" is not a ${conv[3]} (the column's type is guessed from the first 20,480 rows); fix the value`, { file, line });
    }
    const detail = message.split('\n').map((l) => l.trim()).find((l) => l !== '' && !/^(Original Line|[A-Za-z ]*Error: CSV Error on Line)/.test(l));
    return new InvalidArgument(`${file}: line ${line}: ${detail ?? firstLine(message)}`, { file, line });
  }
  if (source.format === 'csv' && /sniff|dialect/i.test(message)) {
    const row = await findRaggedRow(file, source.delimiter).catch(() => null);
    if (row) {
      return new InvalidArgument(`${file}: line ${row.line}: expected ${row.expected} fields, found ${row.found} (${row.text.slice(0, 120)}); every row must have as many fields as the header`,
        { file, line: row.line });
    }
    return new InvalidArgument(`${file}: not a readable CSV file (${firstLine(message)}); expected '${source.delimiter === '\t' ? '\\t' : source.delimiter}'-separated fields with a header row`, { file });
  }
  if (/magic bytes|not a parquet/i.test(message)) return new InvalidArgument(`${file}: not a Parquet file`, { file });
  return new InvalidArgument(`${file}: cannot read it as ${source.format.toUpperCase()}: ${firstLine(message)}`, { file });
}
