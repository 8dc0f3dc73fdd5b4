/**
 * The run manifest: everything `cairn run` captured about how a run was made,
 * stored as the artifact `cairn/manifest.json`. `cairn repro` and
 * `cairn runs check` read it and nothing else, so "can it be rerun from its
 * metadata?" has a definite answer. Pure: no I/O here.
 */
import { InvalidArgument } from '../core/errors.js';

export const MANIFEST_PATH = 'cairn/manifest.json';
export const PATCH_PATH = 'cairn/patch.diff';
export const REQUIREMENTS_PATH = 'cairn/requirements.txt';
export const LOG_PATH = 'logs/output.log';

/** Run tags written by `cairn run` and `cairn repro`, searchable like any tag. */
export const TAGS = {
  commit: 'cairn.git.commit',
  branch: 'cairn.git.branch',
  remote: 'cairn.git.remote',
  dirty: 'cairn.git.dirty',
  untracked: 'cairn.git.untracked_count',
  command: 'cairn.run.command',
  cwd: 'cairn.run.cwd',
  exitCode: 'cairn.run.exit_code',
  stderrTail: 'cairn.run.stderr_tail',
  durationMs: 'cairn.run.duration_ms',
  seed: 'cairn.seed',
  python: 'cairn.env.python',
  node: 'cairn.env.node',
  host: 'cairn.machine.summary',
  reproduces: 'cairn.repro.of',
  reproRun: 'cairn.repro.run',
  verdict: 'cairn.repro.verdict',
  verdictDetail: 'cairn.repro.detail',
  // MLflow's own source tags, so MLflow's UI and clients see the commit too.
  mlflowCommit: 'mlflow.source.git.commit',
  mlflowBranch: 'mlflow.source.git.branch',
  mlflowRepo: 'mlflow.source.git.repoURL',
  mlflowSourceName: 'mlflow.source.name',
  mlflowSourceType: 'mlflow.source.type',
} as const;

export interface UntrackedFile {
  /** Relative to the working folder. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Git-ignored files in the working folder (tool caches and pointer-tracked data excluded). */
export interface IgnoredFiles {
  /** The first `MAX_LISTED_IGNORED` by path, relative to the working folder, with sizes (not hashed: any one blocks a repro). */
  readonly files: readonly { readonly path: string; readonly size: number }[];
  /** How many there were in all. */
  readonly total: number;
}

export const MAX_LISTED_IGNORED = 1000;

export interface GitState {
  /** Absolute path of the repository root on the machine that ran it. */
  readonly root: string;
  readonly commit: string | null;
  readonly branch: string | null;
  /** Remote URL with any credentials removed. */
  readonly remote: string | null;
  /** True when tracked files had uncommitted changes; the patch is at PATCH_PATH. */
  readonly dirty: boolean;
  /** Untracked, not ignored, files (tool caches and pointer-tracked data excluded). */
  readonly untracked: readonly UntrackedFile[];
  /** Absent in manifests written before Cairn recorded ignored files. */
  readonly ignored?: IgnoredFiles;
}

export interface GpuInfo {
  readonly name: string;
  readonly driver: string;
  readonly memoryMb: number | null;
}

export interface MachineInfo {
  readonly os: string;
  readonly release: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly gpus: readonly GpuInfo[];
  readonly cudaVersion: string | null;
}

export interface PackageSet {
  /** `pip freeze` (else `uv pip freeze`, else `conda list --export`) output stored at REQUIREMENTS_PATH, with its hash. */
  readonly python: { readonly tool: string; readonly count: number; readonly sha256: string } | null;
  /** The Node lockfile found in the working folder or repository root. */
  readonly node: { readonly lockfile: string; readonly sha256: string } | null;
}

/** How a run uses a dataset version: read it (`input`, the default) or evaluate the model on it (`evaluation`). */
export const INPUT_CONTEXTS = ['input', 'evaluation'] as const;
export type InputContext = (typeof INPUT_CONTEXTS)[number];

export interface InputRef {
  readonly name: string;
  /** Null when the input named no version: such a run is not reproducible. The version number once resolved. */
  readonly version: string | null;
  /** What was asked for when it was not the number itself (`latest`, a tag such as `gold`), resolved to `version` at run time. */
  readonly ref?: string;
  /** Absent (manifests written before contexts existed) means `input`. */
  readonly context?: InputContext;
}

export interface RunManifest {
  readonly format: 1;
  /** The command as given, with `{param}` placeholders unexpanded. */
  readonly command: readonly string[];
  /** Working folder relative to the repository root ('.' for the root); absolute outside git. */
  readonly cwd: string;
  readonly params: Readonly<Record<string, string>>;
  readonly seed: string | null;
  readonly inputs: readonly InputRef[];
  readonly git: GitState | null;
  /** Allow-listed environment variables; secret-looking names are never stored. */
  readonly env: Readonly<Record<string, string>>;
  readonly machine: MachineInfo;
  readonly runtimes: { readonly node: string | null; readonly python: string | null };
  readonly packages: PackageSet;
}

/** Parses a stored manifest, naming what is wrong with a damaged one. */
export function parseManifest(text: string): RunManifest {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new InvalidArgument(`${MANIFEST_PATH} is not valid JSON`);
  }
  if (typeof v !== 'object' || v === null) throw new InvalidArgument(`${MANIFEST_PATH} is not an object`);
  const m = v as Partial<RunManifest>;
  if (m.format !== 1) throw new InvalidArgument(`${MANIFEST_PATH} has format ${String(m.format)}; this Cairn reads format 1`);
  if (!Array.isArray(m.command) || m.command.length === 0 || !m.command.every((a) => typeof a === 'string')) {
    throw new InvalidArgument(`${MANIFEST_PATH} has no command`);
  }
  if (typeof m.cwd !== 'string' || typeof m.params !== 'object' || !m.machine || !m.runtimes || !m.packages || !Array.isArray(m.inputs)) {
    throw new InvalidArgument(`${MANIFEST_PATH} lacks cwd, params, inputs, machine, runtimes or packages`);
  }
  return m as RunManifest;
}

/**
 * `dataset@version` → InputRef; a bare name has no version (`cairn run` then
 * takes it from the dataset's pointer file, if the working folder has one).
 * @example parseInputRef('holdout@4', 'evaluation') // → { name: 'holdout', version: '4', context: 'evaluation' }
 */
export function parseInputRef(spec: string, context: InputContext = 'input'): InputRef {
  const flag = context === 'evaluation' ? '--eval-input' : '--input';
  const at = spec.lastIndexOf('@');
  const name = (at >= 0 ? spec.slice(0, at) : spec).trim();
  const version = at >= 0 ? spec.slice(at + 1).trim() : '';
  if (!name) throw new InvalidArgument(`${flag} '${spec}' has no dataset name; write it as name@version, e.g. churn@v3`);
  return { name, version: version || null, ...(context === 'evaluation' ? { context } : {}) };
}

/** A one-line description of the machine, for a tag. */
export function machineSummary(m: MachineInfo): string {
  const gpu = m.gpus.length === 0 ? 'no GPU' : `${m.gpus.length}× ${m.gpus[0]?.name ?? 'GPU'}`;
  return `${m.os} ${m.arch}, ${m.cpuModel} × ${m.cpuCores}, ${Math.round(m.memoryBytes / 2 ** 30)} GiB, ${gpu}`;
}
