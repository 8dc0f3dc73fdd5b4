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

/** Appends an "Examples:" section to a command's help. */
export function examples(cmd: Command, ...lines: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
