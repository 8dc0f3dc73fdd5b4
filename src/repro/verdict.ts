/**
 * The reproducibility verdict: compare a rerun's final metrics with the
 * original's within tolerance, and say why when they can't be compared.
 * Pure: callers fetch runs and manifests.
 */
import { InvalidArgument } from '../core/errors.js';
import type { RunManifest } from './manifest.js';
import { environmentDiff } from './environment-diff.js';

export const VERDICTS = ['REPRODUCED', 'DIVERGED', 'NOT REPRODUCIBLE'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** |a − b| ≤ abs, or |a − b| ≤ rel × max(|a|, |b|). */
export interface Tolerance {
  readonly abs: number;
  readonly rel: number;
}

/** Seeded code on the same machine gives equal floats; this only absorbs printing noise. */
export const DEFAULT_TOLERANCE: Tolerance = { abs: 0, rel: 1e-9 };

/** `0.01` (relative), `rel:0.01` or `abs:0.001`. */
export function parseTolerance(spec: string): Tolerance {
  const m = /^(?:(abs|rel):)?([0-9.eE+-]+)$/.exec(spec.trim());
  const n = m ? Number(m[2]) : NaN;
  if (!m || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgument(`tolerance '${spec}' is not a number ≥ 0; write e.g. 0.01 (relative), rel:0.01 or abs:0.001`);
  }
  return m[1] === 'abs' ? { abs: n, rel: 0 } : { abs: 0, rel: n };
}

/** `key=abs:0.001` → [key, tolerance]. */
export function parseMetricTolerance(spec: string): [string, Tolerance] {
  const eq = spec.lastIndexOf('=');
  if (eq <= 0) throw new InvalidArgument(`--metric-tolerance '${spec}' is not key=tolerance; write e.g. loss=abs:0.001`);
  return [spec.slice(0, eq), parseTolerance(spec.slice(eq + 1))];
}

export interface MetricComparison {
  readonly key: string;
  readonly original: number | null;
  readonly reproduced: number | null;
  readonly ok: boolean;
}

const within = (a: number, b: number, t: Tolerance): boolean => {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  const d = Math.abs(a - b);
  return d <= t.abs || d <= t.rel * Math.max(Math.abs(a), Math.abs(b));
};

/** Metrics recorded by Cairn itself about the machine, never compared. */
export const isSystemMetric = (key: string): boolean => key.startsWith('system/');

/** Compares every final metric either run has (system metrics excluded), sorted by key. */
export function compareMetrics(
  original: Readonly<Record<string, number>>, reproduced: Readonly<Record<string, number>>,
  tolerance: Tolerance = DEFAULT_TOLERANCE, perMetric: ReadonlyMap<string, Tolerance> = new Map(),
): MetricComparison[] {
  const keys = [...new Set([...Object.keys(original), ...Object.keys(reproduced)])].filter((k) => !isSystemMetric(k)).sort();
  return keys.map((key) => {
    const a = original[key];
    const b = reproduced[key];
    const ok = a !== undefined && b !== undefined && within(a, b, perMetric.get(key) ?? tolerance);
    return { key, original: a ?? null, reproduced: b ?? null, ok };
  });
}

const fmt = (v: number | null): string => (v === null ? 'missing' : String(v));

export function describeDifference(c: MetricComparison): string {
  if (c.original === null) return `${c.key}: not in the original run, ${fmt(c.reproduced)} in the rerun`;
  if (c.reproduced === null) return `${c.key}: ${c.original} in the original run, missing in the rerun`;
  const d = c.reproduced - c.original;
  return `${c.key}: ${c.original} → ${c.reproduced} (Δ ${d >= 0 ? '+' : ''}${d.toPrecision(3)})`;
}

/** The first ten paths, then how many more. */
const someOf = (files: readonly { readonly path: string }[], total: number): string =>
  `${files.slice(0, 10).map((f) => f.path).join(', ')}${total > 10 ? ` and ${total - 10} more` : ''}`;

/** What makes a run impossible to rerun faithfully, known before running anything. */
export function reproBlockers(m: RunManifest): string[] {
  const out: string[] = [];
  if (!m.git) out.push('the run was not started inside a git repository, so no code version was recorded');
  else if (!m.git.commit) out.push('the repository had no commit when the run started');
  if (m.git && m.git.untracked.length > 0) {
    out.push(`the working folder had untracked files that the run may have read: ${someOf(m.git.untracked, m.git.untracked.length)}; commit them or version them as a dataset (cairn data add)`);
  }
  if (m.git?.ignored && m.git.ignored.total > 0) {
    out.push(`the working folder had git-ignored files that the run may have read: ${someOf(m.git.ignored.files, m.git.ignored.total)}; `
      + 'version them as a dataset (cairn data add, then commit the pointer file) or move them out of the working folder');
  }
  const unversioned = m.inputs.filter((i) => i.version === null).map((i) => i.name);
  if (unversioned.length > 0) out.push(`inputs without a dataset version: ${unversioned.join(', ')}; pass --input name@version`);
  return out;
}

export interface VerdictInput {
  readonly original: RunManifest;
  readonly rerun: RunManifest;
  readonly originalStatus: string;
  readonly rerunStatus: string;
  readonly comparisons: readonly MetricComparison[];
  readonly originalPackages?: string | null;
  readonly rerunPackages?: string | null;
  /** The end of the rerun's stderr, quoted when the rerun failed where the original finished. */
  readonly rerunStderrTail?: string | null;
}

export interface VerdictResult {
  readonly verdict: Verdict;
  /** Why, one line each: missing metadata, environment changes, differing metrics. */
  readonly reasons: readonly string[];
}

const lastLines = (s: string, n = 5): string => s.trimEnd().split('\n').slice(-n).join(' ⏎ ');

/**
 * The verdict, as issue 4 defines it:
 * - NOT REPRODUCIBLE when metadata a faithful rerun needs is missing, whatever
 *   the metrics say: no seed was recorded, the environment changed (the diff
 *   of packages, runtimes and hardware is given), the original logged no
 *   metrics, or the rerun failed where the original finished (it needs
 *   something its metadata does not hold; its stderr tail is quoted).
 *   Differing metrics are listed after those reasons.
 * - DIVERGED when the metadata was complete but a metric (or the final
 *   status) differs: which, and by how much.
 * - REPRODUCED otherwise: same status, every metric within tolerance.
 */
export function decideVerdict(v: VerdictInput): VerdictResult {
  const bad = v.comparisons.filter((c) => !c.ok).map(describeDifference);
  if (v.originalStatus !== v.rerunStatus) bad.unshift(`status: ${v.originalStatus} → ${v.rerunStatus}`);
  const missing: string[] = [];
  if (v.comparisons.length === 0) missing.push('the original run logged no metrics, so there is nothing to compare; log the results you care about as metrics');
  if (v.original.seed === null) missing.push('no seed was recorded; pass --seed to cairn run and seed every generator from CAIRN_SEED');
  missing.push(...environmentDiff(v.original, v.rerun, v.originalPackages ?? null, v.rerunPackages ?? null).map((e) => `environment changed: ${e}`));
  if (v.originalStatus === 'FINISHED' && v.rerunStatus === 'FAILED') {
    const tail = v.rerunStderrTail ? `; its stderr ended: ${lastLines(v.rerunStderrTail)}` : '';
    missing.push(`the rerun FAILED where the original FINISHED, so it lacked something the run's metadata does not record (a file, a service, a credential)${tail}`);
  }
  if (missing.length > 0) return { verdict: 'NOT REPRODUCIBLE', reasons: [...missing, ...bad] };
  if (bad.length > 0) return { verdict: 'DIVERGED', reasons: bad };
  return { verdict: 'REPRODUCED', reasons: [] };
}
