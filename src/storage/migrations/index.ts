import type { Migration } from '../migration.js';
import { m0001Tracking } from './0001-tracking.js';
import { m0004LoggedModels } from './0004-logged-models.js';

/** The one schema source: every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m0001Tracking, m0004LoggedModels];
