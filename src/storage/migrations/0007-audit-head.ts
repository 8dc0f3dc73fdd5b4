import type { Migration } from '../migration.js';

const GENESIS = `'${'0'.repeat(64)}'`;

/**
 * The audit chain's head as one row: the last entry's `seq`, `prev_hash` and
 * `hash`. An append moves the head with one UPDATE (which waits on the row
 * lock and then applies to the newest head, so concurrent appenders queue
 * instead of racing for the same `seq` and retrying) and inserts the entry
 * the head now names. Filled from the log's current last entry, or the
 * genesis values for an empty log.
 */
export const m0007AuditHead: Migration = {
  version: 7,
  name: 'audit-head',
  sql: `
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq {{bigint}} NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, prev_hash, hash)
SELECT 1,
  COALESCE((SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 1), 0),
  COALESCE((SELECT prev_hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${GENESIS}),
  COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), ${GENESIS});
`,
};
