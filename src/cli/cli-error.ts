/**
 * The CLI's one error mapping. A CairnError prints `error: <message>` and
 * exits with `exitCodeOf(code)`; usage errors (commander already printed
 * them) exit like INVALID_ARGUMENT; anything else prints its message and
 * exits 1.
 */
import { CommanderError } from 'commander';
import { CairnError, exitCodeOf } from '../core/errors.js';
import type { Output } from './output.js';

/** Exit status for bad flags and arguments: the same as INVALID_ARGUMENT. */
export const USAGE_EXIT_CODE = exitCodeOf('INVALID_ARGUMENT');
export const UNKNOWN_ERROR_EXIT_CODE = 1;

/**
 * Thrown by a command that has printed its result and only needs a non-zero
 * exit status (e.g. `cairn gate check` when a gate fails); prints nothing more.
 */
export class ExitStatus extends Error {
  constructor(readonly status: number) {
    super(`exit status ${status}`);
  }
}

/** Prints `err` as one line on stderr (unless commander already did) and returns the exit status. */
export function reportError(err: unknown, out: Output): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
  if (err instanceof ExitStatus) return err.status;
  const message = err instanceof Error ? err.message : String(err);
  out.note(`error: ${message.replace(/\s*\n\s*/g, ' ')}`);
  return err instanceof CairnError ? exitCodeOf(err.code) : UNKNOWN_ERROR_EXIT_CODE;
}
