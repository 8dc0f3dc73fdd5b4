/**
 * `cairn data …`: thin commands over the data slice. Implementations load
 * when an action runs (`data-actions.ts`, `data-info-actions.ts`), so
 * `cairn --help` stays fast.
 */
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { examples } from '../cli/options.js';

export interface AddOptions { readonly name?: string; readonly message?: string; readonly description?: string }
export interface StatusOptions { readonly json?: boolean }
export interface CheckoutOptions { readonly path?: string; readonly link?: string }
export interface TransferOptions { readonly remote?: string; readonly link?: string }
export interface DiffOptions { readonly dataset?: string; readonly json?: boolean }
export interface ShowOptions { readonly json?: boolean }

const actions = () => import('./data-actions.js');
const info = () => import('./data-info-actions.js');
const linkOption = () => new Option('--link <mode>', 'how files are placed: reflink (copy-on-write, else copy), hardlink, or copy').choices(['reflink', 'hardlink', 'copy']).default('reflink');

export function registerDataCommands(program: Command, ctx: CliContext): void {
  const data = program.command('data')
    .description('Version datasets: content-addressed files, pointer files for git, push/pull, diffs and tags');

  examples(data.command('add')
    .description('Record a dataset version of files or folders: hashes them (unchanged files come from the local hash cache), uploads only new content to the server\'s artifact store, and writes PATH.cairn to commit to git')
    .argument('<paths...>', 'files or folders, each its own dataset')
    .option('-n, --name <name>', 'dataset name (default: the pointer\'s dataset, else the base name); one path only')
    .option('-m, --message <text>', 'what changed in this version')
    .option('--description <text>', 'description for a new dataset')
    .action(async (paths: string[], o: AddOptions) => (await actions()).add(ctx, paths, o)),
  'cairn data add data/ --name churn -m "March refresh"', 'git add data.cairn && git commit -m "churn v3"');

  examples(data.command('status')
    .description('Show files added, modified and deleted since the version each pointer file records')
    .argument('[paths...]', 'data paths or pointer files (default: every *.cairn below the current folder)')
    .option('--json', 'print JSON')
    .action(async (paths: string[], o: StatusOptions) => (await actions()).status(ctx, paths, o)),
  'cairn data status', 'cairn data status data/');

  examples(data.command('checkout')
    .description('Restore files exactly as a version holds them; with VERSION, switch the pointer to that version first. Never leaves a half-written workspace')
    .argument('[version]', 'a number, a tag, latest, or dataset@version (default: the version in the pointer file)')
    .option('-p, --path <path>', 'the data path or pointer file (default: every pointer below the current folder)')
    .addOption(linkOption())
    .action(async (version: string | undefined, o: CheckoutOptions) => (await actions()).checkout(ctx, version, o)),
  'cairn data checkout', 'cairn data checkout v2.3 --path data', 'cairn data checkout churn@2');

  examples(data.command('push')
    .description('Upload the content of the pointers\' versions that the server (or --remote) lacks; parallel and resumable')
    .argument('[paths...]', 'data paths or pointer files (default: every *.cairn below the current folder)')
    .option('-r, --remote <url>', 'a folder or s3://bucket/prefix to push to directly, instead of the server')
    .action(async (paths: string[], o: TransferOptions) => (await actions()).push(ctx, paths, o)),
  'cairn data push', 'cairn data push --remote s3://ml-data/cairn');

  examples(data.command('pull')
    .description('Download what the local cache lacks from the server (or --remote), verifying every blob, then check the files out')
    .argument('[paths...]', 'data paths or pointer files (default: every *.cairn below the current folder)')
    .option('-r, --remote <url>', 'a folder or s3://bucket/prefix to pull from directly, instead of the server')
    .addOption(linkOption())
    .action(async (paths: string[], o: TransferOptions) => (await actions()).pull(ctx, paths, o)),
  'cairn data pull', 'cairn data pull --remote /mnt/shared/cairn-remote');

  examples(data.command('diff')
    .description('List files added, removed and modified between two versions')
    .argument('<from>', 'a version (number, tag, latest) or dataset@version')
    .argument('<to>', 'a version or dataset@version')
    .option('-d, --dataset <name>', 'the dataset (default: from dataset@version, else the only pointer below the current folder)')
    .option('--json', 'print JSON')
    .action(async (from: string, to: string, o: DiffOptions) => (await info()).diff(ctx, from, to, o)),
  'cairn data diff churn@1 churn@2', 'cairn data diff v2.3 latest');

  examples(data.command('tag')
    .description('Point a tag at a version (the latest unless dataset@version names one); moving an existing tag is recorded in the audit trail')
    .argument('<dataset>', 'dataset or dataset@version')
    .argument('<tag>', 'e.g. v2.3 or prod')
    .action(async (dataset: string, tag: string) => (await info()).tag(ctx, dataset, tag)),
  'cairn data tag churn v2.3', 'cairn data tag churn@4 prod');

  data.command('list')
    .description('List datasets with their latest version and tags')
    .option('--json', 'print JSON')
    .action(async (o: ShowOptions) => (await info()).list(ctx, o));

  examples(data.command('show')
    .description('Show a dataset and its versions, or one version')
    .argument('<dataset>', 'dataset or dataset@version')
    .option('--json', 'print JSON')
    .action(async (dataset: string, o: ShowOptions) => (await info()).show(ctx, dataset, o)),
  'cairn data show churn', 'cairn data show churn@v2.3');
}
