/**
 * Params in commands: `--param lr=0.1` turns `{lr}` in the command into
 * `0.1` and is exported as CAIRN_PARAM_LR. Braces that name no param are
 * left alone, so `python -c "d = {}"` still works.
 */
import { InvalidArgument } from '../core/errors.js';

const NAME_RE = /^[A-Za-z_][\w.-]*$/;

/** Parses `k=v` flags into params, refusing duplicates and bad names. */
export function parseParams(specs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const key = eq > 0 ? spec.slice(0, eq).trim() : '';
    if (!key) throw new InvalidArgument(`--param '${spec}' is not key=value; write e.g. --param lr=0.01`);
    if (!NAME_RE.test(key)) throw new InvalidArgument(`--param name '${key}' must start with a letter or _ and use letters, digits, _ . -`);
    if (key in out) throw new InvalidArgument(`--param '${key}' is given twice; give each param once`);
    out[key] = spec.slice(eq + 1);
  }
  return out;
}

/** The environment variable a param is exported as. */
export const paramEnvName = (key: string): string => `CAIRN_PARAM_${key.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;

/** Replaces `{name}` with the param's value in each argument; `{seed}` is the seed when one is set. */
export function expandCommand(
  command: readonly string[], params: Readonly<Record<string, string>>, seed: string | null,
): string[] {
  const values: Record<string, string> = { ...params };
  if (seed !== null && !('seed' in values)) values.seed = seed;
  return command.map((arg) => arg.replace(/\{([A-Za-z_][\w.-]*)\}/g, (whole, name: string) => values[name] ?? whole));
}
