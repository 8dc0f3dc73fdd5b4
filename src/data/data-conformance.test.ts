import { describeDataConformance } from '../testing/data-conformance.js';
import { httpDataHarness, postgresDataHarness, sqliteDataHarness } from '../testing/data-harness.js';

describeDataConformance('SQLite', sqliteDataHarness);
describeDataConformance('PostgreSQL', postgresDataHarness);
describeDataConformance('HTTP client', httpDataHarness);
