import { InvalidArgument, InvalidState, NotFound } from '../core/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Actor } from '../core/actor.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { contains, sameDistribution, validateDistribution, type Distribution, type ParamValue } from './distributions.js';
import { checkStudyName, checkValues, type Study, type Trial } from './domain.js';
import { RUN_STATUS, studyExperiment, TrialRuns, type TrialRunTracking } from './trial-runs.js';
import { createPruner, createSampler } from './registry.js';
import type { Pruner, Sampler } from './sampler.js';
import { sampleSpaceAsync } from './search-space.js';
import { studySettings } from './study-settings.js';
import type { StudyStore } from './study-store.js';
import { TRIAL_STATES, type Direction, type FrozenTrial, type StudyView, type TrialState } from './study-view.js';
import { TrialCache } from './trial-cache.js';
import type { AskInput, CreateStudyInput, ReportOptions, StudyApi, StudyReport, TellInput } from './study-api.js';
import { bestTrial, optimizationHistory, parallelCoordinates, paretoFront } from './analysis.js';

const newId = (): string => globalThis.crypto.randomUUID().replaceAll('-', '');

/** Samplers with a finite space (grid) say when it is used up; asking then fails instead of repeating points. */
const isExhaustible = (s: Sampler): s is Sampler & { isExhausted(v: StudyView): boolean } =>
  typeof (s as { isExhausted?: unknown }).isExhausted === 'function';

/** Param importances for a study, supplied by the importance slice (null until installed). */
export type ImportanceEvaluator = (view: StudyView) => Record<string, number>;

export interface StudyServiceDeps {
  readonly store: StudyStore;
  /** Where trial runs are written: created at ask, closed at tell. Their changes are audited as the trial's events. */
  readonly tracking: TrialRunTracking;
  /** The acting user's (audited) tracking, for what a study does beside its trial runs: creating its experiment. Default `tracking`. */
  readonly actorTracking?: TrackingApi;
  readonly importance?: ImportanceEvaluator;
  readonly now?: () => number;
  /**
   * Where study events are recorded, as `actor`: study.create, trial.ask
   * (the run it created), trial.report, trial.tell (the run's new status),
   * trial.fail_stale and trial.enqueue. One entry per event, so a trial costs
   * two appends, not one per write to its run.
   */
  readonly audit?: AuditLog;
  readonly actor?: Actor;
}

/** What every view of one service shares: samplers, pruners and trial caches per study. */
interface SharedState {
  readonly entries: Map<string, Promise<Entry>>;
  readonly relative: Map<string, Record<string, ParamValue>>;
  /** Trials this service handed out and has not seen told, as it last wrote them (key `studyId/number`). */
  readonly running: Map<string, Trial>;
}

/** Running trials remembered at most; the oldest is forgotten first (a worker that never tells). */
const MAX_REMEMBERED = 10_000;

interface Entry {
  readonly study: Study;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly cache: TrialCache;
}

/**
 * Ask/tell over the study store, with one Cairn run per trial created
 * through `TrackingApi`. Holds per study one sampler and pruner instance
 * and the incremental trial cache; safe to run beside other processes on
 * the same database (claims and finishes are conditional updates).
 */
export class StudyService implements StudyApi {
  private readonly shared: SharedState;
  private readonly entries: Map<string, Promise<Entry>>;
  private readonly relative: Map<string, Record<string, ParamValue>>;
  private readonly running: Map<string, Trial>;
  private readonly now: () => number;
  private readonly runs: TrialRuns;

  /** Importances once the study has enough finished trials for the evaluator; null before. */
  private importancesOf(view: StudyView): Record<string, number> | null {
    if (!this.deps.importance) return null;
    try {
      return this.deps.importance(view);
    } catch (e) {
      if (e instanceof InvalidArgument) return null;
      throw e;
    }
  }

  constructor(private readonly deps: StudyServiceDeps, shared?: SharedState) {
    this.now = deps.now ?? Date.now;
    this.runs = new TrialRuns(deps.tracking, this.now);
    this.shared = shared ?? { entries: new Map(), relative: new Map(), running: new Map() };
    this.entries = this.shared.entries;
    this.relative = this.shared.relative;
    this.running = this.shared.running;
  }

  /**
   * The same studies (samplers, caches) acting as `actor`: a study's
   * experiment is created through `tracking` (the request's audited API),
   * and study and trial events are appended to `audit`.
   */
  as(tracking: TrackingApi, actor: Actor, audit: AuditLog): StudyService {
    return new StudyService({ ...this.deps, actorTracking: tracking, actor, audit }, this.shared);
  }

  private async record(action: string, targetType: string, targetId: string, after: unknown): Promise<void> {
    const { audit, actor } = this.deps;
    if (audit && actor) await audit.append({ actor: actor.name, action, targetType, targetId, after });
  }

  async createStudy(input: CreateStudyInput): Promise<Study> {
    checkStudyName(input.name);
    const existing = await this.deps.store.getStudy(input.name);
    if (existing && input.loadIfExists) return existing;
    const settings = studySettings(input);
    const { directions, metricNames, sampler, pruner, maxRetries } = settings;
    const experimentId = await studyExperiment(this.deps.actorTracking ?? this.deps.tracking, input.experiment ?? input.name, input.name);
    const study: Study = {
      id: newId(), name: input.name, experimentId, ...settings, createdAt: this.now(),
    };
    try {
      await this.deps.store.insertStudy(study);
    } catch (e) {
      if (input.loadIfExists) {
        const s = await this.deps.store.getStudy(input.name);
        if (s) return s;
      }
      throw e;
    }
    await this.record('study.create', 'study', study.name, { experimentId, directions, metricNames, sampler, pruner, maxRetries });
    return study;
  }

  async getStudy(name: string): Promise<Study> {
    return (await this.entry(name)).study;
  }

  async listStudies(): Promise<Study[]> {
    return this.deps.store.listStudies();
  }

  private entry(name: string): Promise<Entry> {
    let e = this.entries.get(name);
    if (!e) {
      e = (async () => {
        const study = await this.deps.store.getStudy(name);
        if (!study) throw new NotFound(`study '${name}' not found; create it first (cairn studies list shows existing ones)`);
        return { study, sampler: createSampler(study.sampler), pruner: createPruner(study.pruner), cache: new TrialCache(this.deps.store, study) };
      })();
      e.catch(() => this.entries.delete(name));
      this.entries.set(name, e);
    }
    return e;
  }

  private async trial(e: Entry, number: number, running: boolean): Promise<Trial> {
    const t = await this.deps.store.getTrial(e.study.id, number);
    if (!t) throw new NotFound(`trial ${number} of study '${e.study.name}' not found`);
    if (running && t.state !== 'RUNNING') {
      throw new InvalidState(`trial ${number} of study '${e.study.name}' is ${t.state}, not RUNNING; ${t.state === 'WAITING' ? 'ask for it first' : 'it was already told; ask for a new trial'}`);
    }
    return t;
  }

  /** Fails RUNNING trials whose heartbeat is too old and re-enqueues them per the retry policy. */
  async failStaleTrials(name: string): Promise<Trial[]> {
    const e = await this.entry(name);
    if (e.study.heartbeatTimeoutMs === null) return [];
    const now = this.now();
    const failed = await this.deps.store.failStale(e.study.id, now - e.study.heartbeatTimeoutMs, now);
    for (const t of failed) {
      if (t.runId) await this.runs.close(e.study, t.runId, 'FAIL', t, null).catch(() => undefined);
      let depth = 0;
      for (let n = t.retryOf; n !== null; depth++) n = (await this.deps.store.getTrial(e.study.id, n))?.retryOf ?? null;
      const retry = depth < e.study.maxRetries
        ? await this.deps.store.insertTrial({ id: newId(), studyId: e.study.id, state: 'WAITING', fixedParams: t.params, worker: null, retryOf: t.number, now })
        : null;
      await this.record('trial.fail_stale', 'trial', `${name}/${t.number}`, {
        state: 'FAIL', worker: t.worker, runId: t.runId, runStatus: RUN_STATUS.FAIL, retry: retry?.number ?? null,
      });
    }
    return failed;
  }

  async ask(name: string, input: AskInput = {}): Promise<Trial> {
    const e = await this.entry(name);
    await this.failStaleTrials(name);
    const now = this.now();
    const worker = input.worker ?? null;
    const claimed = await this.deps.store.claimWaiting(e.study.id, worker, now);
    let t: Trial = claimed ?? (await this.newTrial(e, worker, now));
    await e.cache.refresh();
    const view = e.cache.view();
    const space = e.sampler.inferRelativeSpace(view, t);
    let rel: Record<string, ParamValue> | null = null;
    if (Object.keys(space).length > 0) {
      rel = e.sampler.sampleRelative(view, t, space);
      this.relative.set(t.id, rel);
    }
    const runId = await this.runs.open(e.study, t.number, now);
    // The run and the relative sample in one write.
    await this.deps.store.setRunId(t.id, runId, rel);
    t = { ...t, runId };
    if (e.study.space) {
      const params: Record<string, ParamValue> = {};
      const dists: Record<string, Distribution> = {};
      await sampleSpaceAsync(e.study.space, async (n, d) => {
        const v = await this.pick(e, { ...t, params, distributions: dists }, n, d);
        params[n] = v;
        dists[n] = d;
        return v;
      });
      await this.deps.store.setParams(t.id, params, dists, null);
      await this.runs.logParams(runId, params);
      t = { ...t, params, distributions: dists };
    }
    await this.record('trial.ask', 'trial', `${name}/${t.number}`, {
      runId, worker, enqueued: claimed !== undefined, ...(e.study.space ? { params: t.params } : {}),
    });
    this.remember(e, t);
    return t;
  }

  private remember(e: Entry, t: Trial): void {
    const key = `${e.study.id}/${t.number}`;
    this.running.delete(key);
    this.running.set(key, t);
    if (this.running.size > MAX_REMEMBERED) this.running.delete(this.running.keys().next().value as string);
  }

  /**
   * A new param for a trial this service handed out: one compare-and-set
   * write instead of a read and a write. Undefined when the trial is not
   * remembered, the param was suggested before, or the stored trial changed
   * (another writer, or it finished): the caller then reads it.
   */
  private async suggestRemembered(e: Entry, number: number, param: string, d: Distribution): Promise<ParamValue | undefined> {
    const key = `${e.study.id}/${number}`;
    const t = this.running.get(key);
    if (!t || param in t.distributions) return undefined;
    const v = await this.pick(e, t, param, d);
    const next: Trial = { ...t, params: { ...t.params, [param]: v }, distributions: { ...t.distributions, [param]: d } };
    if (await this.deps.store.setParams(t.id, next.params, next.distributions, null, t.params)) {
      this.running.set(key, next);
      return v;
    }
    this.running.delete(key);
    return undefined;
  }

  private async newTrial(e: Entry, worker: string | null, now: number): Promise<Trial> {
    if (isExhaustible(e.sampler)) {
      await e.cache.refresh();
      if (e.sampler.isExhausted(e.cache.view())) {
        throw new InvalidState(`study '${e.study.name}' has tried every point of its grid; enqueue params or create a study with a larger grid`);
      }
    }
    return this.deps.store.insertTrial({ id: newId(), studyId: e.study.id, state: 'RUNNING', fixedParams: {}, worker, retryOf: null, now });
  }

  /** Fixed (enqueued) value, then the relative sample, then an independent one. */
  private async pick(e: Entry, t: FrozenTrial, name: string, d: Distribution): Promise<ParamValue> {
    if (name in t.fixedParams) {
      const v = t.fixedParams[name] ?? null;
      if (!contains(d, v)) throw new InvalidArgument(`enqueued value ${JSON.stringify(v)} for '${name}' is outside its distribution ${JSON.stringify(d)}`);
      return v;
    }
    let rel = this.relative.get(t.id);
    if (rel === undefined) {
      rel = (await this.deps.store.relativeParams(t.id)) ?? {};
      this.relative.set(t.id, rel);
    }
    if (name in rel && contains(d, rel[name] ?? null)) return rel[name] ?? null;
    return e.sampler.sampleIndependent(e.cache.view(), t, name, d);
  }

  async suggest(name: string, number: number, param: string, d: Distribution): Promise<ParamValue> {
    validateDistribution(param, d);
    const e = await this.entry(name);
    const fast = await this.suggestRemembered(e, number, param, d);
    if (fast !== undefined) return fast;
    const t = await this.trial(e, number, true);
    const had = t.distributions[param];
    if (had) {
      if (!sameDistribution(had, d)) {
        throw new InvalidArgument(`param '${param}' of trial ${number} was suggested as ${JSON.stringify(had)} and now as ${JSON.stringify(d)}; a param keeps one distribution within a trial`);
      }
      return t.params[param] ?? null;
    }
    const v = await this.pick(e, t, param, d);
    if (!(await this.deps.store.setParams(t.id, { ...t.params, [param]: v }, { ...t.distributions, [param]: d }, null))) {
      throw new InvalidState(`trial ${number} of study '${name}' finished while suggesting '${param}'`);
    }
    this.remember(e, { ...t, params: { ...t.params, [param]: v }, distributions: { ...t.distributions, [param]: d } });
    return v;
  }

  async report(name: string, number: number, step: number, value: number, opts: ReportOptions = {}): Promise<{ shouldPrune: boolean }> {
    if (!Number.isInteger(step) || step < 0) throw new InvalidArgument(`step must be an integer >= 0; got ${step}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidArgument(`intermediate value at step ${step} is ${String(value)}; report finite numbers`);
    const e = await this.entry(name);
    const t = await this.trial(e, number, true);
    const inter = t.intermediate.filter(([s]) => s !== step).concat([[step, value] as const]).sort((a, b) => a[0] - b[0]);
    if (!(await this.deps.store.setIntermediate(t.id, inter, this.now()))) throw new InvalidState(`trial ${number} of study '${name}' is no longer RUNNING`);
    if (opts.logToRun !== false && t.runId) {
      await this.runs.logIntermediate(e.study, t.runId, step, value);
    }
    await this.record('trial.report', 'trial', `${name}/${number}`, { step, value, runId: t.runId });
    await e.cache.refresh();
    const fresh: Trial = { ...t, intermediate: inter };
    e.cache.update(fresh);
    if (this.running.has(`${e.study.id}/${number}`)) this.remember(e, fresh);
    return { shouldPrune: e.pruner.prune(e.cache.view(), fresh) };
  }

  async heartbeat(name: string, number: number): Promise<void> {
    const e = await this.entry(name);
    const t = await this.trial(e, number, true);
    if (!(await this.deps.store.heartbeat(t.id, this.now()))) throw new InvalidState(`trial ${number} of study '${name}' is no longer RUNNING`);
  }

  async tell(name: string, number: number, input: TellInput): Promise<Trial> {
    const e = await this.entry(name);
    const state = input.state ?? 'COMPLETE';
    if (!['COMPLETE', 'PRUNED', 'FAIL'].includes(state)) throw new InvalidArgument(`tell state must be COMPLETE, PRUNED or FAIL; got ${String(state)}`);
    let values: readonly number[] | null = input.values ?? null;
    if (state === 'COMPLETE' && values === null) throw new InvalidArgument(`telling COMPLETE needs values (one per direction: ${e.study.directions.join(', ')})`);
    if (state === 'FAIL') values = null;
    if (values !== null) checkValues(values, e.study.directions);
    if (state === 'PRUNED' && values === null && e.study.directions.length === 1) {
      // A pruned trial's value is its last intermediate value.
      const last = (await this.trial(e, number, true)).intermediate.at(-1);
      if (last) values = [last[1]];
    }
    const done = await this.deps.store.finish(e.study.id, number, state, values, this.now());
    if (!done) {
      await this.trial(e, number, true); // NotFound, or InvalidState naming the state
      throw new InvalidState(`trial ${number} of study '${name}' was already told; each trial is told once`);
    }
    this.running.delete(`${e.study.id}/${number}`);
    if (done.runId) await this.runs.close(e.study, done.runId, state, done, values);
    this.relative.delete(done.id);
    await this.record('trial.tell', 'trial', `${name}/${number}`, { state, values, runId: done.runId, runStatus: RUN_STATUS[state] });
    if (e.sampler.afterTrial) {
      await e.cache.refresh();
      e.sampler.afterTrial(e.cache.view(), done);
    }
    return done;
  }

  async enqueue(name: string, params: Readonly<Record<string, ParamValue>>): Promise<Trial> {
    const e = await this.entry(name);
    for (const [k, v] of Object.entries(params)) {
      if (!(v === null || ['string', 'number', 'boolean'].includes(typeof v)) || (typeof v === 'number' && !Number.isFinite(v))) {
        throw new InvalidArgument(`enqueued param '${k}' must be a finite number, string, boolean or null; got ${JSON.stringify(v)}`);
      }
    }
    const t = await this.deps.store.insertTrial({ id: newId(), studyId: e.study.id, state: 'WAITING', fixedParams: params, worker: null, retryOf: null, now: this.now() });
    await this.record('trial.enqueue', 'trial', `${name}/${t.number}`, { params });
    return t;
  }

  async listTrials(name: string, states?: readonly TrialState[]): Promise<Trial[]> {
    const e = await this.entry(name);
    if (states?.some((s) => !(TRIAL_STATES as readonly string[]).includes(s))) throw new InvalidArgument(`trial states are ${TRIAL_STATES.join(', ')}`);
    await e.cache.refresh();
    return e.cache.all(states);
  }

  async bestTrials(name: string): Promise<Trial[]> {
    const e = await this.entry(name);
    const trials = await this.listTrials(name, ['COMPLETE']);
    if (e.study.directions.length > 1) return paretoFront(trials, e.study.directions) as Trial[];
    const b = bestTrial(trials, e.study.directions[0] as Direction);
    return b ? [b as Trial] : [];
  }

  async studyReport(name: string): Promise<StudyReport> {
    const e = await this.entry(name);
    const trials = await this.listTrials(name);
    const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, trials.filter((t) => t.state === s).length])) as Record<TrialState, number>;
    return {
      study: e.study,
      counts,
      best: await this.bestTrials(name),
      history: optimizationHistory(trials, e.study.directions[0] as Direction),
      parallelCoordinates: parallelCoordinates(trials, e.study.metricNames),
      importances: this.importancesOf(e.cache.view()),
    };
  }
}
