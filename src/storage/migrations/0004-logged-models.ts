import type { Migration } from '../migration.js';

/**
 * Logged models (MLflow 3): models logged from runs, with their params, tags,
 * metrics and artifacts; links between runs and the models they used or
 * produced; and staged multipart uploads of proxied artifacts.
 */
export const m0004LoggedModels: Migration = {
  version: 4,
  name: 'logged-models',
  sql: `
CREATE TABLE logged_models (
  id TEXT PRIMARY KEY,
  experiment_id TEXT NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL,
  source_run_id TEXT REFERENCES runs(id),
  model_type TEXT,
  status TEXT NOT NULL,
  status_message TEXT,
  lifecycle TEXT NOT NULL DEFAULT 'active',
  artifact_location TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL
);
CREATE INDEX logged_models_experiment ON logged_models (experiment_id, created_at);
CREATE INDEX logged_models_source_run ON logged_models (source_run_id);
CREATE TABLE logged_model_params (
  model_id TEXT NOT NULL REFERENCES logged_models(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model_id, key)
){{without_rowid}};
CREATE TABLE logged_model_tags (
  model_id TEXT NOT NULL REFERENCES logged_models(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (model_id, key)
){{without_rowid}};
CREATE TABLE logged_model_metrics (
  id {{idpk}},
  model_id TEXT NOT NULL REFERENCES logged_models(id),
  key TEXT NOT NULL,
  value {{float}},
  is_nan INTEGER NOT NULL DEFAULT 0,
  step {{bigint}} NOT NULL,
  timestamp {{bigint}} NOT NULL,
  run_id TEXT,
  dataset_name TEXT,
  dataset_digest TEXT
);
CREATE INDEX logged_model_metrics_model_key ON logged_model_metrics (model_id, key);
CREATE TABLE logged_model_artifacts (
  model_id TEXT NOT NULL REFERENCES logged_models(id),
  path TEXT NOT NULL,
  digest TEXT NOT NULL,
  size {{bigint}} NOT NULL,
  created_at {{bigint}} NOT NULL,
  PRIMARY KEY (model_id, path)
);
CREATE TABLE run_model_links (
  run_id TEXT NOT NULL REFERENCES runs(id),
  model_id TEXT NOT NULL REFERENCES logged_models(id),
  direction TEXT NOT NULL,
  step {{bigint}} NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, model_id, direction)
);
CREATE INDEX run_model_links_model ON run_model_links (model_id);
CREATE TABLE multipart_uploads (
  id TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  num_parts INTEGER NOT NULL,
  created_at {{bigint}} NOT NULL
);
CREATE TABLE multipart_parts (
  upload_id TEXT NOT NULL REFERENCES multipart_uploads(id),
  part_number INTEGER NOT NULL,
  digest TEXT NOT NULL,
  size {{bigint}} NOT NULL,
  PRIMARY KEY (upload_id, part_number)
)
`,
};
