/** Request and response schemas of the governance routes: users, tokens, webhooks, audit. */
import { Type, type TSchema } from '@sinclair/typebox';
import { ROLES } from '../core/actor.js';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-notifier.js';

const Str = (max: number) => Type.String({ maxLength: max });
const Literals = (xs: readonly string[]) => Type.Union(xs.map((x) => Type.Literal(x)));
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Int = Type.Integer();
export const Items = <T extends TSchema>(t: T) => Type.Object({ items: Type.Array(t) });

export const Role = Literals(ROLES);
export const Scope = Type.Union([
  Type.Object({ kind: Type.Literal('global') }),
  Type.Object({ kind: Type.Literal('experiment'), id: Type.String() }),
  Type.Object({ kind: Type.Literal('model'), name: Type.String() }),
]);
export const User = Type.Object({
  id: Type.String(), name: Type.String(), disabled: Type.Boolean(), hasPassword: Type.Boolean(), createdAt: Int,
  grants: Type.Array(Type.Object({ scope: Scope, role: Role })),
});
export const TokenInfo = Type.Object({
  id: Type.String(), userName: Type.String(), name: Type.String(), createdAt: Int, expiresAt: Nullable(Int), revokedAt: Nullable(Int), lastUsedAt: Nullable(Int),
});
export const Webhook = Type.Object({ id: Type.String(), url: Type.String(), events: Type.Array(Type.String()), createdAt: Int });
export const WebhookDelivery = Type.Object({
  id: Type.String(), webhookId: Type.String(), event: Type.String(), status: Literals(['pending', 'delivered', 'failed']),
  attempts: Int, nextAttemptAt: Int, lastError: Nullable(Type.String()), createdAt: Int,
});
export const AuditEntry = Type.Object({
  seq: Int, time: Int, actor: Type.String(), action: Type.String(), targetType: Type.String(), targetId: Type.String(),
  before: Type.Optional(Type.Unknown()), after: Type.Optional(Type.Unknown()), reason: Type.Optional(Type.String()),
  prevHash: Type.String(), hash: Type.String(),
});
export const VerifyResult = Type.Object({
  ok: Type.Boolean(), count: Int, headSeq: Type.Optional(Int), headHash: Type.Optional(Type.String()),
  badSeq: Type.Optional(Int), problem: Type.Optional(Type.String()),
});

export const UserNamesQuery = Type.Object({ ids: Str(10_000) });
export const NameParams = Type.Object({ name: Str(100) });
export const IdParams = Type.Object({ id: Str(100) });
export const CreateUserBody = Type.Object({
  name: Str(100), role: Type.Optional(Role), password: Type.Optional(Str(1000)),
}, { additionalProperties: false });
export const UpdateUserBody = Type.Object({
  disabled: Type.Optional(Type.Boolean()), password: Type.Optional(Nullable(Str(1000))),
}, { additionalProperties: false });
export const SetRoleBody = Type.Object({ scope: Scope, role: Nullable(Role) }, { additionalProperties: false });
export const CreateTokenBody = Type.Object({
  user: Str(100), name: Str(200), expiresAt: Type.Optional(Nullable(Int)),
}, { additionalProperties: false });
export const TokensQuery = Type.Object({ user: Type.Optional(Str(100)) });
export const AddWebhookBody = Type.Object({
  url: Str(2000), events: Type.Array(Literals(WEBHOOK_EVENTS), { minItems: 1, maxItems: WEBHOOK_EVENTS.length }),
  secret: Type.Optional(Str(200)),
}, { additionalProperties: false });
export const AuditQuery = Type.Object({
  afterSeq: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  targetType: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'only entries on this kind of target, e.g. run, model_version, trial' })),
  targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'only entries on this target, e.g. a run id, churn/3, study/7' })),
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only entries by this user name' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only this action, e.g. model_version.transition' })),
});
