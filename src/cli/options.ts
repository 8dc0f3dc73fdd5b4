/** Option parsers and help helpers shared by every command. */
import { InvalidArgumentError, type Command } from 'commander';

/** Collects a repeatable option into an array: `--tag a=1 --tag b=2`. */
export const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a positive integer.');
  }
  return n;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return n;
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration such as `90s`, `30m`, `1h` or `7d` (a bare number is seconds), in seconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a duration such as 90s, 30m, 1h or 7d.');
  return Number(m[1]) * UNIT_SECONDS[m[2] || 's']!;
}

/** Appends an "Examples:" section to a command's help. */
export function examples(cmd: Command, ...lines: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
