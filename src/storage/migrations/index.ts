import type { Migration } from '../migration.js';
import { m0001Tracking } from './0001-tracking.js';
import { m0002Registry } from './0002-registry.js';
import { m0003Governance } from './0003-governance.js';
import { m0004LoggedModels } from './0004-logged-models.js';
import { m0005Data } from './0005-data.js';
import { m0006Hpo } from './0006-hpo.js';
import { m0007AuditHead } from './0007-audit-head.js';
import { m0008AuditTarget } from './0008-audit-target.js';

/** The one schema source: every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m0001Tracking, m0002Registry, m0003Governance, m0004LoggedModels, m0005Data, m0006Hpo, m0007AuditHead, m0008AuditTarget];
