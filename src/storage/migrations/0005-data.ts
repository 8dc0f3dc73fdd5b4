import type { Migration } from '../migration.js';

/**
 * Data: named datasets, their numbered versions (each a content-addressed
 * manifest in the blob store), tags pointing at versions, and the reports
 * (profile, validation, leakage) recorded per version. Tables are prefixed
 * `data_` because 0001's `datasets` holds tracking's run inputs.
 */
export const m0005Data: Migration = {
  version: 5,
  name: 'data',
  sql: `
CREATE TABLE data_sets (
  name TEXT PRIMARY KEY,
  description TEXT,
  latest_version INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  updated_at {{bigint}} NOT NULL
);
CREATE TABLE data_versions (
  dataset TEXT NOT NULL REFERENCES data_sets(name),
  version INTEGER NOT NULL,
  manifest_digest TEXT NOT NULL,
  file_count {{bigint}} NOT NULL,
  total_size {{bigint}} NOT NULL,
  message TEXT,
  created_by TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  PRIMARY KEY (dataset, version)
);
CREATE INDEX data_versions_manifest ON data_versions (dataset, manifest_digest);
CREATE TABLE data_tags (
  dataset TEXT NOT NULL REFERENCES data_sets(name),
  tag TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at {{bigint}} NOT NULL,
  PRIMARY KEY (dataset, tag)
);
CREATE TABLE data_reports (
  dataset TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  passed INTEGER,
  body TEXT NOT NULL,
  created_at {{bigint}} NOT NULL,
  PRIMARY KEY (dataset, version, kind),
  FOREIGN KEY (dataset, version) REFERENCES data_versions(dataset, version)
);
`,
};
