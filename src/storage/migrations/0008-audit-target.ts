import type { Migration } from '../migration.js';

/** Reading one target's history (`cairn audit export --target`, `GET /audit?targetType=&targetId=`) without scanning the log. */
export const m0008AuditTarget: Migration = {
  version: 8,
  name: 'audit-target',
  sql: `
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, seq);
`,
};
