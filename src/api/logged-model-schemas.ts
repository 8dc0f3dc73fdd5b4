/** Request and response schemas of the /api/v1 logged-model routes. */
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../tracking/domain.js';
import { LOGGED_MODEL_STATUSES, RUN_MODEL_DIRECTIONS } from '../tracking/logged-models/logged-model.js';
import { WireNumber } from './schemas.js';

const Str = (max: number) => Type.String({ maxLength: max });
const StrMap = (maxProps: number) => Type.Record(Type.String(), Type.String(), { maxProperties: maxProps });
const Literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);
const Int = Type.Integer();

export const LoggedModelMetric = Type.Object({
  key: Str(LIMITS.keyLength),
  value: WireNumber,
  step: Int,
  timestamp: Int,
  runId: Nullable(Str(200)),
  datasetName: Nullable(Str(500)),
  datasetDigest: Nullable(Str(100)),
}, { additionalProperties: false });

export const LoggedModel = Type.Object({
  id: Type.String(),
  experimentId: Type.String(),
  name: Type.String(),
  sourceRunId: Nullable(Type.String()),
  modelType: Nullable(Type.String()),
  status: Literals(LOGGED_MODEL_STATUSES),
  statusMessage: Nullable(Type.String()),
  lifecycle: Literals(['active', 'deleted']),
  artifactLocation: Type.String(),
  createdAt: Int,
  updatedAt: Int,
  params: Type.Record(Type.String(), Type.String()),
  tags: Type.Record(Type.String(), Type.String()),
  metrics: Type.Array(LoggedModelMetric),
});

export const RunModelLink = Type.Object({
  runId: Type.String(), modelId: Type.String(), direction: Literals(RUN_MODEL_DIRECTIONS), step: Int,
});

export const CreateLoggedModelBody = Type.Object({
  experimentId: Str(200),
  name: Type.Optional(Str(500)),
  sourceRunId: Type.Optional(Nullable(Str(200))),
  modelType: Type.Optional(Nullable(Str(LIMITS.keyLength))),
  params: Type.Optional(StrMap(LIMITS.paramsPerBatch)),
  tags: Type.Optional(StrMap(LIMITS.tagsPerBatch)),
}, { additionalProperties: false });

export const GetLoggedModelQuery = Type.Object({ allowDeleted: Type.Optional(Type.Boolean()) });

export const FinalizeLoggedModelBody = Type.Object({
  status: Literals(LOGGED_MODEL_STATUSES),
  message: Type.Optional(Nullable(Str(10_000))),
}, { additionalProperties: false });

export const LoggedModelTagsBody = Type.Object({ tags: StrMap(LIMITS.tagsPerBatch) }, { additionalProperties: false });
export const LoggedModelParamsBody = Type.Object({ params: StrMap(LIMITS.paramsPerBatch) }, { additionalProperties: false });
export const LoggedModelMetricsBody = Type.Object({
  metrics: Type.Array(LoggedModelMetric, { maxItems: LIMITS.metricsPerBatch }),
}, { additionalProperties: false });

export const LinkRunModelsBody = Type.Object({
  direction: Literals(RUN_MODEL_DIRECTIONS),
  models: Type.Array(Type.Object({ modelId: Str(200), step: Int }, { additionalProperties: false }), { maxItems: 1_000 }),
}, { additionalProperties: false });
