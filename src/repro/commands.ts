/**
 * `cairn run`, `cairn repro` and `cairn runs check`. Registration only: the
 * actions (and everything they import) load when a command runs.
 */
import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { collect, examples } from '../cli/options.js';

export interface RunOptions {
  readonly experiment?: string;
  readonly name?: string;
  readonly param?: readonly string[];
  readonly seed?: string;
  readonly input?: readonly string[];
  readonly evalInput?: readonly string[];
  readonly env?: readonly string[];
  readonly requireClean?: boolean;
  readonly sampleInterval?: string;
}

export interface ReproOptions {
  readonly tolerance?: string;
  readonly metricTolerance?: readonly string[];
  readonly sampleInterval?: string;
  readonly json?: boolean;
}

const SAMPLE_HELP = 'seconds between system-metric samples (default 5)';

export function registerReproCommands(program: Command, ctx: CliContext): void {
  const run = program.command('run')
    .summary('Run a training command and capture everything needed to rerun it')
    .description('Run any command (Python, Node, shell) as a tracked run. Records the git commit, branch and remote, a patch of\n'
      + 'uncommitted changes, untracked files with hashes, the command, allow-listed environment variables (never secrets),\n'
      + 'the machine (CPU, memory, GPUs, CUDA), Node/Python versions and packages, the seed, params and inputs; streams and\n'
      + 'stores the output; samples CPU/RSS/GPU as system/ metrics. The command sees CAIRN_URL, CAIRN_RUN_ID,\n'
      + 'MLFLOW_TRACKING_URI and MLFLOW_RUN_ID, so its own logging lands in the same run. Exits with the command\'s status.')
    .argument('<command...>', 'the command, after --; {name} is replaced by --param name=value')
    .option('-e, --experiment <name-or-id>', 'experiment (created when the name is new; default: Default)')
    .option('-n, --name <name>', 'run name')
    .option('-p, --param <key=value>', 'a param: logged, exported as CAIRN_PARAM_<KEY>, substituted for {key}; repeatable', collect)
    .option('--seed <seed>', 'seed exported as CAIRN_SEED and PYTHONHASHSEED, and recorded')
    .option('-i, --input <dataset@version>', 'a dataset version the run reads; repeatable', collect)
    .option('--eval-input <dataset[@version]>', "a dataset version the model is evaluated on (context 'evaluation'; the version defaults to the\n"
      + "dataset's pointer file); the registry flags a version evaluated on other data than the validated version; repeatable", collect)
    .option('--env <NAME>', 'also record this environment variable (or PREFIX*); secret-looking names never are; repeatable', collect)
    .option('--require-clean', 'refuse to run from a working tree with uncommitted or untracked files (or CAIRN_REQUIRE_CLEAN=1)')
    .option('--sample-interval <seconds>', SAMPLE_HELP)
    .action(async (command: string[], o: RunOptions) => (await import('./run-actions.js')).runCommand(ctx, command, o));
  examples(run,
    'cairn run --experiment churn --seed 42 -- python train.py',
    "cairn run -e churn -p lr=0.01 -p layers=3 -- python train.py --lr {lr} --layers {layers}",
    'cairn run --input churn@v3 -- node train.mjs',
    'cairn run --input churn@3 --eval-input holdout@2 -- python train.py');

  const repro = program.command('repro')
    .summary('Rerun a run from its metadata and say whether it reproduced')
    .description('Rerun a run in a clean git worktree at its recorded commit with its recorded patch, command, params, seed '
      + 'and environment, as a new run linked to the original. Every recorded dataset version (--input, and *.cairn pointer '
      + 'files) must exist on the server; those placed by a pointer file are checked out into the worktree from it first. '
      + 'Compares every final metric within tolerance and stores one verdict on both runs (tag cairn.repro.verdict): '
      + 'REPRODUCED (exit 0), DIVERGED or NOT REPRODUCIBLE (exit 1).')
    .argument('<run-id>', 'the run to reproduce')
    .option('--tolerance <tol>', 'default tolerance: 0.01 (relative), rel:0.01 or abs:0.001 (default: rel:1e-9)')
    .option('--metric-tolerance <key=tol>', 'tolerance for one metric, e.g. loss=abs:0.001; repeatable', collect)
    .option('--sample-interval <seconds>', SAMPLE_HELP)
    .option('--json', 'print the verdict as JSON')
    .action(async (runId: string, o: ReproOptions) => (await import('./run-actions.js')).reproCommand(ctx, runId, o));
  examples(repro, 'cairn repro 3f2a9c', 'cairn repro 3f2a9c --tolerance 0.01 --metric-tolerance loss=abs:0.001');

  const runs = program.commands.find((c) => c.name() === 'runs');
  if (runs) {
    examples(runs.command('check')
      .description('Answer the five reproducibility questions for a run, each yes or no with the reason (exit 1 on any no)')
      .argument('<run-id>', 'run id')
      .option('--json', 'print JSON')
      .action(async (runId: string, o: { json?: boolean }) => (await import('./run-actions.js')).checkCommand(ctx, runId, o)),
    'cairn runs check 3f2a9c');
  }
}
