/** Request and response schemas of the registry's /api/v1 routes, defined once. */
import { Type, type TSchema } from '@sinclair/typebox';
import { ARTIFACT_FORMATS, CHANGE_KINDS, DECISIONS, LIMITS, STAGES } from '../registry/domain.js';
import { COMPARE_OPS } from '../registry/gate-expression.js';

const Str = (max: number) => Type.String({ maxLength: max });
const StrMap = (maxProps: number) => Type.Record(Type.String(), Type.String(), { maxProperties: maxProps });
const Literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Int = Type.Integer();

export const Stage = Literals(STAGES);
const Dim = Nullable(Type.Integer({ minimum: -1 }));
export const TensorSpec = Type.Object({ name: Str(500), type: Str(100), shape: Type.Array(Dim, { maxItems: 32 }) });
const TensorSpecInput = Type.Object({ name: Str(500), type: Str(100), shape: Type.Optional(Type.Array(Dim, { maxItems: 32 })) }, { additionalProperties: false });
export const Signature = Type.Object({ inputs: Type.Array(TensorSpec), outputs: Type.Array(TensorSpec) });

export const RegisteredModel = Type.Object({
  name: Type.String(),
  description: Nullable(Type.String()),
  tags: Type.Record(Type.String(), Type.String()),
  aliases: Type.Record(Type.String(), Int),
  policyVersion: Nullable(Int),
  createdAt: Int,
  updatedAt: Int,
});

export const ModelVersion = Type.Object({
  name: Type.String(),
  version: Int,
  stage: Stage,
  source: Type.String(),
  runId: Nullable(Type.String()),
  description: Nullable(Type.String()),
  tags: Type.Record(Type.String(), Type.String()),
  aliases: Type.Array(Type.String()),
  artifact: Type.Object({ format: Literals(ARTIFACT_FORMATS), flavor: Nullable(Type.String()) }),
  signature: Nullable(Signature),
  metrics: Type.Record(Type.String(), Type.Number()),
  author: Type.String(),
  createdAt: Int,
  updatedAt: Int,
});

export const StageChange = Type.Object({
  version: Int, from: Stage, to: Stage, kind: Literals(CHANGE_KINDS), actor: Type.String(),
  reason: Nullable(Type.String()), override: Type.Boolean(), at: Int,
});

export const Approval = Type.Object({
  version: Int, to: Stage, actor: Type.String(), decision: Literals(DECISIONS), comment: Nullable(Type.String()), at: Int,
});

export const GateReport = Type.Object({
  version: Int,
  from: Stage,
  to: Stage,
  passed: Type.Boolean(),
  gates: Type.Array(Type.Object({
    gate: Type.String(), kind: Literals(['metric', 'comparison', 'evidence', 'approvals']), passed: Type.Boolean(), reason: Type.String(),
  })),
}, { description: `Gate expressions compare with ${COMPARE_OPS.join(' ')}` });

export const ModelCard = Type.Object({
  version: Int, markdown: Type.String(), intendedUse: Nullable(Type.String()), limitations: Nullable(Type.String()),
  updatedBy: Type.String(), updatedAt: Int,
});

export const PolicyRecord = Type.Object({ version: Int, text: Type.String(), createdBy: Type.String(), createdAt: Int });

export const Lineage = Type.Object({
  model: Type.String(),
  version: Int,
  stage: Stage,
  source: Type.String(),
  artifact: Type.Object({ format: Literals(ARTIFACT_FORMATS), flavor: Nullable(Type.String()) }),
  code: Type.Object({ commit: Nullable(Type.String()), repository: Nullable(Type.String()), branch: Nullable(Type.String()), entryPoint: Nullable(Type.String()) }),
  data: Type.Array(Type.Object({
    name: Type.String(), digest: Type.String(), source: Type.String(), context: Type.String(), flag: Nullable(Type.String()),
  })),
  run: Nullable(Type.Object({
    id: Type.String(), name: Type.String(), experimentId: Type.String(), status: Type.String(), startTime: Int,
    seed: Nullable(Type.String()), environment: Nullable(Type.String()), params: Type.Record(Type.String(), Type.String()),
  })),
  metrics: Type.Record(Type.String(), Type.Number()),
  history: Type.Array(StageChange),
});

export const ModelParams = Type.Object({ name: Str(LIMITS.nameLength) });
export const VersionParams = Type.Object({ name: Str(LIMITS.nameLength), version: Type.Integer({ minimum: 1 }) });
export const AliasParams = Type.Object({ name: Str(LIMITS.nameLength), alias: Str(LIMITS.aliasLength) });

export const CreateModelBody = Type.Object({
  name: Str(LIMITS.nameLength),
  description: Type.Optional(Nullable(Str(LIMITS.descriptionLength))),
  tags: Type.Optional(StrMap(100)),
}, { additionalProperties: false });

export const SearchModelsQuery = Type.Object({
  nameLike: Type.Optional(Str(LIMITS.nameLength)),
  caseSensitive: Type.Optional(Type.Boolean()),
  /** Tag conditions as a JSON list of `{key, value, negated?}`, e.g. `[{"key":"team","value":"ml"}]`. */
  tags: Type.Optional(Str(20_000)),
  /** Comma-separated order items, e.g. `updated DESC,name ASC`. */
  orderBy: Type.Optional(Str(500)),
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  pageToken: Type.Optional(Str(2_000)),
});

export const UpdateModelBody = Type.Object({
  newName: Type.Optional(Str(LIMITS.nameLength)),
  description: Type.Optional(Nullable(Str(LIMITS.descriptionLength))),
}, { additionalProperties: false });

export const TagBody = Type.Object({ key: Str(LIMITS.keyLength), value: Str(LIMITS.tagValueLength) }, { additionalProperties: false });
export const KeyQuery = Type.Object({ key: Str(LIMITS.keyLength) });
export const AliasBody = Type.Object({ alias: Str(LIMITS.aliasLength), version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const CreateVersionBody = Type.Object({
  source: Type.Optional(Str(LIMITS.sourceLength)),
  runId: Type.Optional(Nullable(Str(200))),
  description: Type.Optional(Nullable(Str(LIMITS.descriptionLength))),
  tags: Type.Optional(StrMap(100)),
  format: Type.Optional(Literals(ARTIFACT_FORMATS)),
  flavor: Type.Optional(Nullable(Str(100))),
  signature: Type.Optional(Nullable(Type.Object({
    inputs: Type.Array(TensorSpecInput, { maxItems: LIMITS.signatureSpecs }),
    outputs: Type.Array(TensorSpecInput, { maxItems: LIMITS.signatureSpecs }),
  }, { additionalProperties: false }))),
}, { additionalProperties: false });

export const UpdateVersionBody = Type.Object({ description: Type.Optional(Nullable(Str(LIMITS.descriptionLength))) }, { additionalProperties: false });

export const SearchVersionsBody = Type.Object({
  name: Type.Optional(Str(LIMITS.nameLength)),
  runId: Type.Optional(Str(200)),
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  pageToken: Type.Optional(Str(2_000)),
}, { additionalProperties: false });

/** `stages`: comma-separated stage names, e.g. `staging,production`. */
export const LatestVersionsQuery = Type.Object({ stages: Type.Optional(Str(200)) });
export const GateCheckBody = Type.Object({ to: Stage }, { additionalProperties: false });
export const TransitionBody = Type.Object({
  to: Stage,
  reason: Type.Optional(Str(5_000)),
  override: Type.Optional(Type.Boolean()),
  archiveExisting: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export const TransitionResponse = Type.Object({ version: ModelVersion, report: GateReport, replaced: Nullable(ModelVersion) });
export const DecisionBody = Type.Object({ to: Stage, decision: Literals(DECISIONS), comment: Type.Optional(Str(5_000)) }, { additionalProperties: false });
export const RollbackBody = Type.Object({ reason: Type.Optional(Str(5_000)) }, { additionalProperties: false });
export const RollbackResponse = Type.Object({ restored: ModelVersion, replaced: Nullable(ModelVersion) });
export const HistoryQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) });
export const CardBody = Type.Object({
  markdown: Type.Optional(Str(LIMITS.cardLength)),
  intendedUse: Type.Optional(Nullable(Str(LIMITS.cardLength))),
  limitations: Type.Optional(Nullable(Str(LIMITS.cardLength))),
  generate: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export const PolicyBody = Type.Object({ text: Str(LIMITS.policyLength) }, { additionalProperties: false });
export const PolicyQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) });
