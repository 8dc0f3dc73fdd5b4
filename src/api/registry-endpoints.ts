/** The registry's part of the /api/v1 route table (see `endpoints.ts`). */
import { Type, type TSchema } from '@sinclair/typebox';
import type { Endpoint } from './endpoints.js';
import * as S from './schemas.js';
import * as R from './registry-schemas.js';

const e = <T extends Endpoint>(x: T): T => x;
const one = <K extends string, T extends TSchema>(k: K, t: T) => Type.Object({ [k]: t } as { [P in K]: T });
const M = '/models/:name';
const V = `${M}/versions/:version`;

export const registryEndpoints = {
  createModel: e({ operationId: 'createModel', method: 'POST', path: '/models', summary: 'Register a model name', body: R.CreateModelBody, response: one('model', R.RegisteredModel) }),
  searchModels: e({ operationId: 'searchModels', method: 'GET', path: '/models', summary: 'Search registered models by name pattern, ordered and paged', query: R.SearchModelsQuery, response: S.Page(R.RegisteredModel) }),
  getModel: e({ operationId: 'getModel', method: 'GET', path: M, summary: 'Get a registered model', params: R.ModelParams, response: one('model', R.RegisteredModel) }),
  updateModel: e({ operationId: 'updateModel', method: 'PATCH', path: M, summary: 'Rename or describe a registered model', params: R.ModelParams, body: R.UpdateModelBody, response: one('model', R.RegisteredModel) }),
  deleteModel: e({ operationId: 'deleteModel', method: 'DELETE', path: M, summary: 'Delete a registered model and all its versions', params: R.ModelParams, response: S.Empty }),
  setModelTag: e({ operationId: 'setModelTag', method: 'PUT', path: `${M}/tags`, summary: 'Set a model tag', params: R.ModelParams, body: R.TagBody, response: S.Empty }),
  deleteModelTag: e({ operationId: 'deleteModelTag', method: 'DELETE', path: `${M}/tags`, summary: 'Delete a model tag', params: R.ModelParams, query: R.KeyQuery, response: S.Empty }),
  setAlias: e({ operationId: 'setAlias', method: 'PUT', path: `${M}/aliases`, summary: 'Point an alias (champion, challenger) at a version', params: R.ModelParams, body: R.AliasBody, response: S.Empty }),
  getVersionByAlias: e({ operationId: 'getVersionByAlias', method: 'GET', path: `${M}/aliases/:alias`, summary: 'The version an alias points at', params: R.AliasParams, response: one('version', R.ModelVersion) }),
  deleteAlias: e({ operationId: 'deleteAlias', method: 'DELETE', path: `${M}/aliases/:alias`, summary: 'Delete an alias', params: R.AliasParams, response: S.Empty }),
  latestVersions: e({ operationId: 'latestVersions', method: 'GET', path: `${M}/latest-versions`, summary: 'The newest version in each stage', params: R.ModelParams, query: R.LatestVersionsQuery, response: one('items', Type.Array(R.ModelVersion)) }),
  rollback: e({ operationId: 'rollback', method: 'POST', path: `${M}/rollback`, summary: 'Restore the previous production version', params: R.ModelParams, body: R.RollbackBody, response: R.RollbackResponse }),
  history: e({ operationId: 'history', method: 'GET', path: `${M}/history`, summary: 'Stage history of a model or one version', params: R.ModelParams, query: R.HistoryQuery, response: one('items', Type.Array(R.StageChange)) }),
  setPolicy: e({ operationId: 'setPolicy', method: 'PUT', path: `${M}/policy`, summary: 'Store a new version of the transition policy', params: R.ModelParams, body: R.PolicyBody, response: one('policy', R.PolicyRecord) }),
  getPolicy: e({ operationId: 'getPolicy', method: 'GET', path: `${M}/policy`, summary: 'The newest (or a given) policy version', params: R.ModelParams, query: R.PolicyQuery, response: one('policy', R.PolicyRecord) }),
  listPolicies: e({ operationId: 'listPolicies', method: 'GET', path: `${M}/policies`, summary: 'Every stored policy version', params: R.ModelParams, response: one('items', Type.Array(R.PolicyRecord)) }),

  createVersion: e({ operationId: 'createVersion', method: 'POST', path: `${M}/versions`, summary: 'Register a model version from a run or a source URI', params: R.ModelParams, body: R.CreateVersionBody, response: one('version', R.ModelVersion) }),
  searchVersions: e({ operationId: 'searchVersions', method: 'POST', path: '/model-versions/search', summary: 'Search model versions by model name or run id', body: R.SearchVersionsBody, response: S.Page(R.ModelVersion) }),
  getVersion: e({ operationId: 'getVersion', method: 'GET', path: V, summary: 'Get a model version', params: R.VersionParams, response: one('version', R.ModelVersion) }),
  updateVersion: e({ operationId: 'updateVersion', method: 'PATCH', path: V, summary: 'Describe a model version', params: R.VersionParams, body: R.UpdateVersionBody, response: one('version', R.ModelVersion) }),
  deleteVersion: e({ operationId: 'deleteVersion', method: 'DELETE', path: V, summary: 'Delete a model version', params: R.VersionParams, response: S.Empty }),
  setVersionTag: e({ operationId: 'setVersionTag', method: 'PUT', path: `${V}/tags`, summary: 'Set a version tag', params: R.VersionParams, body: R.TagBody, response: S.Empty }),
  deleteVersionTag: e({ operationId: 'deleteVersionTag', method: 'DELETE', path: `${V}/tags`, summary: 'Delete a version tag', params: R.VersionParams, query: R.KeyQuery, response: S.Empty }),
  downloadUri: e({ operationId: 'downloadUri', method: 'GET', path: `${V}/download-uri`, summary: "Where a version's files are", params: R.VersionParams, response: one('uri', Type.String()) }),
  checkGates: e({ operationId: 'checkGates', method: 'POST', path: `${V}/gate-check`, summary: 'Evaluate the gates of a stage transition without making it', params: R.VersionParams, body: R.GateCheckBody, response: one('report', R.GateReport) }),
  transition: e({ operationId: 'transition', method: 'POST', path: `${V}/transition`, summary: 'Move a version to a stage when its gates pass (or an admin overrides)', params: R.VersionParams, body: R.TransitionBody, response: R.TransitionResponse }),
  decide: e({ operationId: 'decide', method: 'POST', path: `${V}/decisions`, summary: 'Approve or reject a transition of a version', params: R.VersionParams, body: R.DecisionBody, response: one('decision', R.Approval) }),
  listDecisions: e({ operationId: 'listDecisions', method: 'GET', path: `${V}/decisions`, summary: 'Approvals and rejections of a version', params: R.VersionParams, response: one('items', Type.Array(R.Approval)) }),
  lineage: e({ operationId: 'lineage', method: 'GET', path: `${V}/lineage`, summary: 'Code → data → run → version → stage history', params: R.VersionParams, response: one('lineage', R.Lineage) }),
  getCard: e({ operationId: 'getCard', method: 'GET', path: `${V}/card`, summary: "A version's model card", params: R.VersionParams, response: one('card', R.ModelCard) }),
  setCard: e({ operationId: 'setCard', method: 'PUT', path: `${V}/card`, summary: 'Write, edit or regenerate a model card', params: R.VersionParams, body: R.CardBody, response: one('card', R.ModelCard) }),
} as const satisfies Record<string, Endpoint>;
