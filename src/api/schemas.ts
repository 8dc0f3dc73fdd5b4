/**
 * Request and response schemas of /api/v1, defined once. The server validates
 * with them, the OpenAPI document is built from them, and the client's types
 * come from the same domain types.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { LIMITS, LIFECYCLE_FILTERS, RUN_STATUSES } from '../tracking/domain.js';

const Str = (max?: number) => Type.String(max === undefined ? {} : { maxLength: max });
const StrMap = (maxProps?: number) =>
  Type.Record(Type.String(), Type.String(), maxProps === undefined ? {} : { maxProperties: maxProps });
const Literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
/** A finite number, or 'NaN' / 'Infinity' / '-Infinity'. */
export const WireNumber = Type.Unsafe<number | string>({ type: ['number', 'string'] });
const Int = Type.Integer();
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Experiment = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Nullable(Type.String()),
  lifecycle: Literals(['active', 'deleted']),
  artifactLocation: Type.String(),
  tags: StrMap(),
  requiredTags: Type.Array(Type.String()),
  runNamePattern: Nullable(Type.String()),
  createdAt: Int,
  updatedAt: Int,
});

export const LatestMetric = Type.Object({ key: Type.String(), value: WireNumber, step: Int, timestamp: Int });

export const DatasetInput = Type.Object({
  name: Str(500),
  digest: Str(100),
  sourceType: Str(100),
  source: Str(10_000),
  context: Str(100),
  schema: Nullable(Type.String()),
  profile: Nullable(Type.String()),
  tags: StrMap(),
});

export const Run = Type.Object({
  id: Type.String(),
  experimentId: Type.String(),
  name: Type.String(),
  status: Literals(RUN_STATUSES),
  lifecycle: Literals(['active', 'deleted']),
  userId: Nullable(Type.String()),
  startTime: Int,
  endTime: Nullable(Int),
  parentRunId: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  artifactUri: Type.String(),
  params: StrMap(),
  tags: StrMap(),
  metrics: Type.Array(LatestMetric),
  inputs: Type.Array(DatasetInput),
});

export const ArtifactEntry = Type.Object({
  path: Type.String(),
  isDir: Type.Boolean(),
  size: Nullable(Int),
  digest: Nullable(Type.String()),
});

export const Series = Type.Object({
  key: Str(LIMITS.keyLength),
  steps: Type.Array(Int),
  timestamps: Type.Array(Int),
  values: Type.Array(WireNumber),
});

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextPageToken: Nullable(Type.String()) });

export const Empty = Type.Object({});
export const ErrorBody = Type.Object({
  error_code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const IdParams = Type.Object({ id: Str(200) });

export const CreateExperimentBody = Type.Object({
  name: Str(LIMITS.experimentNameLength),
  description: Type.Optional(Nullable(Str(10_000))),
  tags: Type.Optional(StrMap(LIMITS.tagsPerBatch)),
  artifactLocation: Type.Optional(Str(2_000)),
  requiredTags: Type.Optional(Type.Array(Str(LIMITS.keyLength), { maxItems: 100 })),
  runNamePattern: Type.Optional(Nullable(Str(500))),
}, { additionalProperties: false });

export const UpdateExperimentBody = Type.Object({
  name: Type.Optional(Str(LIMITS.experimentNameLength)),
  description: Type.Optional(Nullable(Str(10_000))),
  requiredTags: Type.Optional(Type.Array(Str(LIMITS.keyLength), { maxItems: 100 })),
  runNamePattern: Type.Optional(Nullable(Str(500))),
}, { additionalProperties: false });

export const ListExperimentsQuery = Type.Object({
  lifecycle: Type.Optional(Literals(LIFECYCLE_FILTERS)),
  nameLike: Type.Optional(Str(500)),
  filter: Type.Optional(Str(2_000)),
  /** Comma-separated order_by items, e.g. `name ASC,creation_time DESC`. */
  orderBy: Type.Optional(Str(1_000)),
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
  pageToken: Type.Optional(Str(2_000)),
});

export const ExperimentStats = Type.Object({ experimentId: Type.String(), runCount: Int, lastActivity: Nullable(Int) });
export const ExperimentStatsBody = Type.Object({ ids: Type.Array(Str(200), { maxItems: 1_000 }) }, { additionalProperties: false });

export const ByNameParams = Type.Object({ name: Str(LIMITS.experimentNameLength) });

export const TagBody = Type.Object({ key: Str(LIMITS.keyLength), value: Str(LIMITS.tagValueLength) }, { additionalProperties: false });
export const KeyQuery = Type.Object({ key: Str(LIMITS.keyLength) });

export const CreateRunBody = Type.Object({
  experimentId: Type.Optional(Str(200)),
  experimentName: Type.Optional(Str(LIMITS.experimentNameLength)),
  name: Type.Optional(Str(LIMITS.runNameLength)),
  startTime: Type.Optional(Int),
  userId: Type.Optional(Nullable(Str(500))),
  parentRunId: Type.Optional(Nullable(Str(200))),
  notes: Type.Optional(Nullable(Str(LIMITS.notesLength))),
  params: Type.Optional(StrMap(LIMITS.paramsPerBatch)),
  tags: Type.Optional(StrMap(LIMITS.tagsPerBatch)),
}, { additionalProperties: false });

export const UpdateRunBody = Type.Object({
  name: Type.Optional(Str(LIMITS.runNameLength)),
  status: Type.Optional(Literals(RUN_STATUSES)),
  endTime: Type.Optional(Nullable(Int)),
  notes: Type.Optional(Nullable(Str(LIMITS.notesLength))),
}, { additionalProperties: false });

export const MetricInput = Type.Object({
  key: Str(LIMITS.keyLength),
  value: WireNumber,
  step: Type.Optional(Int),
  timestamp: Type.Optional(Int),
}, { additionalProperties: false });

export const LogBatchBody = Type.Object({
  metrics: Type.Optional(Type.Array(MetricInput, { maxItems: LIMITS.metricsPerBatch })),
  params: Type.Optional(StrMap(LIMITS.paramsPerBatch)),
  tags: Type.Optional(StrMap(LIMITS.tagsPerBatch)),
  idempotencyKey: Type.Optional(Str(200)),
}, { additionalProperties: false });

export const LogSeriesBody = Type.Object({
  series: Type.Array(Series, { maxItems: 10_000 }),
  idempotencyKey: Type.Optional(Str(200)),
}, { additionalProperties: false });

export const LogInputsBody = Type.Object({ inputs: Type.Array(DatasetInput, { maxItems: 1_000 }) }, { additionalProperties: false });

export const HistoryQuery = Type.Object({
  key: Str(LIMITS.keyLength),
  maxPoints: Type.Optional(Type.Integer({ minimum: 4, maximum: 1_000_000 })),
  xAxis: Type.Optional(Literals(['step', 'timestamp'])),
  xMin: Type.Optional(Type.Number()),
  xMax: Type.Optional(Type.Number()),
});

export const SearchRunsBody = Type.Object({
  experimentIds: Type.Array(Str(200), { minItems: 1, maxItems: 1_000 }),
  filter: Type.Optional(Str(10_000)),
  orderBy: Type.Optional(Type.Array(Str(500), { maxItems: 20 })),
  lifecycle: Type.Optional(Literals(LIFECYCLE_FILTERS)),
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
  pageToken: Type.Optional(Str(2_000)),
}, { additionalProperties: false });

export const ArtifactParams = Type.Object({ id: Str(200), '*': Str(1_024) });
export const ArtifactListQuery = Type.Object({ path: Type.Optional(Str(1_024)) });
