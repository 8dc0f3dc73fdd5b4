import { describeHpoConformance } from '../testing/hpo-conformance.js';
import { hpoPostgresHarness, hpoSqliteHarness } from '../testing/hpo-harness.js';

describeHpoConformance('SQLite', hpoSqliteHarness);
describeHpoConformance('PostgreSQL', hpoPostgresHarness);
