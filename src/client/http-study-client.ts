import { hpoEndpoints as E } from '../api/hpo-endpoints.js';
import { encodeNumber } from '../api/wire.js';
import type { Distribution, ParamValue } from '../hpo/distributions.js';
import type { Study, Trial } from '../hpo/domain.js';
import type { AskInput, CreateStudyInput, ReportOptions, StudyApi, StudyReport, TellInput } from '../hpo/study-api.js';
import type { TrialState } from '../hpo/study-view.js';
import { Transport, type TransportOptions } from './transport.js';

/** StudyApi over HTTP (/api/v1/studies): the same contract as the in-process service. */
export class HttpStudyClient implements StudyApi {
  readonly transport: Transport;

  constructor(opts: TransportOptions | Transport) {
    this.transport = opts instanceof Transport ? opts : new Transport(opts);
  }

  private get t() { return this.transport; }
  private tp(name: string, number: number) { return { name, number: String(number) }; }

  async createStudy(input: CreateStudyInput): Promise<Study> {
    return (await this.t.json<{ study: Study }>(E.createStudy, { body: input })).study;
  }
  async getStudy(name: string): Promise<Study> {
    return (await this.t.json<{ study: Study }>(E.getStudy, { params: { name } })).study;
  }
  async listStudies(): Promise<Study[]> {
    return (await this.t.json<{ items: Study[] }>(E.listStudies)).items;
  }
  async ask(name: string, input: AskInput = {}): Promise<Trial> {
    return (await this.t.json<{ trial: Trial }>(E.ask, { params: { name }, query: { worker: input.worker } })).trial;
  }
  async suggest(name: string, number: number, param: string, distribution: Distribution): Promise<ParamValue> {
    return (await this.t.json<{ value: ParamValue }>(E.suggest, { params: this.tp(name, number), body: { param, distribution } })).value;
  }
  async report(name: string, number: number, step: number, value: number, opts: ReportOptions = {}): Promise<{ shouldPrune: boolean }> {
    return this.t.json(E.report, { params: this.tp(name, number), body: { step, value: encodeNumber(value), ...opts } });
  }
  async heartbeat(name: string, number: number): Promise<void> {
    await this.t.send(E.heartbeat, { params: this.tp(name, number) });
  }
  async tell(name: string, number: number, input: TellInput): Promise<Trial> {
    const body = { ...input, ...(input.values ? { values: input.values.map(encodeNumber) } : {}) };
    return (await this.t.json<{ trial: Trial }>(E.tell, { params: this.tp(name, number), body })).trial;
  }
  async enqueue(name: string, params: Readonly<Record<string, ParamValue>>): Promise<Trial> {
    return (await this.t.json<{ trial: Trial }>(E.enqueue, { params: { name }, body: { params } })).trial;
  }
  async listTrials(name: string, states?: readonly TrialState[]): Promise<Trial[]> {
    return (await this.t.json<{ items: Trial[] }>(E.listTrials, { params: { name }, query: { states: states?.join(',') } })).items;
  }
  async bestTrials(name: string): Promise<Trial[]> {
    return (await this.t.json<{ items: Trial[] }>(E.best, { params: { name } })).items;
  }
  async studyReport(name: string): Promise<StudyReport> {
    return this.t.json<StudyReport>(E.studyReport, { params: { name } });
  }
}
