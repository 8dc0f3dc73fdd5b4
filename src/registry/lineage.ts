/**
 * Lineage of a model version: code → data → run → version → stage history.
 * Pure: built from the version, its source run (read through tracking) and
 * the stage history. Run tags follow MLflow's names with Cairn's as
 * alternatives, so runs logged by either client are understood.
 */
import type { ModelArtifact, ModelVersion, Stage, StageChange } from './domain.js';

/** The subset of a tracking run that lineage reads. */
export interface LineageRun {
  readonly id: string;
  readonly name: string;
  readonly experimentId: string;
  readonly status: string;
  readonly startTime: number;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly inputs: readonly { name: string; digest: string; source: string; context: string }[];
}

export interface LineageData {
  readonly name: string;
  readonly digest: string;
  readonly source: string;
  readonly context: string;
  /** Why evaluating on this version is flagged (not the dataset's validated version), or null. */
  readonly flag: string | null;
}

/** A dataset version a model was evaluated on. */
export interface EvaluatedData {
  readonly dataset: string;
  /** The version as recorded: a number, `vN` or a tag. */
  readonly version: string;
}

/** An evaluated dataset version that is not its dataset's validated version, with the message saying what to do. */
export interface EvaluationFlag extends EvaluatedData {
  readonly message: string;
}

export interface Lineage {
  readonly model: string;
  readonly version: number;
  readonly stage: Stage;
  readonly source: string;
  readonly artifact: ModelArtifact;
  readonly code: {
    readonly commit: string | null;
    readonly repository: string | null;
    readonly branch: string | null;
    readonly entryPoint: string | null;
  };
  readonly data: readonly LineageData[];
  /** Null when the version has no source run, or the run is gone. */
  readonly run: {
    readonly id: string;
    readonly name: string;
    readonly experimentId: string;
    readonly status: string;
    readonly startTime: number;
    readonly seed: string | null;
    readonly environment: string | null;
    readonly params: Readonly<Record<string, string>>;
  } | null;
  readonly metrics: Readonly<Record<string, number>>;
  readonly history: readonly StageChange[];
}

const first = (m: Readonly<Record<string, string>>, ...keys: string[]): string | null => {
  for (const k of keys) if (m[k] !== undefined && m[k] !== '') return m[k];
  return null;
};

export const TAGS = {
  commit: ['cairn.git.commit', 'mlflow.source.git.commit'],
  repository: ['cairn.git.repo', 'mlflow.source.git.repoURL'],
  branch: ['cairn.git.branch', 'mlflow.source.git.branch'],
  entryPoint: ['cairn.source.name', 'mlflow.source.name'],
  seed: ['cairn.seed'],
  environment: ['cairn.env', 'cairn.environment', 'mlflow.docker.image.name'],
  /** Set on a version to name its evaluation dataset version when the run has no evaluation input. */
  evalDataset: 'cairn.eval.dataset',
} as const;

export function buildLineage(
  v: ModelVersion, run: LineageRun | null, history: readonly StageChange[], flags: readonly EvaluationFlag[] = [],
): Lineage {
  const tags = run?.tags ?? {};
  const flagOf = (name: string, digest: string, context: string): string | null =>
    context === EVALUATION ? flags.find((f) => f.dataset === name && f.version === digest)?.message ?? null : null;
  return {
    model: v.name,
    version: v.version,
    stage: v.stage,
    source: v.source,
    artifact: v.artifact,
    code: {
      commit: first(tags, ...TAGS.commit),
      repository: first(tags, ...TAGS.repository),
      branch: first(tags, ...TAGS.branch),
      entryPoint: first(tags, ...TAGS.entryPoint),
    },
    data: (run?.inputs ?? []).map((i) => ({
      name: i.name, digest: i.digest, source: i.source, context: i.context, flag: flagOf(i.name, i.digest, i.context),
    })),
    run: run && {
      id: run.id,
      name: run.name,
      experimentId: run.experimentId,
      status: run.status,
      startTime: run.startTime,
      seed: run.params.seed ?? first(tags, ...TAGS.seed),
      environment: first(tags, ...TAGS.environment),
      params: run.params,
    },
    metrics: v.metrics,
    history,
  };
}

/** The run-input context that marks a dataset version the model was evaluated on. */
export const EVALUATION = 'evaluation';

/** `name@digest` of the evaluation dataset version: the version's tag, else the run's evaluation input. */
export function evalDatasetOf(v: ModelVersion, run: LineageRun | null): string | null {
  const tagged = v.tags[TAGS.evalDataset];
  if (tagged) return tagged;
  const input = run?.inputs.find((i) => i.context === EVALUATION);
  return input ? `${input.name}@${input.digest}` : null;
}

/** Every dataset version `v` was evaluated on: the version's `cairn.eval.dataset` tag and the run's evaluation inputs. */
export function evaluatedData(v: ModelVersion, run: LineageRun | null): EvaluatedData[] {
  const out: EvaluatedData[] = [];
  const tagged = v.tags[TAGS.evalDataset];
  const at = tagged?.lastIndexOf('@') ?? -1;
  if (tagged && at > 0) out.push({ dataset: tagged.slice(0, at), version: tagged.slice(at + 1) });
  for (const i of run?.inputs ?? []) {
    if (i.context === EVALUATION && !out.some((o) => o.dataset === i.name && o.version === i.digest)) out.push({ dataset: i.name, version: i.digest });
  }
  return out;
}

/** The lineage as readable lines, top to bottom: code → data → run → version → stage history. */
export function formatLineage(l: Lineage, formatTime: (ms: number) => string): string[] {
  const out = [`code     ${l.code.commit ?? '(no commit recorded)'}${l.code.repository ? `  ${l.code.repository}` : ''}${l.code.branch ? `  branch ${l.code.branch}` : ''}${l.code.entryPoint ? `  ${l.code.entryPoint}` : ''}`];
  if (l.data.length === 0) out.push('data     (no dataset inputs recorded)');
  for (const d of l.data) out.push(`data     ${d.name}@${d.digest}  ${d.context || '-'}  ${d.source}${d.flag ? `  FLAGGED: ${d.flag}` : ''}`);
  if (l.run) {
    const params = Object.entries(l.run.params).map(([k, v]) => `${k}=${v}`).join(' ');
    out.push(`run      ${l.run.id}  ${l.run.name}  ${l.run.status}  seed ${l.run.seed ?? '-'}  env ${l.run.environment ?? '-'}${params ? `  ${params}` : ''}`);
  } else {
    out.push('run      (no source run)');
  }
  const metrics = Object.entries(l.metrics).map(([k, v]) => `${k}=${v}`).join(' ');
  out.push(`version  ${l.model} v${l.version}  ${l.stage}  ${l.artifact.format}${l.artifact.flavor ? `/${l.artifact.flavor}` : ''}  ${l.source}${metrics ? `  ${metrics}` : ''}`);
  if (l.history.length === 0) out.push('stages   (never moved)');
  for (const h of l.history) {
    out.push(`stages   ${formatTime(h.at)}  ${h.from} → ${h.to}  ${h.kind}  by ${h.actor}${h.override ? '  OVERRIDE' : ''}${h.reason ? `  "${h.reason}"` : ''}`);
  }
  return out;
}
