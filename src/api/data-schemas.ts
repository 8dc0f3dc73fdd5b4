/** Request and response schemas of the data slice's /api/v1 routes. */
import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Digest = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Ref = Type.String({ minLength: 1, maxLength: 100 });

export const Dataset = Type.Object({
  name: Type.String(),
  description: Nullable(Type.String()),
  latestVersion: Type.Integer(),
  tags: Type.Record(Type.String(), Type.Integer()),
  createdBy: Type.String(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

export const DatasetVersion = Type.Object({
  dataset: Type.String(),
  version: Type.Integer(),
  manifestDigest: Type.String(),
  fileCount: Type.Integer(),
  totalSize: Type.Integer(),
  message: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.Integer(),
});

const Entry = Type.Object({ path: Type.String(), size: Type.Integer(), digest: Type.String(), mode: Type.Integer() });

export const VersionDiff = Type.Object({
  dataset: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  added: Type.Array(Entry),
  removed: Type.Array(Entry),
  modified: Type.Array(Type.Object({ path: Type.String(), before: Entry, after: Entry, tabular: Type.Optional(Type.Unknown()) })),
  unchanged: Type.Integer(),
});

export const DatasetReport = Type.Object({
  dataset: Type.String(),
  version: Type.String(),
  kind: Type.String(),
  passed: Nullable(Type.Boolean()),
  body: Type.Unknown(),
  createdAt: Type.Integer(),
});

export const NameParams = Type.Object({ name: Name });
export const VersionParams = Type.Object({ name: Name, ref: Ref });
export const ReportParams = Type.Object({ name: Name, ref: Ref, kind: Type.String({ maxLength: 50 }) });
export const DigestParams = Type.Object({ digest: Digest });
export const CreateDatasetBody = Type.Object({ name: Name, description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))) });
export const AddVersionBody = Type.Object({
  manifestDigest: Digest,
  message: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
});
export const TagBody = Type.Object({ tag: Type.String({ minLength: 1, maxLength: 100 }), version: Ref });
export const DiffQuery = Type.Object({ from: Ref, to: Ref });
export const ReportBody = Type.Object({ passed: Nullable(Type.Boolean()), body: Type.Unknown() });
export const MissingBody = Type.Object({ digests: Type.Array(Digest, { maxItems: 20_000 }) });
export const MissingResponse = Type.Object({ missing: Type.Array(Type.String()) });
export const BlobSizeQuery = Type.Object({ size: Type.Optional(Type.Integer({ minimum: 0 })) });
