/** The /api/v1/studies route table (ask/tell): registered by the server, called by the client, listed in OpenAPI. */
import { Type } from '@sinclair/typebox';
import type { Endpoint } from './endpoints.js';
import * as H from './hpo-schemas.js';
import { Empty } from './schemas.js';

const e = <T extends Endpoint>(x: T): T => x;
const trial = Type.Object({ trial: H.Trial });
const trials = Type.Object({ items: Type.Array(H.Trial) });

export const hpoEndpoints = {
  createStudy: e({ operationId: 'createStudy', method: 'POST', path: '/studies', summary: 'Create a study (or load it with loadIfExists)', body: H.CreateStudyBody, response: Type.Object({ study: H.Study }) }),
  listStudies: e({ operationId: 'listStudies', method: 'GET', path: '/studies', summary: 'List studies', response: Type.Object({ items: Type.Array(H.Study) }) }),
  getStudy: e({ operationId: 'getStudy', method: 'GET', path: '/studies/:name', summary: 'Get a study by name', params: H.StudyParams, response: Type.Object({ study: H.Study }) }),
  ask: e({ operationId: 'askTrial', method: 'POST', path: '/studies/:name/ask', summary: 'Start a trial: a waiting one if any (claimed atomically), else a new one; a declared space is sampled', params: H.StudyParams, query: H.AskQuery, response: trial }),
  suggest: e({ operationId: 'suggestParam', method: 'POST', path: '/studies/:name/trials/:number/suggest', summary: 'Define-by-run: sample one param of a running trial', params: H.TrialParams, body: H.SuggestBody, response: Type.Object({ value: H.ParamValue }) }),
  report: e({ operationId: 'reportIntermediate', method: 'POST', path: '/studies/:name/trials/:number/report', summary: 'Record an intermediate value; says whether the pruner would stop the trial', params: H.TrialParams, body: H.ReportBody, response: Type.Object({ shouldPrune: Type.Boolean() }) }),
  heartbeat: e({ operationId: 'heartbeatTrial', method: 'POST', path: '/studies/:name/trials/:number/heartbeat', summary: 'Keep a running trial alive', params: H.TrialParams, response: Empty }),
  tell: e({ operationId: 'tellTrial', method: 'POST', path: '/studies/:name/trials/:number/tell', summary: 'Finish a running trial with its values or state, once', params: H.TrialParams, body: H.TellBody, response: trial }),
  enqueue: e({ operationId: 'enqueueTrial', method: 'POST', path: '/studies/:name/enqueue', summary: 'Queue a trial with fixed params', params: H.StudyParams, body: H.EnqueueBody, response: trial }),
  listTrials: e({ operationId: 'listTrials', method: 'GET', path: '/studies/:name/trials', summary: 'Trials in number order, optionally filtered by state', params: H.StudyParams, query: H.TrialsQuery, response: trials }),
  best: e({ operationId: 'bestTrials', method: 'GET', path: '/studies/:name/best', summary: 'The best trial, or the Pareto front of a multi-objective study', params: H.StudyParams, response: trials }),
  pareto: e({ operationId: 'paretoFront', method: 'GET', path: '/studies/:name/pareto', summary: 'The Pareto front (the best trial for one objective)', params: H.StudyParams, response: trials }),
  studyReport: e({ operationId: 'studyReport', method: 'GET', path: '/studies/:name/report', summary: 'Best trials, history, parallel-coordinates data and importances', params: H.StudyParams, response: H.StudyReport }),
} as const satisfies Record<string, Endpoint>;
