import type { Migration } from '../migration.js';
import { m0001Tracking } from './0001-tracking.js';
import { m0005Data } from './0005-data.js';

/** The one schema source: every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [m0001Tracking, m0005Data];
