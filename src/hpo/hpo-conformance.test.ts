import { describeHpoConformance } from '../testing/hpo-conformance.js';
import { hpoHttpHarness, hpoPostgresHarness, hpoSqliteHarness } from '../testing/hpo-harness.js';

describeHpoConformance('SQLite', hpoSqliteHarness);
describeHpoConformance('PostgreSQL', hpoPostgresHarness);
describeHpoConformance('HTTP client', hpoHttpHarness);
