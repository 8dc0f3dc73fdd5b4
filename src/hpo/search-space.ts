/**
 * Declarative search spaces (the CLI's YAML, the HTTP ask): params in order,
 * each with a distribution and an optional `when` condition on earlier
 * params. Pure.
 *
 * @example
 *   parseSearchSpace({ optimizer: { type: 'categorical', choices: ['sgd', 'adam'] },
 *                      momentum: { type: 'float', low: 0, high: 0.99, when: { optimizer: 'sgd' } } })
 */
import { InvalidArgument } from '../core/errors.js';
import { validateDistribution, type Distribution, type ParamValue } from './distributions.js';

export interface SpaceParam {
  readonly name: string;
  readonly distribution: Distribution;
  /** Sampled only when every named earlier param has one of the listed values. */
  readonly when: Readonly<Record<string, readonly ParamValue[]>> | null;
}
export type SearchSpace = readonly SpaceParam[];

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function numberField(name: string, o: Record<string, unknown>, k: string, fallback?: number): number {
  const v = o[k] ?? fallback;
  if (typeof v !== 'number') throw new InvalidArgument(`param '${name}': '${k}' must be a number; got ${JSON.stringify(o[k])}`);
  return v;
}

/** One distribution from `{type, low, high, log?, step?}` or `{type: categorical, choices}`. */
export function parseDistribution(name: string, o: unknown): Distribution {
  if (!isObj(o)) throw new InvalidArgument(`param '${name}' must be an object with a 'type'`);
  let d: Distribution;
  if (o.type === 'categorical') {
    if (!Array.isArray(o.choices)) throw new InvalidArgument(`param '${name}': categorical needs a 'choices' list`);
    d = { kind: 'categorical', choices: o.choices as ParamValue[] };
  } else if (o.type === 'float' || o.type === 'int') {
    const low = numberField(name, o, 'low');
    const high = numberField(name, o, 'high');
    const log = o.log === true;
    d = o.type === 'float'
      ? { kind: 'float', low, high, log, step: o.step === undefined || o.step === null ? null : numberField(name, o, 'step') }
      : { kind: 'int', low, high, log, step: numberField(name, o, 'step', 1) };
  } else {
    throw new InvalidArgument(`param '${name}': type must be float, int or categorical; got ${JSON.stringify(o.type)}`);
  }
  validateDistribution(name, d);
  return d;
}

/** Parses and checks a whole space; conditions must name earlier params. */
export function parseSearchSpace(o: unknown): SearchSpace {
  if (!isObj(o)) throw new InvalidArgument('the search space must map param names to distributions');
  const out: SpaceParam[] = [];
  for (const [name, spec] of Object.entries(o)) {
    const distribution = parseDistribution(name, spec);
    const w = (spec as Record<string, unknown>).when;
    let when: Record<string, ParamValue[]> | null = null;
    if (w !== undefined) {
      if (!isObj(w)) throw new InvalidArgument(`param '${name}': 'when' must map earlier params to a value or list of values`);
      when = {};
      for (const [k, v] of Object.entries(w)) {
        if (!out.some((p) => p.name === k)) throw new InvalidArgument(`param '${name}': 'when' names '${k}', which is not an earlier param; list '${k}' above '${name}'`);
        when[k] = Array.isArray(v) ? (v as ParamValue[]) : [v as ParamValue];
      }
    }
    out.push({ name, distribution, when });
  }
  return out;
}

/** Suggests each active param in order; inactive conditional params are skipped. */
export function sampleSpace(space: SearchSpace, suggest: (name: string, d: Distribution) => ParamValue): Record<string, ParamValue> {
  const got: Record<string, ParamValue> = {};
  for (const p of space) {
    const active = p.when === null || Object.entries(p.when).every(([k, vs]) => k in got && vs.includes(got[k] ?? null));
    if (active) got[p.name] = suggest(p.name, p.distribution);
  }
  return got;
}

/** Async variant for suggest functions that talk to a store. */
export async function sampleSpaceAsync(space: SearchSpace, suggest: (name: string, d: Distribution) => Promise<ParamValue>): Promise<Record<string, ParamValue>> {
  const got: Record<string, ParamValue> = {};
  for (const p of space) {
    const active = p.when === null || Object.entries(p.when).every(([k, vs]) => k in got && vs.includes(got[k] ?? null));
    if (active) got[p.name] = await suggest(p.name, p.distribution);
  }
  return got;
}
