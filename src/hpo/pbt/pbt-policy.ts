/**
 * Population-based training, the decision step (Jaderberg et al., 2017):
 * after each generation the bottom `quantile` of the population exploits a
 * random member of the top `quantile` (takes its checkpoint and params) and
 * explores (perturbs those params). Pure and seeded.
 */
import { InvalidArgument } from '../../core/errors.js';
import { contains, type Distribution, type ParamValue } from '../distributions.js';
import type { SeededRandom } from '../seeded-random.js';
import { toMinimize, type Direction } from '../study-view.js';

export interface PbtOptions {
  /** Fraction exploited and exploited from, in (0, 0.5]. Default 0.25. */
  readonly quantile?: number;
  /** Numeric params are multiplied by one of these. Default [0.8, 1.2]. */
  readonly factors?: readonly [number, number];
  /** Chance that a categorical param is resampled. Default 0.25. */
  readonly resampleProbability?: number;
}

export interface PbtMember {
  readonly member: number;
  readonly value: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
}

export interface PbtDecision {
  readonly member: number;
  /** The member whose checkpoint the next generation starts from (itself unless exploited). */
  readonly source: number;
  readonly exploited: boolean;
  readonly params: Record<string, ParamValue>;
}

export function checkPbtOptions(o: PbtOptions): Required<PbtOptions> {
  const r = { quantile: 0.25, factors: [0.8, 1.2] as const, resampleProbability: 0.25, ...o };
  if (!(r.quantile > 0 && r.quantile <= 0.5)) throw new InvalidArgument(`PBT quantile must be in (0, 0.5]; got ${r.quantile}`);
  if (!(r.resampleProbability >= 0 && r.resampleProbability <= 1)) throw new InvalidArgument(`resampleProbability must be in [0, 1]; got ${r.resampleProbability}`);
  if (!r.factors.every((f) => f > 0)) throw new InvalidArgument('perturbation factors must be > 0');
  return r;
}

/** Perturbs each param within its distribution: ×factor for numbers (clipped, on the step grid), resample for categoricals. */
export function perturb(params: Readonly<Record<string, ParamValue>>, dists: Readonly<Record<string, Distribution>>, o: Required<PbtOptions>, rng: SeededRandom): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, v] of Object.entries(params)) {
    const d = dists[name];
    if (!d || v === null) { out[name] = v; continue; }
    if (d.kind === 'categorical') {
      out[name] = rng.next() < o.resampleProbability ? (d.choices[rng.int(d.choices.length)] ?? v) : v;
      continue;
    }
    let x = (v as number) * (rng.next() < 0.5 ? o.factors[0] : o.factors[1]);
    if (d.step !== null && !d.log) x = d.low + Math.round((x - d.low) / d.step) * d.step;
    if (d.kind === 'int') x = Math.round(x);
    x = Math.min(Math.max(x, d.low), d.high);
    if (d.kind === 'float' && d.step !== null) x = Number(x.toPrecision(15));
    out[name] = contains(d, x) ? x : v;
  }
  return out;
}

/** One exploit/explore step over a generation's results. */
export function pbtStep(members: readonly PbtMember[], direction: Direction, opts: PbtOptions, rng: SeededRandom): PbtDecision[] {
  const o = checkPbtOptions(opts);
  const ranked = [...members].sort((a, b) => toMinimize(a.value, direction) - toMinimize(b.value, direction));
  const k = Math.max(1, Math.floor(ranked.length * o.quantile));
  const top = ranked.slice(0, k);
  const bottom = new Set(ranked.length > 1 ? ranked.slice(-k).map((m) => m.member) : []);
  return members.map((m) => {
    if (!bottom.has(m.member)) return { member: m.member, source: m.member, exploited: false, params: { ...m.params } };
    const src = top[rng.int(top.length)] as PbtMember;
    return { member: m.member, source: src.member, exploited: true, params: perturb(src.params, src.distributions, o, rng) };
  });
}
