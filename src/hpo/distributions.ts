/**
 * Search-space distributions and trial values. Pure. Every sampler works on
 * these; the store keeps them as JSON.
 */
import { InvalidArgument } from '../core/errors.js';

export type CategoricalChoice = string | number | boolean | null;
export type ParamValue = number | string | boolean | null;

export type Distribution =
  | { readonly kind: 'float'; readonly low: number; readonly high: number; readonly log: boolean; readonly step: number | null }
  | { readonly kind: 'int'; readonly low: number; readonly high: number; readonly log: boolean; readonly step: number }
  | { readonly kind: 'categorical'; readonly choices: readonly CategoricalChoice[] };

/** Throws InvalidArgument naming the param and the fix for an impossible space. */
export function validateDistribution(name: string, d: Distribution): void {
  const bad = (why: string): never => { throw new InvalidArgument(`param '${name}': ${why}`); };
  if (d.kind === 'categorical') {
    if (d.choices.length === 0) bad('categorical choices are empty; give at least one choice');
    if (new Set(d.choices.map((c) => JSON.stringify(c))).size !== d.choices.length) bad('categorical choices repeat a value');
    return;
  }
  if (!Number.isFinite(d.low) || !Number.isFinite(d.high)) bad(`low and high must be finite numbers; got ${d.low} and ${d.high}`);
  if (d.low > d.high) bad(`low (${d.low}) is greater than high (${d.high}); swap them`);
  if (d.log && d.low <= 0) bad(`log scale needs low > 0; got low = ${d.low}`);
  if (d.kind === 'int' && (!Number.isInteger(d.low) || !Number.isInteger(d.high))) bad('int bounds must be integers');
  if (d.step !== null) {
    if (!(d.step > 0)) bad(`step must be > 0; got ${d.step}`);
    if (d.log && (d.kind === 'float' || d.step !== 1)) bad('step cannot be combined with log scale (except step 1 for ints)');
    if (d.kind === 'int' && !Number.isInteger(d.step)) bad('int step must be an integer');
  }
}

/** Same kind and bounds: a param may be suggested again only with an equal distribution. */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when `v` is a value `d` can produce. */
export function contains(d: Distribution, v: ParamValue): boolean {
  if (d.kind === 'categorical') return d.choices.some((c) => c === v);
  if (typeof v !== 'number' || v < d.low || v > d.high) return false;
  if (d.kind === 'int' && !Number.isInteger(v)) return false;
  if (d.step !== null) {
    const k = (v - d.low) / d.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }
  return true;
}

/** Number of distinct values, or Infinity for continuous floats. */
export function cardinality(d: Distribution): number {
  if (d.kind === 'categorical') return d.choices.length;
  if (d.kind === 'float' && d.step === null) return Infinity;
  return Math.floor((d.high - d.low) / (d.step ?? 1) + 1e-8) + 1;
}
