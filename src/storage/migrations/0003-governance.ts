import type { Migration } from '../migration.js';

/**
 * Governance: the hash-chained audit log, users, API tokens, role grants and
 * webhook subscriptions with their delivery outbox. Depends on no other
 * slice's tables (grants name experiments and models by id/name only).
 */
export const m0003Governance: Migration = {
  version: 3,
  name: 'governance',
  sql: `
CREATE TABLE audit_log (
  seq {{bigint}} PRIMARY KEY,
  time {{bigint}} NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  reason TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  password_hash TEXT,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at {{bigint}} NOT NULL
);
CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at {{bigint}} NOT NULL,
  expires_at {{bigint}},
  revoked_at {{bigint}},
  last_used_at {{bigint}}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE TABLE role_grants (
  user_id TEXT NOT NULL REFERENCES users(id),
  scope_kind TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (user_id, scope_kind, scope_id)
);
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  events TEXT NOT NULL,
  created_at {{bigint}} NOT NULL
);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL,
  event TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at {{bigint}} NOT NULL,
  last_error TEXT,
  created_at {{bigint}} NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
`,
};
