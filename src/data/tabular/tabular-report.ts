/** Text renderings of profiles, validation and leakage reports and diffs, for the CLI. Pure. */
import { renderTable } from '../../cli/table.js';
import { NORMALISATION_RULE } from './leakage-rules.js';
import type { CheckResult, ColumnProfile, DuplicateFinding, FeatureLeak, LeakageReport, TableDiff, TableProfile, ValidationReport } from './tabular-engine.js';

const int = (n: number): string => n.toLocaleString('en-US');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Short text for a profile value: integers as they are, other numbers to 4 significant digits. */
export function short(v: number | string | null): string {
  if (v === null) return '-';
  if (typeof v === 'string') return v.length > 24 ? `${v.slice(0, 23)}…` : v;
  if (!Number.isFinite(v) || Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function topText(c: ColumnProfile): string {
  if (!c.topCategories) return '';
  return c.topCategories.slice(0, 3).map((t) => `${short(t.value)} (${int(t.count)})`).join(', ');
}

/** A one-line sparkline of a histogram: ▁▂▃▄▅▆▇█. */
export function sparkline(counts: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const max = Math.max(...counts, 0);
  return counts.map((c) => (max === 0 ? ' ' : bars[Math.min(7, Math.floor((c / max) * 7.999))])).join('');
}

export function renderProfile(p: TableProfile): string[] {
  const rows = p.columns.map((c) => [
    c.name, c.type, `${c.missingPct.toFixed(1)}%`, int(c.distinct), short(c.min), short(c.max),
    short(c.mean), c.quantiles ? short(c.quantiles[2] ?? null) : '-', c.histogram ? sparkline(c.histogram.counts) : topText(c),
  ]);
  return [
    `${p.file}: ${int(p.rows)} rows × ${p.columns.length} columns (${p.format})`,
    '',
    ...renderTable(rows, { header: ['COLUMN', 'TYPE', 'MISSING', 'DISTINCT~', 'MIN', 'MAX', 'MEAN', 'P50', 'HISTOGRAM / TOP VALUES'], align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'] }),
  ];
}

const mark = (passed: boolean): string => (passed ? '✓' : '✗');

function checkLines(c: CheckResult): string[] {
  return [`  ${mark(c.passed)} ${c.name}: ${c.message}`, ...c.examples.map((e) => `      e.g. ${e}`)];
}

export function renderValidation(r: ValidationReport): string[] {
  const failed = r.checks.filter((c) => !c.passed).length;
  const head = r.passed
    ? `${r.file}: PASSED, ${r.checks.length} checks on ${int(r.rows)} rows`
    : `${r.file}: FAILED, ${failed} of ${r.checks.length} checks on ${int(r.rows)} rows`;
  // Failures first, in contract order; then passes.
  return [head, ...r.checks.filter((c) => !c.passed).flatMap(checkLines), ...r.checks.filter((c) => c.passed).flatMap(checkLines)];
}

const DUPLICATE_TITLES: Readonly<Record<DuplicateFinding['kind'], string>> = {
  'exact-duplicates': 'exact rows of VALID also in TRAIN',
  'normalised-duplicates': `normalised rows of VALID also in TRAIN (${NORMALISATION_RULE})`,
  'key-overlap': 'VALID rows whose key occurs in TRAIN',
  'train-duplicates': 'repeated rows within TRAIN',
  'valid-duplicates': 'repeated rows within VALID',
};

function featureLine(f: FeatureLeak): string {
  const what = f.measure === 'correlation'
    ? `|correlation| ${f.score.toFixed(4)}`
    : `accuracy ${pct(f.score)} on VALID from TRAIN value groups, coverage ${pct(f.coverage)}`;
  return `  ${f.severity ? '✗' : ' '} ${f.feature}: ${what}${f.severity ? ` — ${f.severity.toUpperCase()}` : ''}`;
}

export function renderLeakage(r: LeakageReport, shownUnflagged = 3): string[] {
  const out = [`${r.train} (${int(r.trainRows)} rows) vs ${r.valid} (${int(r.validRows)} rows): ${r.leaky ? 'LEAKAGE FOUND' : 'no leakage found'}`];
  for (const d of r.duplicates) {
    out.push(`  ${mark(d.rows === 0)} ${DUPLICATE_TITLES[d.kind]}: ${d.rows === 0 ? 'none' : `${int(d.rows)} rows (${int(d.distinct)} distinct)`}`);
    out.push(...d.examples.map((e) => `      e.g. ${e}`));
  }
  if (r.labelBaseline !== null) {
    out.push(`features predicting the label (flagged at ≥ 99%; VALID majority-class baseline ${pct(r.labelBaseline)}):`);
    const flagged = r.features.filter((f) => f.severity !== null);
    for (const f of flagged) out.push(featureLine(f), ...f.examples.map((e) => `      e.g. ${e}`));
    if (flagged.length === 0) out.push('  ✓ none flagged');
    out.push(...r.features.filter((f) => f.severity === null).slice(0, shownUnflagged).map(featureLine));
  }
  return out;
}

export function renderDiff(d: TableDiff): string[] {
  const delta = d.rowsB - d.rowsA;
  const out = [`${d.a} → ${d.b}: ${d.changed ? 'changed' : 'same rows count and schema'}`,
    `  rows: ${int(d.rowsA)} → ${int(d.rowsB)} (${delta >= 0 ? '+' : ''}${int(delta)})`];
  out.push(...d.added.map((c) => `  + ${c.name} ${c.physicalType}`));
  out.push(...d.removed.map((c) => `  - ${c.name} ${c.physicalType}`));
  out.push(...d.retyped.map((c) => `  ~ ${c.name} ${c.from} → ${c.to}`));
  return out;
}
