/**
 * Where CLI commands write. Commands print through an `Output` so that what
 * goes to stdout (results) and stderr (progress, notices) stays separate.
 */
import { encodeNumber } from '../api/wire.js';

export interface Output {
  /** Writes one line of results to stdout. */
  line(text?: string): void;
  /** Writes one line of notices to stderr. */
  note(text: string): void;
  /** Prints a value as JSON on stdout; NaN and ±Infinity travel as strings, like the API. */
  json(value: unknown): void;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export function processOutput(): Output {
  const { stdout, stderr } = process;
  // A reader that stops early (`cairn … | head`) closes the pipe: stop quietly, as Unix tools do.
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit();
  });
  return {
    stdout,
    stderr,
    line: (text = '') => void stdout.write(`${text}\n`),
    note: (text) => void stderr.write(`${text}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, numbersAsWire, 2)}\n`),
  };
}

const numbersAsWire = (_key: string, v: unknown): unknown => (typeof v === 'number' ? encodeNumber(v) : v);
