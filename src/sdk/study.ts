/**
 * The define-by-run SDK: `Study.create(api, {...})` then
 * `study.optimize(async (trial) => { const lr = await trial.suggestFloat('lr', 1e-5, 1e-1, { log: true }); ... return loss; }, { nTrials: 100, parallel: 4 })`.
 * Works the same over the in-process `StudyService` and the HTTP client.
 */
import { CairnError } from '../core/errors.js';
import type { CategoricalChoice, Distribution, ParamValue } from '../hpo/distributions.js';
import type { Study as StudyRecord, Trial as TrialRecord } from '../hpo/domain.js';
import type { CreateStudyInput, StudyApi } from '../hpo/study-api.js';

/** Throw from an objective to end the trial as PRUNED. */
export class TrialPruned extends Error {
  constructor(message = 'trial was pruned') {
    super(message);
    this.name = 'TrialPruned';
  }
}

export type ObjectiveResult = number | readonly number[];

export interface OptimizeOptions {
  readonly nTrials: number;
  /** Trials run concurrently (async objectives). Default 1. */
  readonly parallel?: number;
  /** Identifies this process in trial lists; default `sdk:<pid-like random>`. */
  readonly worker?: string;
  /** Keep going after an objective throws (the trial is FAIL); default false: FAIL, then rethrow. */
  readonly catchErrors?: boolean;
}

/** A running trial handed to the objective. */
export class TrialHandle {
  private pruneAdvice = false;
  constructor(private readonly api: StudyApi, readonly study: string, private record: TrialRecord) {}

  get number(): number { return this.record.number; }
  get runId(): string | null { return this.record.runId; }
  /** Params given so far (including those a declared space sampled at ask). */
  get params(): Readonly<Record<string, ParamValue>> { return this.record.params; }

  private async suggest(name: string, d: Distribution): Promise<ParamValue> {
    const v = await this.api.suggest(this.study, this.record.number, name, d);
    this.record = { ...this.record, params: { ...this.record.params, [name]: v }, distributions: { ...this.record.distributions, [name]: d } };
    return v;
  }

  async suggestFloat(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): Promise<number> {
    return (await this.suggest(name, { kind: 'float', low, high, log: opts.log ?? false, step: opts.step ?? null })) as number;
  }
  async suggestInt(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): Promise<number> {
    return (await this.suggest(name, { kind: 'int', low, high, log: opts.log ?? false, step: opts.step ?? 1 })) as number;
  }
  async suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): Promise<T> {
    return (await this.suggest(name, { kind: 'categorical', choices })) as T;
  }
  /** Records an intermediate value; `shouldPrune()` then says whether to stop. */
  async report(value: number, step: number): Promise<void> {
    this.pruneAdvice = (await this.api.report(this.study, this.record.number, step, value)).shouldPrune;
  }
  shouldPrune(): boolean { return this.pruneAdvice; }
}

export class Study {
  private constructor(private readonly api: StudyApi, readonly record: StudyRecord) {}

  static async create(api: StudyApi, input: CreateStudyInput): Promise<Study> {
    return new Study(api, await api.createStudy(input));
  }
  static async load(api: StudyApi, name: string): Promise<Study> {
    return new Study(api, await api.getStudy(name));
  }

  get name(): string { return this.record.name; }

  enqueue(params: Readonly<Record<string, ParamValue>>): Promise<TrialRecord> { return this.api.enqueue(this.name, params); }
  trials(): Promise<TrialRecord[]> { return this.api.listTrials(this.name); }
  /** The best completed trial of a single-objective study; throws when none completed yet. */
  get bestTrial(): Promise<TrialRecord> {
    return this.api.bestTrials(this.name).then((b) => {
      if (!b[0]) throw new CairnError('INVALID_STATE', `study '${this.name}' has no completed trial yet`);
      return b[0];
    });
  }
  get paretoFront(): Promise<TrialRecord[]> { return this.api.bestTrials(this.name); }

  /** Runs `nTrials` trials, `parallel` at a time; returns the finished trial records. */
  async optimize(objective: (trial: TrialHandle) => ObjectiveResult | Promise<ObjectiveResult>, opts: OptimizeOptions): Promise<TrialRecord[]> {
    const worker = opts.worker ?? `sdk:${Math.random().toString(36).slice(2, 10)}`;
    const out: TrialRecord[] = [];
    let started = 0;
    let failure: unknown = null;
    const beatEvery = this.record.heartbeatTimeoutMs === null ? null : Math.max(10, this.record.heartbeatTimeoutMs / 3);
    const one = async (): Promise<void> => {
      const rec = await this.api.ask(this.name, { worker });
      const trial = new TrialHandle(this.api, this.name, rec);
      const beat = beatEvery === null ? undefined : setInterval(() => { this.api.heartbeat(this.name, rec.number).catch(() => undefined); }, beatEvery);
      try {
        const r = await objective(trial);
        out.push(await this.api.tell(this.name, rec.number, { values: typeof r === 'number' ? [r] : r }));
      } catch (e) {
        if (e instanceof TrialPruned) {
          out.push(await this.api.tell(this.name, rec.number, { state: 'PRUNED' }));
          return;
        }
        out.push(await this.api.tell(this.name, rec.number, { state: 'FAIL' }));
        if (!opts.catchErrors) throw e;
      } finally {
        clearInterval(beat);
      }
    };
    const lane = async (): Promise<void> => {
      while (failure === null && started < opts.nTrials) {
        started++;
        try { await one(); } catch (e) { failure ??= e; }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 1) }, lane));
    if (failure !== null) throw failure;
    return out;
  }
}
