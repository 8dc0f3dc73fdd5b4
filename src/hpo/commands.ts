/**
 * `cairn sweep`, `cairn sweep report`, `cairn worker`, `cairn studies`.
 * Registration only: the actions load when a command runs.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { examples, parsePositiveInt } from '../cli/options.js';

/** `--db`/`--artifacts`: write to the shared store directly instead of through the server at CAIRN_URL. */
export interface StoreOptions {
  readonly db?: string;
  readonly artifacts?: string;
}

export interface SweepOptions extends StoreOptions {
  readonly config?: string;
  readonly parallel?: number;
  readonly trials?: number;
  readonly pollInterval?: string;
  readonly worker?: string;
}

export interface WorkerOptions extends StoreOptions {
  readonly study: string;
  readonly parallel?: number;
  readonly trials?: number;
  readonly maxTrials?: number;
  readonly pollInterval?: string;
  readonly worker?: string;
}

const POLL_HELP = 'seconds between reads of the objective metric for pruning (default 1)';
const DB_HELP = 'join through the shared store directly, without a server: the database the servers use (postgres://… or a SQLite file); '
  + 'writes are audited as the owner of CAIRN_TOKEN';
const ARTIFACTS_HELP = 'with --db: the artifact store the servers use (a folder or s3://bucket/prefix; default CAIRN_ARTIFACTS)';

export function registerHpoCommands(program: Command, ctx: CliContext): void {
  const sweep = program.command('sweep')
    .summary('Run a hyperparameter sweep: each trial a captured child process and a Cairn run')
    .description('Create (or resume) the study described by a YAML file and run its trials as child processes, each captured\n'
      + 'like `cairn run` into the trial\'s run. {param} in the command is replaced by the trial\'s value. The command logs\n'
      + 'its objective metric (named in the config) to CAIRN_RUN_ID; the sweep watches that metric, feeds the pruner and\n'
      + 'stops a pruned trial\'s process. Other machines join with `cairn worker --study <name>`.')
    .argument('[command...]', 'the trial command, after --')
    .option('-c, --config <file>', 'sweep YAML (required): study, direction(s), metric(s), trials, sampler, pruner, params')
    .option('-j, --parallel <n>', 'trials at once in this process (default 1)', parsePositiveInt)
    .option('-t, --trials <n>', 'stop when the study holds n trials (overrides the config)', parsePositiveInt)
    .option('--poll-interval <seconds>', POLL_HELP)
    .option('--worker <id>', 'worker id shown in trial lists (default host:pid)')
    .option('--db <url>', DB_HELP)
    .option('--artifacts <location>', ARTIFACTS_HELP)
    .action(async (command: string[], o: SweepOptions) => (await import('./sweep-actions.js')).sweepCommand(ctx, command, o));
  examples(sweep,
    'cairn sweep --config sweep.yaml --parallel 2 -- python train.py --lr {lr} --layers {layers}',
    'cairn sweep report mnist-lr');
  examples(sweep.command('report')
    .description('Best trial(s), trial counts, optimisation history and parallel-coordinates data of a study')
    .argument('<study>', 'study name')
    .option('--json', 'print the full report as JSON (the same as GET /api/v1/studies/<name>/report)')
    .action(async (study: string, o: { json?: boolean }) => (await import('./sweep-actions.js')).reportCommand(ctx, study, o)),
  'cairn sweep report mnist-lr --json');

  examples(program.command('worker')
    .summary('Join a study from any machine and run its trials')
    .description('Ask for trials of an existing study and run them like `cairn sweep` does: through the server at CAIRN_URL, '
      + 'or with --db straight through the shared store (PostgreSQL), as Optuna workers share one database. Trials are '
      + 'claimed atomically, so any number of workers on any machines share one study without duplicates. Without a '
      + 'command, the one the sweep recorded (experiment tag cairn.sweep.command) is used. Trial commands still log to '
      + 'CAIRN_URL, or print their result as a final JSON line.')
    .argument('[command...]', 'the trial command, after -- (default: the sweep\'s)')
    .requiredOption('-s, --study <name>', 'study to join')
    .option('-j, --parallel <n>', 'trials at once in this process (default 1)', parsePositiveInt)
    .option('-t, --trials <n>', 'stop when the study holds n trials', parsePositiveInt)
    .option('--max-trials <n>', 'stop after this worker ran n trials', parsePositiveInt)
    .option('--poll-interval <seconds>', POLL_HELP)
    .option('--worker <id>', 'worker id (default host:pid)')
    .option('--db <url>', DB_HELP)
    .option('--artifacts <location>', ARTIFACTS_HELP)
    .action(async (command: string[], o: WorkerOptions) => (await import('./sweep-actions.js')).workerCommand(ctx, command, o)),
  'cairn worker --study mnist-lr --trials 100',
  'cairn worker --study mnist-lr --db postgres://cairn@db/cairn --artifacts s3://ml/cairn');

  const studies = program.command('studies').description('List and inspect hyperparameter studies');
  examples(studies.command('list')
    .description('Studies with their directions, sampler, pruner and trial counts')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => (await import('./sweep-actions.js')).listStudiesCommand(ctx, o)),
  'cairn studies list');
  examples(studies.command('show')
    .description('A study\'s trials: number, state, values, params and run id')
    .argument('<study>', 'study name')
    .option('--json', 'print JSON')
    .action(async (study: string, o: { json?: boolean }) => (await import('./sweep-actions.js')).showStudyCommand(ctx, study, o)),
  'cairn studies show mnist-lr');
}
