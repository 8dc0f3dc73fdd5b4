import type { Migration } from '../migration.js';

/**
 * Registry: registered models, versions, aliases, stage history, approvals,
 * model cards and versioned transition policies. A partial unique index keeps
 * at most one version of a model in production.
 */
export const m0002Registry: Migration = {
  version: 2,
  name: 'registry',
  sql: `
CREATE TABLE registered_models (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  next_version INTEGER NOT NULL DEFAULT 1,
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL
);
CREATE TABLE registered_model_tags (
  model_id TEXT NOT NULL REFERENCES registered_models(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model_id, key)
);
CREATE TABLE model_versions (
  model_id TEXT NOT NULL REFERENCES registered_models(id),
  version INTEGER NOT NULL,
  stage TEXT NOT NULL,
  source TEXT NOT NULL,
  run_id TEXT,
  description TEXT,
  artifact_format TEXT NOT NULL,
  artifact_flavor TEXT,
  signature TEXT,
  metrics TEXT NOT NULL DEFAULT '{}',
  author TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (model_id, version)
);
CREATE UNIQUE INDEX model_versions_one_production ON model_versions (model_id) WHERE stage = 'production';
CREATE INDEX model_versions_run ON model_versions (run_id);
CREATE TABLE model_version_tags (
  model_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model_id, version, key),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version)
);
CREATE TABLE model_aliases (
  model_id TEXT NOT NULL REFERENCES registered_models(id),
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (model_id, alias),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version)
);
CREATE TABLE stage_changes (
  id {{idpk}},
  model_id TEXT NOT NULL REFERENCES registered_models(id),
  version INTEGER NOT NULL,
  from_stage TEXT NOT NULL,
  to_stage TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT,
  override INTEGER NOT NULL DEFAULT 0,
  at {{bigint}} NOT NULL
);
CREATE INDEX stage_changes_model ON stage_changes (model_id, id);
CREATE TABLE model_approvals (
  model_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  to_stage TEXT NOT NULL,
  actor TEXT NOT NULL,
  decision TEXT NOT NULL,
  comment TEXT,
  at {{bigint}} NOT NULL,
  PRIMARY KEY (model_id, version, to_stage, actor),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version)
);
CREATE TABLE model_cards (
  model_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  markdown TEXT NOT NULL,
  intended_use TEXT,
  limitations TEXT,
  updated_by TEXT NOT NULL,
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (model_id, version),
  FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version)
);
CREATE TABLE model_policies (
  model_id TEXT NOT NULL REFERENCES registered_models(id),
  version INTEGER NOT NULL,
  text TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  PRIMARY KEY (model_id, version)
)
`,
};
