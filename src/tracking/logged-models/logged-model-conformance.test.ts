import { describeLoggedModelConformance } from '../../testing/logged-model-conformance.js';
import { httpHarness, postgresHarness, sqliteHarness } from '../../testing/tracking-harness.js';

describeLoggedModelConformance('SQLite', sqliteHarness);
describeLoggedModelConformance('PostgreSQL', postgresHarness);
describeLoggedModelConformance('HTTP client', httpHarness);
