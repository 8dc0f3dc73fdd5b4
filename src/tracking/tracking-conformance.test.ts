import { describeTrackingConformance } from '../testing/tracking-conformance.js';
import { httpHarness, postgresHarness, sqliteHarness } from '../testing/tracking-harness.js';

describeTrackingConformance('SQLite', sqliteHarness);
describeTrackingConformance('PostgreSQL', postgresHarness);
describeTrackingConformance('HTTP client', httpHarness);
