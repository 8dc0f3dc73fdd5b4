/**
 * Tabular commands under `cairn data`: profile, validate, infer-contract,
 * check-leakage and diff-table. Registration only: the actions, and DuckDB
 * with them, load when a command runs.
 */
import type { Command } from 'commander';
import type { CliContext } from '../../cli/cli-context.js';
import { examples } from '../../cli/options.js';
import type { DatasetReports } from '../dataset-reports.js';
import type { TabularEngine } from './tabular-engine.js';

export interface TabularCommandDeps {
  /**
   * Where `--record dataset@version` stores reports. Without it, `--record`
   * fails with InvalidState and nothing else changes.
   */
  readonly datasetReports?: () => Promise<DatasetReports>;
  /** The engine; default: a DuckDbTabularEngine, closed after the command. */
  readonly engine?: () => Promise<TabularEngine>;
}

export interface ProfileOptions { readonly json?: boolean; readonly record?: string }
export interface ValidateOptions { readonly contract: string; readonly json?: boolean; readonly record?: string }
export interface InferOptions { readonly output?: string; readonly force?: boolean }
export interface LeakageCliOptions { readonly key?: string; readonly label?: string; readonly json?: boolean; readonly record?: string }
export interface DiffOptions { readonly json?: boolean }

const RECORD_HELP = 'store the report on this dataset version (dataset@version)';
const load = () => import('./tabular-actions.js');

export function registerTabularCommands(data: Command, ctx: CliContext, deps: TabularCommandDeps = {}): void {
  examples(data.command('profile')
    .summary('Profile a CSV or Parquet file, column by column')
    .description('Profile a CSV or Parquet file: per column the type, missing %, distinct count (approximate), min, max, '
      + 'mean, quantiles, a histogram and the top categories. With --record it is stored with the dataset version '
      + 'and later serves as the monitoring reference.')
    .argument('<file>', '.csv, .tsv (optionally .gz) or .parquet')
    .option('--json', 'print the profile as JSON')
    .option('--record <dataset@version>', RECORD_HELP)
    .action(async (file: string, o: ProfileOptions) => (await load()).profileAction(ctx, deps, file, o)),
  'cairn data profile data/train.csv', 'cairn data profile data/train.parquet --json --record churn@v3');

  examples(data.command('validate')
    .summary('Check a file against a data contract; exits 1 on failure')
    .description('Check a file against a data contract (columns, types, nullability, ranges, allowed values, uniqueness, '
      + 'row counts, custom SQL checks). Prints one line per check; exits 1 when any check fails.')
    .argument('<file>', '.csv, .tsv or .parquet')
    .requiredOption('-c, --contract <contract.yaml>', 'the contract (see `cairn data infer-contract`)')
    .option('--json', 'print the report as JSON')
    .option('--record <dataset@version>', `${RECORD_HELP}; a registry gate can require it passed`)
    .action(async (file: string, o: ValidateOptions) => (await load()).validateAction(ctx, deps, file, o)),
  'cairn data validate data/train.csv --contract contract.yaml', 'cairn data validate train.parquet -c contract.yaml --record churn@v3');

  examples(data.command('infer-contract')
    .summary('Write a data contract that a file passes')
    .description('Write a contract that the file passes (columns, types, nullability, ranges, small category sets, '
      + 'unique columns), to review and edit before use')
    .argument('<file>', '.csv, .tsv or .parquet')
    .option('-o, --output <contract.yaml>', 'write it to this file instead of stdout')
    .option('--force', 'overwrite an existing --output file')
    .action(async (file: string, o: InferOptions) => (await load()).inferContractAction(ctx, deps, file, o)),
  'cairn data infer-contract data/train.csv -o contract.yaml');

  examples(data.command('check-leakage')
    .summary('Find rows, keys and features leaking between train and validation splits')
    .description('Look for leakage between a training and a validation split: rows shared exactly or after '
      + 'normalisation (strings trimmed and case-folded, floats rounded to 6 decimals), repeated rows within each '
      + 'split, shared keys, and features that predict the label (near-)perfectly. Exits 1 when anything is found.')
    .argument('<train>', 'training split (.csv, .tsv or .parquet)')
    .argument('<valid>', 'validation split, same columns')
    .option('--key <cols>', 'comma-separated columns identifying an entity; VALID rows whose key is in TRAIN are reported')
    .option('--label <col>', 'the label column; enables the feature → label checks')
    .option('--json', 'print the report as JSON')
    .option('--record <dataset@version>', RECORD_HELP)
    .action(async (train: string, valid: string, o: LeakageCliOptions) => (await load()).checkLeakageAction(ctx, deps, train, valid, o)),
  'cairn data check-leakage train.csv valid.csv --key customer_id --label churned');

  examples(data.command('diff-table')
    .summary('Compare the row counts and schemas of two tables')
    .description('Compare two tables: row counts, added and removed columns, changed column types')
    .argument('<a>', 'the old file')
    .argument('<b>', 'the new file')
    .option('--json', 'print the diff as JSON')
    .action(async (a: string, b: string, o: DiffOptions) => (await load()).diffTableAction(ctx, deps, a, b, o)),
  'cairn data diff-table data/v1/train.csv data/v2/train.parquet');
}
