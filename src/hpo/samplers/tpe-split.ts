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
import { toMinimize, type FrozenTrial, type StudyView } from '../study-view.js';

/** Optuna's default: the best min(⌈0.1 n⌉, 25) trials are "good". */
export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/** With several objectives the good set is not capped: ⌈0.1 n⌉. */
export const defaultGammaMultiObjective = (n: number): number => Math.ceil(0.1 * n);

/** Older "bad" trials weigh less once there are more than 25: a ramp from 1/n up to 1, then 25 ones. */
export function defaultWeights(n: number): number[] {
  if (n <= 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(1 / n + ((1 - 1 / n) * i) / Math.max(1, ramp - 1));
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

/** Splits the finished (and, with `constantLiar`, running) trials other than `current`. */
export function splitTrials(study: StudyView, current: number, gamma: (n: number) => number, constantLiar: boolean): TpeSplit {
  const dirs = study.directions;
  const trials = study.trials();
  const complete: FrozenTrial[] = [];
  let pruned = 0;
  for (const t of trials) {
    if (t.number === current) continue;
    if (t.state === 'COMPLETE' && t.values) complete.push(t);
    else if (t.state === 'PRUNED') pruned++;
  }
  // Optuna's n: finished trials only (the liar's RUNNING trials join the bad set without moving the cut).
  const n = complete.length + pruned;
  const nBelow = Math.min(gamma(n), complete.length);
  // good[i]: complete[i] is a good trial, of weight[i].
  const good = new Uint8Array(complete.length);
  const weight = new Float64Array(complete.length);
  if (dirs.length === 1) {
    const losses = new Float64Array(complete.length);
    for (let i = 0; i < complete.length; i++) losses[i] = toMinimize(complete[i]!.values![0]!, dirs[0]!);
    for (const i of smallest(losses, nBelow)) {
      good[i] = 1;
      weight[i] = 1;
    }
  } else {
    const { chosen, weights } = splitMultiObjective(complete, dirs, nBelow);
    chosen.forEach((i, r) => {
      good[i] = 1;
      weight[i] = weights[r]!;
    });
  }
  // Both sets in trial order (the weights ramp up with recency). PRUNED and RUNNING trials are always bad.
  // study.trials() is in number order and `complete` is a subsequence of it, so one walk keeps the order.
  const below: FrozenTrial[] = [];
  const belowWeights: number[] = [];
  const above: FrozenTrial[] = [];
  let c = 0;
  for (const t of trials) {
    if (t.number === current) continue;
    if (c < complete.length && complete[c] === t) {
      if (good[c]) {
        below.push(t);
        belowWeights.push(weight[c]!);
      } else {
        above.push(t);
      }
      c++;
    } else if (t.state === 'PRUNED' || (t.state === 'RUNNING' && constantLiar)) {
      above.push(t);
    }
  }
  return { below, above, belowWeights, aboveWeights: defaultWeights(above.length) };
}

/** Indices of the k smallest values (ties: lower index first), in ascending order; O(n·k) for the small k of TPE. */
function smallest(values: ArrayLike<number>, k: number): number[] {
  const picked: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (picked.length === k && v >= values[picked[k - 1]!]!) continue;
    let at = picked.length;
    while (at > 0 && values[picked[at - 1]!]! > v) at--;
    picked.splice(at, 0, i);
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
