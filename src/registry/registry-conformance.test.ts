import { describeRegistryConformance } from '../testing/registry-conformance.js';
import { httpRegistryHarness, postgresRegistryHarness, sqliteRegistryHarness } from '../testing/registry-harness.js';

describeRegistryConformance('SQLite', sqliteRegistryHarness);
describeRegistryConformance('PostgreSQL', postgresRegistryHarness);
describeRegistryConformance('HTTP client', httpRegistryHarness);
