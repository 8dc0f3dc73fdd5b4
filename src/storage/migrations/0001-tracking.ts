import type { Migration } from '../migration.js';

/** Tracking: experiments, runs, params, tags, metrics, inputs, artifacts. */
export const m0001Tracking: Migration = {
  version: 1,
  name: 'tracking',
  sql: `
CREATE TABLE experiments (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  lifecycle TEXT NOT NULL DEFAULT 'active',
  artifact_location TEXT NOT NULL,
  required_tags TEXT NOT NULL DEFAULT '[]',
  run_name_pattern TEXT,
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL,
  deleted_at {{bigint}}
);
CREATE TABLE experiment_tags (
  experiment_id TEXT NOT NULL REFERENCES experiments(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)
);
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  experiment_id TEXT NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  lifecycle TEXT NOT NULL DEFAULT 'active',
  user_id TEXT,
  start_time {{bigint}} NOT NULL,
  end_time {{bigint}},
  parent_run_id TEXT,
  notes TEXT,
  artifact_uri TEXT NOT NULL,
  deleted_at {{bigint}}
);
CREATE INDEX runs_experiment_start ON runs (experiment_id, start_time);
CREATE INDEX runs_parent ON runs (parent_run_id);
CREATE TABLE params (
  run_id TEXT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
){{without_rowid}};
CREATE INDEX params_key_value ON params (key, value);
CREATE TABLE run_tags (
  run_id TEXT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
){{without_rowid}};
CREATE INDEX run_tags_key_value ON run_tags (key, value);
CREATE TABLE latest_metrics (
  run_id TEXT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  value {{float}},
  is_nan INTEGER NOT NULL DEFAULT 0,
  step {{bigint}} NOT NULL,
  timestamp {{bigint}} NOT NULL,
  PRIMARY KEY (run_id, key)
){{without_rowid}};
CREATE INDEX latest_metrics_key_value ON latest_metrics (key, value);
CREATE TABLE metric_chunks (
  id {{idpk}},
  run_id TEXT NOT NULL REFERENCES runs(id),
  key TEXT NOT NULL,
  n INTEGER NOT NULL,
  min_step {{bigint}} NOT NULL,
  max_step {{bigint}} NOT NULL,
  data {{blob}} NOT NULL
);
CREATE INDEX metric_chunks_run_key ON metric_chunks (run_id, key, id);
CREATE TABLE ingest_keys (
  key TEXT PRIMARY KEY,
  run_id TEXT NOT NULL,
  created_at {{bigint}} NOT NULL
);
CREATE TABLE datasets (
  id TEXT PRIMARY KEY,
  experiment_id TEXT NOT NULL REFERENCES experiments(id),
  name TEXT NOT NULL,
  digest TEXT NOT NULL,
  source_type TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  schema TEXT,
  profile TEXT,
  UNIQUE (experiment_id, name, digest)
);
CREATE TABLE run_inputs (
  run_id TEXT NOT NULL REFERENCES runs(id),
  dataset_id TEXT NOT NULL REFERENCES datasets(id),
  context TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, dataset_id)
);
CREATE TABLE blobs (
  digest TEXT PRIMARY KEY,
  size {{bigint}} NOT NULL,
  created_at {{bigint}} NOT NULL
);
CREATE TABLE artifacts (
  run_id TEXT NOT NULL REFERENCES runs(id),
  path TEXT NOT NULL,
  digest TEXT NOT NULL,
  size {{bigint}} NOT NULL,
  created_at {{bigint}} NOT NULL,
  PRIMARY KEY (run_id, path)
);
INSERT INTO experiments (id, name, description, artifact_location, created_at, updated_at)
  VALUES ('0', 'Default', 'The default experiment.', 'cairn-artifacts:/0', 0, 0)
`,
};
