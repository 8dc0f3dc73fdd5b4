/**
 * The sweep file the CLI reads (`cairn sweep --config sweep.yaml`), turned
 * into a study definition. Pure: the caller parses YAML and hands the object.
 *
 * @example
 *   study: mnist-lr
 *   direction: minimize            # or directions: [minimize, maximize]
 *   metric: val_loss               # or metrics: [...], one per direction; default 'value'
 *   trials: 30                     # stop when the study holds this many trials
 *   sampler: sobol                 # or {name: random, seed: 1}
 *   pruner: {name: median, nStartupTrials: 3}
 *   heartbeatTimeout: 60           # seconds; a silent worker's trial becomes FAIL
 *   maxRetries: 1
 *   params:
 *     lr: {type: float, low: 1e-5, high: 1e-1, log: true}
 *     optimizer: {type: categorical, choices: [sgd, adam]}
 *     momentum: {type: float, low: 0, high: 0.99, when: {optimizer: sgd}}
 */
import { InvalidArgument } from '../core/errors.js';
import type { PluginSpec } from './registry.js';
import type { CreateStudyInput } from './study-api.js';
import { parseSearchSpace } from './search-space.js';
import type { Direction } from './study-view.js';

export interface SweepConfig {
  readonly study: CreateStudyInput;
  /** Stop asking once the study holds this many trials; null: no limit. */
  readonly trials: number | null;
}

const KEYS = new Set(['study', 'direction', 'directions', 'metric', 'metrics', 'experiment', 'trials', 'sampler', 'pruner', 'heartbeatTimeout', 'maxRetries', 'params']);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function plugin(kind: string, v: unknown): PluginSpec | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return { name: v };
  if (isObj(v) && typeof v.name === 'string') {
    const { name, ...options } = v;
    return { name, options };
  }
  throw new InvalidArgument(`'${kind}' must be a name or {name: ..., options...}; got ${JSON.stringify(v)}`);
}

const list = (v: unknown): unknown[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export function parseSweepConfig(o: unknown): SweepConfig {
  if (!isObj(o)) throw new InvalidArgument('the sweep config must be a mapping with at least study and params');
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw new InvalidArgument(`unknown sweep config key '${k}'; known: ${[...KEYS].join(', ')}`);
  if (typeof o.study !== 'string') throw new InvalidArgument("the sweep config needs 'study: <name>'");
  if (!isObj(o.params)) throw new InvalidArgument("the sweep config needs 'params:' mapping each param to {type, ...}");
  parseSearchSpace(o.params);
  const directions = list(o.directions ?? o.direction) as Direction[] | undefined;
  const metricNames = list(o.metrics ?? o.metric) as string[] | undefined;
  if (metricNames?.some((m) => typeof m !== 'string')) throw new InvalidArgument('metric names must be strings');
  const trials = o.trials === undefined ? null : o.trials;
  if (trials !== null && (typeof trials !== 'number' || !Number.isInteger(trials) || trials < 1)) throw new InvalidArgument(`trials must be a positive integer; got ${JSON.stringify(trials)}`);
  const hb = o.heartbeatTimeout;
  if (hb !== undefined && (typeof hb !== 'number' || !(hb > 0))) throw new InvalidArgument(`heartbeatTimeout must be seconds > 0; got ${JSON.stringify(hb)}`);
  const sampler = plugin('sampler', o.sampler);
  const pruner = plugin('pruner', o.pruner);
  return {
    trials: trials as number | null,
    study: {
      name: o.study,
      space: o.params,
      loadIfExists: true,
      ...(directions ? { directions } : {}),
      ...(metricNames ? { metricNames } : {}),
      ...(typeof o.experiment === 'string' ? { experiment: o.experiment } : {}),
      ...(sampler ? { sampler } : {}),
      ...(pruner ? { pruner } : {}),
      ...(hb !== undefined ? { heartbeatTimeoutMs: Math.round((hb as number) * 1000) } : {}),
      ...(typeof o.maxRetries === 'number' ? { maxRetries: o.maxRetries } : {}),
    },
  };
}
