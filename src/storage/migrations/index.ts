import type { Migration } from '../migration.js';
import { m0001Tracking } from './0001-tracking.js';
import { m0006Hpo } from './0006-hpo.js';

/** The one schema source: every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m0001Tracking, m0006Hpo];
