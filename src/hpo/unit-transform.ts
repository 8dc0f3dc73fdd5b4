/**
 * Maps a point of the unit interval onto a distribution, so uniform and
 * quasi-random samplers share one rule. Pure.
 */
import type { Distribution, ParamValue } from './distributions.js';

/** `u` in [0, 1) → a value `contains(d, value)` accepts. */
export function fromUnit(d: Distribution, u: number): ParamValue {
  const x = Math.min(Math.max(u, 0), 1 - 1e-12);
  if (d.kind === 'categorical') return d.choices[Math.floor(x * d.choices.length)] ?? null;
  if (d.log) {
    const lo = d.kind === 'int' ? d.low - 0.5 : d.low;
    const hi = d.kind === 'int' ? d.high + 0.5 : d.high;
    const v = Math.exp(Math.log(lo) + x * (Math.log(hi) - Math.log(lo)));
    return d.kind === 'int' ? clamp(Math.round(v), d.low, d.high) : clamp(v, d.low, d.high);
  }
  if (d.step !== null) {
    const n = Math.floor((d.high - d.low) / d.step + 1e-8) + 1;
    const k = Math.min(Math.floor(x * n), n - 1);
    const v = d.low + k * d.step;
    return d.kind === 'int' ? v : Number(v.toPrecision(15));
  }
  return d.low + x * (d.high - d.low);
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
