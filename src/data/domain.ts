/**
 * Dataset versions, pure: names, the manifest (what a version contains), its
 * canonical encoding, diffs between manifests, and version references.
 * No I/O here; hashing and files arrive from `workspace/`.
 */
import { InvalidArgument } from '../core/errors.js';

/** One file of a dataset version. */
export interface ManifestEntry {
  /** Relative POSIX path inside the dataset (`a/b.csv`; a single-file dataset holds its base name). */
  readonly path: string;
  readonly size: number;
  /** Lowercase hex sha256 of the content; the blob's name in every store. */
  readonly digest: string;
  /** Permission bits (`0o644`, `0o755`); checkout restores them. */
  readonly mode: number;
}

/** What a dataset version contains: entries sorted by path, unique paths. */
export interface DatasetManifest {
  readonly format: 1;
  readonly entries: readonly ManifestEntry[];
}

export interface Dataset {
  readonly name: string;
  readonly description: string | null;
  /** 0 while the dataset has no version. */
  readonly latestVersion: number;
  readonly tags: Readonly<Record<string, number>>;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface DatasetVersion {
  readonly dataset: string;
  /** 1, 2, 3… per dataset. */
  readonly version: number;
  /** sha256 of the canonical manifest encoding; the manifest is that blob. */
  readonly manifestDigest: string;
  readonly fileCount: number;
  readonly totalSize: number;
  readonly message: string | null;
  /** Tags pointing at this version. */
  readonly tags: readonly string[];
  readonly createdBy: string;
  readonly createdAt: number;
}

export const MAX_DATASET_NAME = 200;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const TAG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** @throws InvalidArgument unless `name` is letters, digits, `.`, `_`, `-` (starting with a letter or digit). */
export function assertDatasetName(name: string): void {
  if (!NAME.test(name) || name.length > MAX_DATASET_NAME) {
    throw new InvalidArgument(
      `dataset name '${name}' is invalid; use letters, digits, '.', '_' and '-' (at most ${MAX_DATASET_NAME}), starting with a letter or digit`);
  }
}

/** Tags name versions (`v2.3`, `prod`); a tag may not be all digits (that would read as a version number) or `latest`. */
export function assertTagName(tag: string): void {
  if (!TAG.test(tag) || tag.length > 100 || /^\d+$/.test(tag) || tag === 'latest') {
    throw new InvalidArgument(
      `tag '${tag}' is invalid; use letters, digits, '.', '_' and '-', not all digits and not 'latest' (e.g. v2.3)`);
  }
}

/** A reference to one version: its number, a tag, or `latest`. */
export type VersionRef = { readonly kind: 'number'; readonly version: number } | { readonly kind: 'tag'; readonly tag: string } | { readonly kind: 'latest' };

/** Parses `3`, `latest` or a tag such as `v2.3`. */
export function parseVersionRef(ref: string): VersionRef {
  const r = ref.trim();
  if (r === '' || r === 'latest') return { kind: 'latest' };
  if (/^\d+$/.test(r)) {
    const version = Number(r);
    if (!Number.isSafeInteger(version) || version < 1) throw new InvalidArgument(`version '${ref}' is not a positive number`);
    return { kind: 'number', version };
  }
  assertTagName(r);
  return { kind: 'tag', tag: r };
}

/** Splits `name@ref` (`churn@v2.3`, `churn@3`, `churn`). */
export function parseDatasetRef(spec: string): { readonly name: string; readonly ref: string | null } {
  const at = spec.lastIndexOf('@');
  const name = at >= 0 ? spec.slice(0, at) : spec;
  assertDatasetName(name);
  return { name, ref: at >= 0 ? spec.slice(at + 1) : null };
}

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * Builds a manifest, sorting entries by path and checking them.
 * @throws InvalidArgument for a duplicate or unsafe path, a bad size, digest or mode.
 */
export function makeManifest(entries: readonly ManifestEntry[]): DatasetManifest {
  let inOrder = true;
  for (let i = 1; i < entries.length && inOrder; i++) inOrder = entries[i - 1]!.path <= entries[i]!.path;
  const sorted = inOrder ? entries : [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i]!;
    assertEntryPath(e.path);
    if (i > 0 && sorted[i - 1]!.path === e.path) throw new InvalidArgument(`manifest lists '${e.path}' twice`);
    if (!Number.isSafeInteger(e.size) || e.size < 0) throw new InvalidArgument(`manifest entry '${e.path}' has a bad size ${e.size}`);
    if (!DIGEST.test(e.digest)) throw new InvalidArgument(`manifest entry '${e.path}' has a malformed digest`);
    if (!Number.isInteger(e.mode) || e.mode < 0 || e.mode > 0o7777) throw new InvalidArgument(`manifest entry '${e.path}' has a bad mode ${e.mode}`);
  }
  return { format: 1, entries: sorted.map((e) => ({ path: e.path, size: e.size, digest: e.digest, mode: e.mode })) };
}

/** A relative POSIX path with no empty, `.` or `..` segment. */
export function assertEntryPath(p: string): void {
  if (p === '' || p.startsWith('/') || p.includes('\\') || p.includes('\0')
    || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new InvalidArgument(`manifest path '${p}' is not a clean relative path inside the dataset`);
  }
}

/**
 * The canonical text of a manifest: one JSON line per entry after a header
 * line, so the same content always gives the same bytes (and digest), and
 * a text diff of two manifests is readable.
 */
export function encodeManifest(m: DatasetManifest): string {
  const lines = [JSON.stringify({ format: m.format, files: m.entries.length })];
  for (const e of m.entries) lines.push(JSON.stringify([e.path, e.size, e.digest, e.mode]));
  return `${lines.join('\n')}\n`;
}

/** Parses `encodeManifest`'s text. @throws InvalidArgument for anything else. */
export function decodeManifest(text: string): DatasetManifest {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let header: { format?: unknown; files?: unknown };
  try {
    header = JSON.parse(lines[0] ?? '') as typeof header;
  } catch {
    throw new InvalidArgument('dataset manifest has no valid header line; the blob is not a Cairn manifest');
  }
  if (header.format !== 1) throw new InvalidArgument(`dataset manifest has format ${String(header.format)}; this Cairn reads format 1`);
  if (header.files !== lines.length - 1) throw new InvalidArgument(`dataset manifest says ${String(header.files)} files but lists ${lines.length - 1}`);
  const entries: ManifestEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    let row: unknown;
    try {
      row = JSON.parse(lines[i]!);
    } catch {
      throw new InvalidArgument(`dataset manifest line ${i + 1} is not JSON`);
    }
    if (!Array.isArray(row) || row.length !== 4 || typeof row[0] !== 'string' || typeof row[1] !== 'number'
      || typeof row[2] !== 'string' || typeof row[3] !== 'number') {
      throw new InvalidArgument(`dataset manifest line ${i + 1} is not [path, size, digest, mode]`);
    }
    entries.push({ path: row[0], size: row[1], digest: row[2], mode: row[3] });
  }
  return makeManifest(entries);
}

export function manifestTotals(m: DatasetManifest): { fileCount: number; totalSize: number } {
  let totalSize = 0;
  for (const e of m.entries) totalSize += e.size;
  return { fileCount: m.entries.length, totalSize };
}

/** The distinct blob digests a manifest refers to. */
export const manifestDigests = (m: DatasetManifest): string[] => [...new Set(m.entries.map((e) => e.digest))];

export interface ModifiedEntry {
  readonly path: string;
  readonly before: ManifestEntry;
  readonly after: ManifestEntry;
  /** Filled by a `TabularDiffHook` for tabular files (row count, schema); absent otherwise. */
  readonly tabular?: unknown;
}

export interface ManifestDiff {
  readonly added: readonly ManifestEntry[];
  readonly removed: readonly ManifestEntry[];
  /** Content or mode changed. */
  readonly modified: readonly ModifiedEntry[];
  readonly unchanged: number;
}

/** Compares two manifests by path in one merge pass (both are sorted). */
export function diffManifests(from: DatasetManifest, to: DatasetManifest): ManifestDiff {
  const added: ManifestEntry[] = [];
  const removed: ManifestEntry[] = [];
  const modified: ModifiedEntry[] = [];
  let unchanged = 0;
  const a = from.entries;
  const b = to.entries;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x !== undefined && (y === undefined || x.path < y.path)) { removed.push(x); i++; continue; }
    if (y !== undefined && (x === undefined || y.path < x.path)) { added.push(y); j++; continue; }
    if (x!.digest !== y!.digest || x!.mode !== y!.mode) modified.push({ path: x!.path, before: x!, after: y! });
    else unchanged++;
    i++;
    j++;
  }
  return { added, removed, modified, unchanged };
}

/** A dataset version a run read, as recorded in its inputs. */
export interface UsedVersion {
  readonly dataset: string;
  readonly version: string;
}

export interface VersionMismatch {
  readonly dataset: string;
  readonly evaluated: string;
  /** The version whose validation passed, or null when none did. */
  readonly validated: string | null;
  readonly message: string;
}

/**
 * Flags evaluation on data other than what was validated: for each dataset
 * version a model was evaluated on, compare it with the dataset's validated
 * version (`validated`; a dataset absent from the map is not compared).
 * `ValidatedVersionCheck` calls this for the registry, whose `eval_dataset`
 * gate fails on a flag and whose lineage prints it.
 *
 * @example
 * validatedVersionMismatch([{ dataset: 'churn', version: '4' }], new Map([['churn', '3']]))
 * // → [{ dataset: 'churn', evaluated: '4', validated: '3', message: '…' }]
 */
export function validatedVersionMismatch(
  used: readonly UsedVersion[], validated: ReadonlyMap<string, string | null>,
): VersionMismatch[] {
  const out: VersionMismatch[] = [];
  for (const u of used) {
    if (!validated.has(u.dataset)) continue;
    const v = validated.get(u.dataset) ?? null;
    if (v === u.version) continue;
    out.push({
      dataset: u.dataset,
      evaluated: u.version,
      validated: v,
      message: v === null
        ? `evaluated on ${u.dataset}@${u.version}, but no version of ${u.dataset} passed validation; run 'cairn data validate' first`
        : `evaluated on ${u.dataset}@${u.version}, but the validated version is ${u.dataset}@${v}; evaluate on @${v} or validate @${u.version}`,
    });
  }
  return out;
}
