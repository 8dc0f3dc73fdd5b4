/** Request and response schemas of /api/v1/studies (the ask/tell API), defined once. */
import { Type, type TSchema } from '@sinclair/typebox';
import { DIRECTIONS, TRIAL_STATES } from '../hpo/study-view.js';
import { WireNumber } from './schemas.js';

const Literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Int = Type.Integer();
export const ParamValue = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);
const Json = Type.Record(Type.String(), Type.Unknown());

export const Distribution = Type.Union([
  Type.Object({ kind: Type.Literal('float'), low: Type.Number(), high: Type.Number(), log: Type.Boolean(), step: Nullable(Type.Number()) }),
  Type.Object({ kind: Type.Literal('int'), low: Type.Number(), high: Type.Number(), log: Type.Boolean(), step: Type.Number() }),
  Type.Object({ kind: Type.Literal('categorical'), choices: Type.Array(ParamValue) }),
]);

const PluginSpec = Type.Object({ name: Type.String({ maxLength: 100 }), options: Type.Optional(Json) });

export const Study = Type.Object({
  id: Type.String(),
  name: Type.String(),
  experimentId: Type.String(),
  directions: Type.Array(Literals(DIRECTIONS)),
  metricNames: Type.Array(Type.String()),
  sampler: PluginSpec,
  pruner: PluginSpec,
  space: Nullable(Type.Array(Type.Unknown())),
  heartbeatTimeoutMs: Nullable(Int),
  maxRetries: Int,
  createdAt: Int,
});

export const Trial = Type.Object({
  id: Type.String(),
  number: Int,
  state: Literals(TRIAL_STATES),
  params: Type.Record(Type.String(), ParamValue),
  distributions: Type.Record(Type.String(), Distribution),
  values: Nullable(Type.Array(Type.Number())),
  intermediate: Type.Array(Type.Tuple([Type.Number(), Type.Number()])),
  fixedParams: Type.Record(Type.String(), ParamValue),
  startedAt: Nullable(Int),
  completedAt: Nullable(Int),
  runId: Nullable(Type.String()),
  worker: Nullable(Type.String()),
  retryOf: Nullable(Int),
  heartbeatAt: Nullable(Int),
});

export const StudyParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) });
export const TrialParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }), number: Type.Integer({ minimum: 0 }) });

export const CreateStudyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  directions: Type.Optional(Type.Array(Literals(DIRECTIONS), { minItems: 1, maxItems: 3 })),
  metricNames: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 250 }), { minItems: 1, maxItems: 3 })),
  experiment: Type.Optional(Type.String({ maxLength: 500 })),
  sampler: Type.Optional(PluginSpec),
  pruner: Type.Optional(PluginSpec),
  space: Type.Optional(Nullable(Json)),
  heartbeatTimeoutMs: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  maxRetries: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  loadIfExists: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

/** Ask takes no body (so `curl -X POST …/ask` works); the worker id is a query parameter. */
export const AskQuery = Type.Object({ worker: Type.Optional(Type.String({ maxLength: 250 })) });
export const SuggestBody = Type.Object({ param: Type.String({ minLength: 1, maxLength: 250 }), distribution: Distribution }, { additionalProperties: false });
export const ReportBody = Type.Object({ step: Type.Integer({ minimum: 0 }), value: WireNumber, logToRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const TellBody = Type.Object({
  state: Type.Optional(Literals(['COMPLETE', 'PRUNED', 'FAIL'])),
  values: Type.Optional(Type.Array(WireNumber, { minItems: 1, maxItems: 3 })),
}, { additionalProperties: false });
export const EnqueueBody = Type.Object({ params: Type.Record(Type.String(), ParamValue) }, { additionalProperties: false });
export const TrialsQuery = Type.Object({ states: Type.Optional(Type.String({ description: 'comma-separated trial states' })) });

export const StudyReport = Type.Object({
  study: Study,
  counts: Type.Record(Type.String(), Int),
  best: Type.Array(Trial),
  history: Type.Array(Type.Object({ number: Int, value: Type.Number(), best: Type.Number() })),
  parallelCoordinates: Type.Object({
    params: Type.Array(Type.String()),
    objectives: Type.Array(Type.String()),
    rows: Type.Array(Type.Object({ number: Int, params: Type.Array(ParamValue), values: Type.Array(Type.Number()) })),
  }),
  importances: Nullable(Type.Record(Type.String(), Type.Number())),
});
