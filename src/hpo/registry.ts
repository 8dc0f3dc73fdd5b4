/**
 * Samplers and pruners by name, so a study stores `{ name, options }` and
 * any process can rebuild the same plugin. Others register theirs here
 * (`tpe`, `gp`, `cmaes`, …) as one line each.
 */
import { InvalidArgument } from '../core/errors.js';
import type { ParamValue } from './distributions.js';
import type { Pruner, Sampler } from './sampler.js';
import { GridSampler } from './samplers/grid-sampler.js';
import { RandomSampler } from './samplers/random-sampler.js';
import { SobolSampler } from './samplers/sobol-sampler.js';
import { TpeSampler } from './samplers/tpe-sampler.js';
import { GpSampler } from './samplers/gp-sampler.js';
import { CmaEsSampler } from './samplers/cma-es-sampler.js';
import { TwoPhaseSampler } from './samplers/two-phase-sampler.js';
import { MedianPruner, PercentilePruner } from './pruners/percentile-pruner.js';
import { SuccessiveHalvingPruner } from './pruners/successive-halving-pruner.js';
import { HyperbandPruner } from './pruners/hyperband-pruner.js';

export interface PluginSpec {
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

type Opts = Readonly<Record<string, unknown>>;
const num = (o: Opts, k: string): number | undefined => {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgument(`option '${k}' must be a number; got ${JSON.stringify(v)}`);
  return v;
};
const bool = (o: Opts, k: string): boolean | undefined => {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new InvalidArgument(`option '${k}' must be true or false; got ${JSON.stringify(v)}`);
  return v;
};
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const samplers: Record<string, (options: Opts) => Sampler> = {
  tpe: (o) => new TpeSampler(defined({
    seed: num(o, 'seed'), nStartupTrials: num(o, 'nStartupTrials'), nEiCandidates: num(o, 'nEiCandidates'),
    multivariate: bool(o, 'multivariate'), group: bool(o, 'group'), constantLiar: bool(o, 'constantLiar'),
  })),
  gp: (o) => new GpSampler(defined({ seed: num(o, 'seed'), nStartupTrials: num(o, 'nStartupTrials'), nCandidates: num(o, 'nCandidates') })),
  cmaes: (o) => new CmaEsSampler(defined({ seed: num(o, 'seed'), sigma0: num(o, 'sigma0') })),
  'two-phase': (o) => new TwoPhaseSampler(defined({ seed: num(o, 'seed'), nCoarseTrials: num(o, 'nCoarseTrials') })),
  random: (o) => new RandomSampler(defined({ seed: num(o, 'seed') })),
  sobol: (o) => new SobolSampler(defined({ seed: num(o, 'seed'), scramble: o.scramble === undefined ? undefined : o.scramble === true })),
  grid: (o) => {
    const grid = o.grid;
    if (typeof grid !== 'object' || grid === null || Array.isArray(grid)) throw new InvalidArgument("the grid sampler needs options.grid: { param: [values...] }");
    return new GridSampler(grid as Record<string, ParamValue[]>);
  },
};

export const pruners: Record<string, (options: Opts) => Pruner> = {
  none: () => ({ prune: () => false }),
  median: (o) => new MedianPruner(percentileOpts(o)),
  percentile: (o) => new PercentilePruner(num(o, 'percentile') ?? 25, percentileOpts(o)),
  asha: (o) => new SuccessiveHalvingPruner(defined({ minResource: num(o, 'minResource'), reductionFactor: num(o, 'reductionFactor'), minEarlyStoppingRate: num(o, 'minEarlyStoppingRate') })),
  hyperband: (o) => {
    const maxResource = num(o, 'maxResource');
    if (maxResource === undefined) throw new InvalidArgument('the hyperband pruner needs options.maxResource (the steps of a full trial)');
    return new HyperbandPruner(defined({ maxResource, minResource: num(o, 'minResource'), reductionFactor: num(o, 'reductionFactor') }));
  },
};
pruners['successive-halving'] = pruners.asha as (o: Opts) => Pruner;

function percentileOpts(o: Opts) {
  return defined({ nStartupTrials: num(o, 'nStartupTrials'), nWarmupSteps: num(o, 'nWarmupSteps'), intervalSteps: num(o, 'intervalSteps'), nMinTrials: num(o, 'nMinTrials') });
}

function build<T>(kind: string, table: Record<string, (o: Opts) => T>, spec: PluginSpec): T {
  const f = table[spec.name];
  if (!f) throw new InvalidArgument(`unknown ${kind} '${spec.name}'; known: ${Object.keys(table).sort().join(', ')}`);
  return f(spec.options ?? {});
}

export const createSampler = (spec: PluginSpec): Sampler => build('sampler', samplers, spec);
export const createPruner = (spec: PluginSpec): Pruner => build('pruner', pruners, spec);
