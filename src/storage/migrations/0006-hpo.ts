import type { Migration } from '../migration.js';

/**
 * HPO: studies and their trials. A trial's params, distributions and
 * intermediate values are JSON (read whole by samplers); `run_id` links the
 * trial to the Cairn run that makes it visible to search and compare.
 */
export const m0006Hpo: Migration = {
  version: 6,
  name: 'hpo',
  sql: `
CREATE TABLE studies (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  experiment_id TEXT NOT NULL,
  directions TEXT NOT NULL,
  metric_names TEXT NOT NULL,
  sampler TEXT NOT NULL,
  pruner TEXT NOT NULL,
  space TEXT,
  heartbeat_timeout_ms {{bigint}},
  max_retries INTEGER NOT NULL DEFAULT 0,
  created_at {{bigint}} NOT NULL
);
CREATE TABLE trials (
  id TEXT PRIMARY KEY,
  study_id TEXT NOT NULL REFERENCES studies(id),
  number INTEGER NOT NULL,
  state TEXT NOT NULL,
  run_id TEXT,
  params TEXT NOT NULL,
  distributions TEXT NOT NULL,
  fixed_params TEXT NOT NULL,
  relative_params TEXT,
  trial_values TEXT,
  intermediate TEXT NOT NULL,
  worker TEXT,
  retry_of INTEGER,
  heartbeat_at {{bigint}},
  started_at {{bigint}},
  completed_at {{bigint}},
  UNIQUE (study_id, number)
);
CREATE INDEX trials_study_state ON trials (study_id, state, number);
`,
};
