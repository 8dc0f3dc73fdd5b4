/** Request and response schemas of /api/v1/retention and /api/v1/gc, defined once. */
import { Type } from '@sinclair/typebox';
import { DECISION_REASONS, RETENTION_MODES } from '../retention/retention-rule.js';

const Literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));

export const ApplyRetentionBody = Type.Object({
  experimentId: Type.String({ minLength: 1 }),
  keep: Type.Integer({ minimum: 1 }),
  metric: Type.String({ minLength: 1, maxLength: 250 }),
  mode: Type.Optional(Literals(RETENTION_MODES)),
  dryRun: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const RetentionReport = Type.Object({
  experimentId: Type.String(),
  keep: Type.Integer(),
  metric: Type.String(),
  mode: Literals(RETENTION_MODES),
  dryRun: Type.Boolean(),
  decisions: Type.Array(Type.Object({
    runId: Type.String(), name: Type.String(), value: Type.Union([Type.Number(), Type.Null()]), keep: Type.Boolean(), reason: Literals(DECISION_REASONS),
  })),
  deleted: Type.Integer(),
});

export const CollectGarbageBody = Type.Object({
  dryRun: Type.Optional(Type.Boolean()),
  graceSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  deletedForSeconds: Type.Optional(Type.Number({ minimum: 0 })),
  abandonedUploadSeconds: Type.Optional(Type.Number({ minimum: 0 })),
}, { additionalProperties: false });

export const GcReport = Type.Object({
  dryRun: Type.Boolean(),
  purgedRuns: Type.Array(Type.Object({ runId: Type.String(), artifacts: Type.Integer() })),
  blobs: Type.Integer(),
  bytes: Type.Integer(),
  young: Type.Integer(),
  referenced: Type.Integer(),
  abortedUploads: Type.Array(Type.Object({ id: Type.String(), target: Type.String(), parts: Type.Integer() })),
});
