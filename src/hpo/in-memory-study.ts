/**
 * An in-memory study: a `StudyView` plus the ask/tell loop, for tests and
 * benchmarks. The store-backed study implements the same `StudyView`, so a
 * sampler that works here works there. Pure (no I/O).
 */
import { InvalidArgument, InvalidState } from '../core/errors.js';
import { contains, sameDistribution, validateDistribution, type CategoricalChoice, type Distribution, type ParamValue } from './distributions.js';
import type { Sampler } from './sampler.js';
import type { Direction, FrozenTrial, StudyView, TrialState } from './study-view.js';

interface TrialRecord {
  number: number;
  state: TrialState;
  params: Record<string, ParamValue>;
  distributions: Record<string, Distribution>;
  values: number[] | null;
  intermediate: [number, number][];
  fixedParams: Record<string, ParamValue>;
  startedAt: number | null;
  completedAt: number | null;
  frozen: FrozenTrial | null;
}

/** A study held in memory. `trials()` hands out frozen snapshots that later writes never change. */
export class InMemoryStudy implements StudyView {
  readonly id: string;
  readonly name: string;
  readonly directions: readonly Direction[];
  private readonly records: TrialRecord[] = [];
  private clock = 0;

  constructor(directions: readonly Direction[] = ['minimize'], name = 'in-memory') {
    if (directions.length === 0) throw new InvalidArgument('a study needs at least one direction');
    this.directions = [...directions];
    this.id = name;
    this.name = name;
  }

  trials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    const out: FrozenTrial[] = [];
    for (const r of this.records) if (!states || states.includes(r.state)) out.push(this.freeze(r));
    return out;
  }

  /** Adds a RUNNING trial (with params the sampler must use, if any) and returns its number. */
  createTrial(fixedParams: Record<string, ParamValue> = {}): number {
    const number = this.records.length;
    this.records.push({
      number, state: 'RUNNING', params: {}, distributions: {}, values: null, intermediate: [],
      fixedParams: { ...fixedParams }, startedAt: this.clock++, completedAt: null, frozen: null,
    });
    return number;
  }

  /** One trial's snapshot. */
  trial(number: number): FrozenTrial {
    return this.freeze(this.record(number));
  }

  /** Records a param on a RUNNING trial; a param may be set once. */
  setParam(number: number, name: string, distribution: Distribution, value: ParamValue): void {
    const r = this.running(number);
    if (name in r.params) throw new InvalidState(`trial ${number} already has param '${name}'`);
    if (!contains(distribution, value)) throw new InvalidArgument(`param '${name}': ${JSON.stringify(value)} is outside its distribution`);
    r.params[name] = value;
    r.distributions[name] = distribution;
    r.frozen = null;
  }

  /** Records an intermediate value (for pruners). */
  report(number: number, step: number, value: number): void {
    const r = this.running(number);
    if (Number.isNaN(value)) throw new InvalidArgument(`trial ${number} reported NaN at step ${step}; report a number`);
    r.intermediate = [...r.intermediate.filter(([s]) => s !== step), [step, value] as [number, number]].sort((a, b) => a[0] - b[0]);
    r.frozen = null;
  }

  /**
   * Finishes a trial. COMPLETE needs one finite-or-infinite (never NaN) value
   * per direction; PRUNED and FAIL take none.
   */
  finish(number: number, state: 'COMPLETE' | 'PRUNED' | 'FAIL', values: readonly number[] | null = null): void {
    const r = this.running(number);
    if (state === 'COMPLETE') {
      if (!values || values.length !== this.directions.length) {
        throw new InvalidArgument(`trial ${number}: expected ${this.directions.length} objective value(s), got ${values ? values.length : 'none'}`);
      }
      const bad = values.findIndex((v) => typeof v !== 'number' || Number.isNaN(v));
      if (bad >= 0) {
        r.state = 'FAIL';
        r.completedAt = this.clock++;
        r.frozen = null;
        throw new InvalidArgument(`trial ${number}: objective ${bad} is ${String(values[bad])}; return a number (the trial was marked FAIL)`);
      }
      r.values = [...values];
    }
    r.state = state;
    r.completedAt = this.clock++;
    r.frozen = null;
  }

  private record(number: number): TrialRecord {
    const r = this.records[number];
    if (!r) throw new InvalidArgument(`no trial ${number} in study '${this.name}'`);
    return r;
  }

  private running(number: number): TrialRecord {
    const r = this.record(number);
    if (r.state !== 'RUNNING') throw new InvalidState(`trial ${number} is ${r.state}; only a RUNNING trial can change`);
    return r;
  }

  private freeze(r: TrialRecord): FrozenTrial {
    if (r.frozen) return r.frozen;
    r.frozen = Object.freeze({
      number: r.number,
      id: `${this.id}:${r.number}`,
      state: r.state,
      params: Object.freeze({ ...r.params }),
      distributions: Object.freeze({ ...r.distributions }),
      values: r.values ? Object.freeze([...r.values]) : null,
      intermediate: Object.freeze(r.intermediate.map((p) => Object.freeze([...p]) as readonly [number, number])),
      fixedParams: Object.freeze({ ...r.fixedParams }),
      startedAt: r.startedAt,
      completedAt: r.completedAt,
    });
    return r.frozen;
  }
}

/** What an objective sees of its trial: define-by-run suggestions. */
export interface TrialHandle {
  readonly number: number;
  suggest(name: string, distribution: Distribution): ParamValue;
  suggestFloat(name: string, low: number, high: number, opts?: { log?: boolean; step?: number | null }): number;
  suggestInt(name: string, low: number, high: number, opts?: { log?: boolean; step?: number }): number;
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T;
  report(step: number, value: number): void;
}

/**
 * Asks the sampler for a new trial: runs the relative path once, then
 * samples each suggested param (fixed params first, then the relative
 * sample if its distribution matches, else `sampleIndependent`).
 */
export function ask(study: InMemoryStudy, sampler: Sampler, fixedParams: Record<string, ParamValue> = {}): TrialHandle {
  const number = study.createTrial(fixedParams);
  const first = study.trial(number);
  const space = sampler.inferRelativeSpace(study, first);
  const relative = Object.keys(space).length > 0 ? sampler.sampleRelative(study, first, space) : {};
  const suggest = (name: string, d: Distribution): ParamValue => {
    validateDistribution(name, d);
    const now = study.trial(number);
    if (name in now.params) {
      if (!sameDistribution(now.distributions[name]!, d)) throw new InvalidArgument(`param '${name}' was suggested before with another distribution`);
      return now.params[name]!;
    }
    let value: ParamValue;
    if (name in now.fixedParams) value = now.fixedParams[name]!;
    else if (name in relative && space[name] && sameDistribution(space[name], d)) value = relative[name]!;
    else value = sampler.sampleIndependent(study, now, name, d);
    study.setParam(number, name, d, value);
    return value;
  };
  return {
    number,
    suggest,
    suggestFloat: (name, low, high, opts = {}) =>
      suggest(name, { kind: 'float', low, high, log: opts.log ?? false, step: opts.step ?? null }) as number,
    suggestInt: (name, low, high, opts = {}) =>
      suggest(name, { kind: 'int', low, high, log: opts.log ?? false, step: opts.step ?? 1 }) as number,
    suggestCategorical: <T extends CategoricalChoice>(name: string, choices: readonly T[]) =>
      suggest(name, { kind: 'categorical', choices }) as T,
    report: (step, value) => study.report(number, step, value),
  };
}

/** Finishes a trial and runs the sampler's `afterTrial` hook. NaN values throw (the trial is marked FAIL first). */
export function tell(study: InMemoryStudy, sampler: Sampler, number: number, result: number | readonly number[] | 'PRUNED' | 'FAIL'): void {
  try {
    if (result === 'PRUNED' || result === 'FAIL') study.finish(number, result);
    else study.finish(number, 'COMPLETE', typeof result === 'number' ? [result] : result);
  } finally {
    sampler.afterTrial?.(study, study.trial(number));
  }
}

/** A define-by-run objective: suggests its params through the handle and returns one value per direction. */
export type Objective = (trial: TrialHandle) => number | readonly number[];

/** A fixed search space and a function of its params (all suggested before the call). */
export interface SpaceObjective {
  readonly space: Readonly<Record<string, Distribution>>;
  readonly evaluate: (params: Record<string, ParamValue>) => number | readonly number[];
}

/**
 * Runs `nTrials` sequential trials of a define-by-run `objective` or of a
 * fixed space, and returns the study. An objective that throws marks its
 * trial FAIL and the error propagates; a NaN result is rejected the same way.
 *
 * @example
 * const x = { kind: 'float', low: -5, high: 5, log: false, step: null } as const;
 * const study = optimizeInMemory(new TpeSampler({ seed: 1 }), { space: { x }, evaluate: (p) => (p.x as number) ** 2 }, 100);
 */
export function optimizeInMemory(
  sampler: Sampler,
  objective: Objective | SpaceObjective,
  nTrials: number,
  directions: readonly Direction[] = ['minimize'],
): InMemoryStudy {
  const run: Objective = typeof objective === 'function'
    ? objective
    : (t) => objective.evaluate(Object.fromEntries(Object.entries(objective.space).map(([n, d]) => [n, t.suggest(n, d)])));
  const study = new InMemoryStudy(directions);
  for (let i = 0; i < nTrials; i++) {
    const trial = ask(study, sampler);
    let result: number | readonly number[];
    try {
      result = run(trial);
    } catch (err) {
      tell(study, sampler, trial.number, 'FAIL');
      throw err;
    }
    tell(study, sampler, trial.number, result);
  }
  return study;
}
