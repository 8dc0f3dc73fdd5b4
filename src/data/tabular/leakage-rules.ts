/**
 * The rules of `cairn data check-leakage`, separate from the SQL that
 * measures them.
 *
 * Normalised duplicates: two rows are the same after normalising every
 * value: strings are trimmed and case-folded (`lower(trim(s))`), floats are
 * rounded to FLOAT_DECIMALS decimal places (so 0.1 + 0.2 equals 0.3, and
 * -0.0 equals 0.0), other values are compared as they are; missing equals
 * missing. Rows are compared through a 64-bit hash of the (normalised) row.
 *
 * A feature predicts the label when, learning the majority label of each of
 * its values on TRAIN, it labels the VALID rows whose value occurs in TRAIN
 * with accuracy ≥ NEAR_PERFECT, covers at least MIN_COVERAGE of VALID, and
 * beats always answering VALID's majority class. Numeric features are also
 * measured by |Pearson correlation| with a numeric, boolean or two-class
 * label on TRAIN. A score of 1 is `perfect`, ≥ NEAR_PERFECT `near-perfect`.
 */
import type { DuplicateFinding, FeatureLeak, LeakSeverity } from './tabular-engine.js';

export const FLOAT_DECIMALS = 6;
export const NEAR_PERFECT = 0.99;
export const MIN_COVERAGE = 0.5;
/** Examples kept per finding. */
export const LEAKAGE_EXAMPLES = 5;

export const NORMALISATION_RULE =
  `strings trimmed and case-folded; floats rounded to ${FLOAT_DECIMALS} decimals; missing equals missing`;

/** Severity of a feature's score, or null when it is not flagged. */
export function leakSeverity(measure: FeatureLeak['measure'], score: number, coverage: number, baseline: number | null): LeakSeverity | null {
  if (!Number.isFinite(score) || score < NEAR_PERFECT) return null;
  if (measure === 'value-groups' && (coverage < MIN_COVERAGE || (baseline !== null && score <= baseline))) return null;
  return score >= 1 - 1e-12 ? 'perfect' : 'near-perfect';
}

/** Flagged first (perfect before near-perfect), then by score. */
export function rankFeatures(features: readonly FeatureLeak[]): FeatureLeak[] {
  const rank = (f: FeatureLeak) => (f.severity === 'perfect' ? 0 : f.severity === 'near-perfect' ? 1 : 2);
  return [...features].sort((a, b) => rank(a) - rank(b) || b.score - a.score || a.feature.localeCompare(b.feature));
}

export function isLeaky(duplicates: readonly DuplicateFinding[], features: readonly FeatureLeak[]): boolean {
  return duplicates.some((d) => d.rows > 0) || features.some((f) => f.severity !== null);
}
