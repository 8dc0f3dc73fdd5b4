/**
 * The /api/v1 route table: method, path and schemas for each operation.
 * The server registers these routes, the client calls them, and the OpenAPI
 * document lists them. One source for all three.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import * as S from './schemas.js';
import * as M from './logged-model-schemas.js';

export interface Endpoint {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Fastify-style path relative to /api/v1, e.g. `/runs/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  /** `raw` bodies are streamed bytes (artifacts), not JSON. */
  readonly rawBody?: boolean;
  readonly response: TSchema | 'bytes';
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
}

const e = <T extends Endpoint>(x: T): T => x;
const one = <K extends string, T extends TSchema>(k: K, t: T) => Type.Object({ [k]: t } as { [P in K]: T });

export const API_PREFIX = '/api/v1';

export const endpoints = {
  createExperiment: e({ operationId: 'createExperiment', method: 'POST', path: '/experiments', summary: 'Create an experiment', body: S.CreateExperimentBody, response: one('experiment', S.Experiment) }),
  listExperiments: e({ operationId: 'listExperiments', method: 'GET', path: '/experiments', summary: 'List experiments', query: S.ListExperimentsQuery, response: S.Page(S.Experiment) }),
  experimentStats: e({ operationId: 'experimentStats', method: 'POST', path: '/experiments/stats', summary: 'Active-run counts and last activity of experiments', body: S.ExperimentStatsBody, response: one('items', Type.Array(S.ExperimentStats)) }),
  getExperiment: e({ operationId: 'getExperiment', method: 'GET', path: '/experiments/:id', summary: 'Get an experiment by id', params: S.IdParams, response: one('experiment', S.Experiment) }),
  getExperimentByName: e({ operationId: 'getExperimentByName', method: 'GET', path: '/experiments-by-name/:name', summary: 'Get an experiment by name', params: S.ByNameParams, response: one('experiment', S.Experiment) }),
  updateExperiment: e({ operationId: 'updateExperiment', method: 'PATCH', path: '/experiments/:id', summary: 'Rename or describe an experiment, or change its naming rules', params: S.IdParams, body: S.UpdateExperimentBody, response: one('experiment', S.Experiment) }),
  deleteExperiment: e({ operationId: 'deleteExperiment', method: 'DELETE', path: '/experiments/:id', summary: 'Delete an experiment (restorable)', params: S.IdParams, response: S.Empty }),
  restoreExperiment: e({ operationId: 'restoreExperiment', method: 'POST', path: '/experiments/:id/restore', summary: 'Restore a deleted experiment', params: S.IdParams, response: S.Empty }),
  setExperimentTag: e({ operationId: 'setExperimentTag', method: 'PUT', path: '/experiments/:id/tags', summary: 'Set an experiment tag', params: S.IdParams, body: S.TagBody, response: S.Empty }),
  deleteExperimentTag: e({ operationId: 'deleteExperimentTag', method: 'DELETE', path: '/experiments/:id/tags', summary: 'Delete an experiment tag', params: S.IdParams, query: S.KeyQuery, response: S.Empty }),

  createRun: e({ operationId: 'createRun', method: 'POST', path: '/runs', summary: 'Start a run', body: S.CreateRunBody, response: one('run', S.Run) }),
  getRun: e({ operationId: 'getRun', method: 'GET', path: '/runs/:id', summary: 'Get a run with params, tags, latest metrics and inputs', params: S.IdParams, response: one('run', S.Run) }),
  updateRun: e({ operationId: 'updateRun', method: 'PATCH', path: '/runs/:id', summary: 'Update status, end time, name or notes', params: S.IdParams, body: S.UpdateRunBody, response: one('run', S.Run) }),
  deleteRun: e({ operationId: 'deleteRun', method: 'DELETE', path: '/runs/:id', summary: 'Delete a run (restorable)', params: S.IdParams, response: S.Empty }),
  restoreRun: e({ operationId: 'restoreRun', method: 'POST', path: '/runs/:id/restore', summary: 'Restore a deleted run', params: S.IdParams, response: S.Empty }),
  logBatch: e({ operationId: 'logBatch', method: 'POST', path: '/runs/:id/batch', summary: 'Log metrics, params and tags atomically', params: S.IdParams, body: S.LogBatchBody, response: S.Empty, bodyLimit: 8 * 1024 * 1024 }),
  logMetricSeries: e({ operationId: 'logMetricSeries', method: 'POST', path: '/runs/:id/series', summary: 'Log many metric points in columns', params: S.IdParams, body: S.LogSeriesBody, response: S.Empty, bodyLimit: 64 * 1024 * 1024 }),
  setTag: e({ operationId: 'setTag', method: 'PUT', path: '/runs/:id/tags', summary: 'Set a run tag', params: S.IdParams, body: S.TagBody, response: S.Empty }),
  deleteTag: e({ operationId: 'deleteTag', method: 'DELETE', path: '/runs/:id/tags', summary: 'Delete a run tag', params: S.IdParams, query: S.KeyQuery, response: S.Empty }),
  logInputs: e({ operationId: 'logInputs', method: 'POST', path: '/runs/:id/inputs', summary: 'Record dataset inputs', params: S.IdParams, body: S.LogInputsBody, response: S.Empty }),
  getMetricHistory: e({ operationId: 'getMetricHistory', method: 'GET', path: '/runs/:id/metric-history', summary: 'A metric history, optionally downsampled keeping extremes', params: S.IdParams, query: S.HistoryQuery, response: one('series', S.Series) }),
  searchRuns: e({ operationId: 'searchRuns', method: 'POST', path: '/runs/search', summary: 'Search runs with the filter language', body: S.SearchRunsBody, response: S.Page(S.Run) }),

  logArtifact: e({ operationId: 'logArtifact', method: 'PUT', path: '/runs/:id/artifacts/*', summary: 'Upload an artifact (streamed bytes)', params: S.ArtifactParams, rawBody: true, response: one('artifact', S.ArtifactEntry), bodyLimit: Number.MAX_SAFE_INTEGER }),
  listArtifacts: e({ operationId: 'listArtifacts', method: 'GET', path: '/runs/:id/artifacts', summary: 'List artifacts under a folder', params: S.IdParams, query: S.ArtifactListQuery, response: one('items', Type.Array(S.ArtifactEntry)) }),
  deleteArtifact: e({ operationId: 'deleteArtifact', method: 'DELETE', path: '/runs/:id/artifacts/*', summary: 'Delete an artifact, or every artifact under a folder, from a run (shared bytes stay)', params: S.ArtifactParams, response: S.Empty }),
  getArtifact: e({ operationId: 'getArtifact', method: 'GET', path: '/runs/:id/artifacts/*', summary: 'Download an artifact', params: S.ArtifactParams, response: 'bytes' }),

  createLoggedModel: e({ operationId: 'createLoggedModel', method: 'POST', path: '/logged-models', summary: 'Create a logged model (PENDING) in an experiment', body: M.CreateLoggedModelBody, response: one('model', M.LoggedModel) }),
  searchLoggedModels: e({ operationId: 'searchLoggedModels', method: 'POST', path: '/logged-models/search', summary: 'Search logged models', body: S.SearchRunsBody, response: S.Page(M.LoggedModel) }),
  getLoggedModel: e({ operationId: 'getLoggedModel', method: 'GET', path: '/logged-models/:id', summary: 'Get a logged model', params: S.IdParams, query: M.GetLoggedModelQuery, response: one('model', M.LoggedModel) }),
  finalizeLoggedModel: e({ operationId: 'finalizeLoggedModel', method: 'POST', path: '/logged-models/:id/finalize', summary: 'Set a logged model READY or FAILED', params: S.IdParams, body: M.FinalizeLoggedModelBody, response: one('model', M.LoggedModel) }),
  deleteLoggedModel: e({ operationId: 'deleteLoggedModel', method: 'DELETE', path: '/logged-models/:id', summary: 'Delete a logged model', params: S.IdParams, response: S.Empty }),
  setLoggedModelTags: e({ operationId: 'setLoggedModelTags', method: 'PATCH', path: '/logged-models/:id/tags', summary: 'Set logged-model tags', params: S.IdParams, body: M.LoggedModelTagsBody, response: S.Empty }),
  deleteLoggedModelTag: e({ operationId: 'deleteLoggedModelTag', method: 'DELETE', path: '/logged-models/:id/tags', summary: 'Delete a logged-model tag', params: S.IdParams, query: S.KeyQuery, response: S.Empty }),
  logLoggedModelParams: e({ operationId: 'logLoggedModelParams', method: 'POST', path: '/logged-models/:id/params', summary: 'Log logged-model params (immutable)', params: S.IdParams, body: M.LoggedModelParamsBody, response: S.Empty }),
  logLoggedModelMetrics: e({ operationId: 'logLoggedModelMetrics', method: 'POST', path: '/logged-models/:id/metrics', summary: 'Record metric points against a logged model', params: S.IdParams, body: M.LoggedModelMetricsBody, response: S.Empty }),
  linkRunModels: e({ operationId: 'linkRunModels', method: 'POST', path: '/runs/:id/models', summary: 'Record models a run used or produced', params: S.IdParams, body: M.LinkRunModelsBody, response: S.Empty }),
  runModelLinks: e({ operationId: 'runModelLinks', method: 'GET', path: '/runs/:id/models', summary: 'Models a run used or produced', params: S.IdParams, response: one('items', Type.Array(M.RunModelLink)) }),
  logModelArtifact: e({ operationId: 'logModelArtifact', method: 'PUT', path: '/logged-models/:id/artifacts/*', summary: 'Upload a logged-model artifact (streamed bytes)', params: S.ArtifactParams, rawBody: true, response: one('artifact', S.ArtifactEntry), bodyLimit: Number.MAX_SAFE_INTEGER }),
  listModelArtifacts: e({ operationId: 'listModelArtifacts', method: 'GET', path: '/logged-models/:id/artifacts', summary: 'List logged-model artifacts under a folder', params: S.IdParams, query: S.ArtifactListQuery, response: one('items', Type.Array(S.ArtifactEntry)) }),
  getModelArtifact: e({ operationId: 'getModelArtifact', method: 'GET', path: '/logged-models/:id/artifacts/*', summary: 'Download a logged-model artifact', params: S.ArtifactParams, response: 'bytes' }),
  deleteModelArtifact: e({ operationId: 'deleteModelArtifact', method: 'DELETE', path: '/logged-models/:id/artifacts/*', summary: 'Delete a logged-model artifact or folder', params: S.ArtifactParams, response: S.Empty }),
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
