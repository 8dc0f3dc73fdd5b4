/**
 * How TPE splits the history into "good" (below) and "bad" (above) trials,
 * and how much each one weighs. Pure.
 *
 * Single objective: the best COMPLETE trials by loss are good; every other
 * COMPLETE trial, every PRUNED trial and — with the constant liar — every
 * RUNNING trial is bad. Several objectives (MOTPE):
 * COMPLETE trials by non-domination rank; the rank that straddles the cut is
 * filled greedily by hypervolume contribution.
 */
import { hypervolume, hypervolumeContributions, nonDominatedRanks } from '../pareto.js';
import { isFinishedState, toMinimize, type FrozenTrial, type StudyView } from '../study-view.js';

/** Optuna's default: the best min(⌈0.1 n⌉, 25) trials are "good". */
export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/** With several objectives the good set is not capped: ⌈0.1 n⌉. */
export const defaultGammaMultiObjective = (n: number): number => Math.ceil(0.1 * n);

/** Older "bad" trials weigh less once there are more than 25: a ramp from 1/n up to 1, then 25 ones. */
export function defaultWeights(n: number): number[] {
  if (n <= 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  // The same arithmetic as 1/n + ((1 − 1/n)·i) / max(1, ramp − 1), with the constants hoisted.
  const first = 1 / n;
  const rise = 1 - 1 / n;
  const span = Math.max(1, ramp - 1);
  for (let i = 0; i < ramp; i++) out.push(first + (rise * i) / span);
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

export interface TpeSplit {
  readonly below: readonly FrozenTrial[];
  readonly above: readonly FrozenTrial[];
  /** One weight per `below` trial, in (0, 1]. */
  readonly belowWeights: readonly number[];
  /** One weight per `above` trial, in (0, 1]. */
  readonly aboveWeights: readonly number[];
}

const COMPLETE = 1;
const PRUNED = 2;
const RUNNING = 3;
/** Anything else: WAITING, FAIL, or COMPLETE without values. */
const OTHER = 0;

/** Per position in a study's trial list: the trial's number, kind and (one objective) loss. */
interface Outcomes {
  readonly numbers: Float64Array;
  readonly kinds: Uint8Array;
  readonly losses: Float64Array;
}

function kindOf(t: FrozenTrial): number {
  if (t.state === 'COMPLETE') return t.values ? COMPLETE : OTHER;
  return t.state === 'PRUNED' ? PRUNED : t.state === 'RUNNING' ? RUNNING : OTHER;
}

/**
 * What the split reads of each trial, kept between asks by position in the
 * study's trial list. A finished trial never changes, so a position that
 * holds the same trial object as last time is read from here without
 * touching the trial (on a study of 1,000 trials, those reads were most of
 * the split's time). Unfinished trials are read afresh each time.
 */
export class SplitMemo {
  private key = '';
  private refs: (FrozenTrial | undefined)[] = [];
  private numbers = new Float64Array(0);
  private kinds = new Uint8Array(0);
  private losses = new Float64Array(0);

  read(study: StudyView, trials: readonly FrozenTrial[]): Outcomes {
    const key = `${study.id}\u0000${study.directions.join(',')}`;
    if (key !== this.key || this.numbers.length < trials.length) {
      const size = Math.max(64, trials.length * 2);
      const grow = key === this.key;
      const numbers = new Float64Array(size);
      const kinds = new Uint8Array(size);
      const losses = new Float64Array(size);
      if (grow) {
        numbers.set(this.numbers);
        kinds.set(this.kinds);
        losses.set(this.losses);
      } else {
        this.refs = [];
      }
      this.key = key;
      this.numbers = numbers;
      this.kinds = kinds;
      this.losses = losses;
    }
    const single = study.directions.length === 1 ? study.directions[0]! : null;
    for (let i = 0; i < trials.length; i++) {
      const t = trials[i]!;
      if (this.refs[i] === t) continue;
      this.numbers[i] = t.number;
      this.kinds[i] = kindOf(t);
      this.losses[i] = single !== null && this.kinds[i] === COMPLETE ? toMinimize(t.values![0]!, single) : 0;
      this.refs[i] = isFinishedState(t.state) ? t : undefined;
    }
    return { numbers: this.numbers, kinds: this.kinds, losses: this.losses };
  }
}

/**
 * Splits the finished (and, with `constantLiar`, running) trials other than
 * `current`. With `memo`, what it reads of finished trials is kept between calls.
 */
export function splitTrials(study: StudyView, current: number, gamma: (n: number) => number, constantLiar: boolean, memo?: SplitMemo): TpeSplit {
  const dirs = study.directions;
  const trials = study.trials();
  const { numbers, kinds, losses } = (memo ?? new SplitMemo()).read(study, trials);
  // Positions of the COMPLETE trials, in trial order.
  const complete: number[] = [];
  let pruned = 0;
  for (let i = 0; i < trials.length; i++) {
    if (numbers[i] === current) continue;
    if (kinds[i] === COMPLETE) complete.push(i);
    else if (kinds[i] === PRUNED) pruned++;
  }
  // Optuna's n: finished trials only (the liar's RUNNING trials join the bad set without moving the cut).
  const n = complete.length + pruned;
  const nBelow = Math.min(gamma(n), complete.length);
  // The good trials as (position among the COMPLETE ones, weight), in trial order.
  let good: { readonly c: number; readonly w: number }[];
  if (dirs.length === 1) {
    const completeLosses: number[] = [];
    for (const i of complete) completeLosses.push(losses[i]!);
    good = smallest(completeLosses, nBelow).map((c) => ({ c, w: 1 }));
  } else {
    const { chosen, weights } = splitMultiObjective(complete.map((i) => trials[i]!), dirs, nBelow);
    good = chosen.map((c, r) => ({ c, w: weights[r]! }));
  }
  good.sort((a, b) => a.c - b.c);
  // Both sets in trial order (the weights ramp up with recency). PRUNED and RUNNING trials are always bad.
  const below: FrozenTrial[] = [];
  const belowWeights: number[] = [];
  const above: FrozenTrial[] = [];
  let c = 0;
  let g = 0;
  for (let i = 0; i < trials.length; i++) {
    if (numbers[i] === current) continue;
    const kind = kinds[i];
    if (kind === COMPLETE) {
      if (g < good.length && good[g]!.c === c) {
        below.push(trials[i]!);
        belowWeights.push(good[g++]!.w);
      } else {
        above.push(trials[i]!);
      }
      c++;
    } else if (kind === PRUNED || (kind === RUNNING && constantLiar)) {
      above.push(trials[i]!);
    }
  }
  return { below, above, belowWeights, aboveWeights: defaultWeights(above.length) };
}

/**
 * Indices of the k smallest values (ties: lower index first), in ascending
 * order of value; a binary search places each newcomer (TPE's losses mostly
 * improve over time, so most trials enter the running top k).
 */
function smallest(values: readonly number[], k: number): number[] {
  const picked: number[] = [];
  if (k <= 0) return picked;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (picked.length === k && v >= values[picked[k - 1]!]!) continue;
    // First position whose value exceeds v: equal values keep their (lower) indices first.
    let lo = 0;
    let hi = picked.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[picked[mid]!]! > v) hi = mid;
      else lo = mid + 1;
    }
    picked.splice(lo, 0, i);
    if (picked.length > k) picked.pop();
  }
  return picked;
}

function splitMultiObjective(
  complete: FrozenTrial[],
  dirs: StudyView['directions'],
  nBelow: number,
): { chosen: number[]; weights: number[] } {
  const losses = complete.map((t) => t.values!.map((v, i) => toMinimize(v, dirs[i]!)));
  const ranks = nonDominatedRanks(losses);
  const order = complete.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]! || complete[a]!.number - complete[b]!.number);
  const chosen: number[] = [];
  let r = 0;
  while (chosen.length < nBelow) {
    const front = order.filter((i) => ranks[i] === r);
    if (chosen.length + front.length <= nBelow) chosen.push(...front);
    else chosen.push(...greedyByContribution(front.map((i) => losses[i]!), nBelow - chosen.length).map((j) => front[j]!));
    r++;
  }
  const sortedChosen = [...chosen].sort((a, b) => complete[a]!.number - complete[b]!.number);
  const belowLosses = sortedChosen.map((i) => losses[i]!);
  const ref = referencePoint(losses);
  const contrib = belowLosses.length > 1 ? hypervolumeContributions(belowLosses, ref) : [1];
  const maxC = Math.max(...contrib, 0);
  return { chosen: sortedChosen, weights: contrib.map((c) => (maxC > 0 ? Math.max(c / maxC, 0.1) : 1)) };
}

/** Worst loss per objective, pushed out by 10% of the spread (or 1 when flat). */
function referencePoint(losses: readonly (readonly number[])[]): number[] {
  const dim = losses[0]?.length ?? 0;
  return Array.from({ length: dim }, (_, k) => {
    const col = losses.map((l) => l[k]!);
    const hi = Math.max(...col);
    const spread = hi - Math.min(...col);
    return hi + (spread > 0 ? 0.1 * spread : 1);
  });
}

/**
 * Picks `k` of `points` greedily, each time the one adding the most
 * hypervolume. Gains only shrink as the picked set grows (hypervolume is
 * submodular), so stale gains are upper bounds: only the leader is
 * re-evaluated ("lazy greedy"), which saves most hypervolume computations.
 */
function greedyByContribution(points: readonly (readonly number[])[], k: number): number[] {
  const ref = referencePoint(points);
  const picked: number[] = [];
  const pickedPoints: (readonly number[])[] = [];
  let pickedHv = 0;
  const gain = points.map((p) => hypervolume([p], ref));
  const fresh = new Array<number>(points.length).fill(0); // round in which gain[i] was computed
  const pool = new Set(points.map((_, i) => i));
  for (let round = 0; picked.length < k && pool.size > 0; round++) {
    for (;;) {
      let lead = -1;
      for (const i of pool) if (lead < 0 || gain[i]! > gain[lead]!) lead = i;
      if (fresh[lead] === round) {
        picked.push(lead);
        pickedPoints.push(points[lead]!);
        pickedHv += gain[lead]!;
        pool.delete(lead);
        break;
      }
      gain[lead] = hypervolume([...pickedPoints, points[lead]!], ref) - pickedHv;
      fresh[lead] = round;
    }
  }
  return picked;
}
