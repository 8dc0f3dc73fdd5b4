/**
 * Multi-objective helpers: dominance, non-dominated sorting, hypervolume and
 * a study's Pareto front. Loss vectors are minimised (map values through
 * `toMinimize` first). Pure.
 */
import { toMinimize, type FrozenTrial, type StudyView } from './study-view.js';

/** a dominates b: no worse in every objective, better in one. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/** Rank of each point: 0 for the non-dominated front, 1 for the front after removing it, … */
export function nonDominatedRanks(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!)) {
        dominating[i]!.push(j);
        dominatedBy[j]!++;
      } else if (dominates(points[j]!, points[i]!)) {
        dominating[j]!.push(i);
        dominatedBy[i]!++;
      }
    }
  }
  const ranks = new Array<number>(n).fill(-1);
  let front = dominatedBy.flatMap((c, i) => (c === 0 ? [i] : []));
  for (let r = 0; front.length > 0; r++) {
    const next: number[] = [];
    for (const i of front) {
      ranks[i] = r;
      for (const j of dominating[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    front = next;
  }
  return ranks;
}

/**
 * Hypervolume dominated by `points` and bounded by `reference` (minimisation;
 * points not strictly better than the reference in every objective add
 * nothing). Exact, by slicing along the last objective: O(n log n) in 2-d,
 * O(n² log n) in 3-d.
 */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const dim = reference.length;
  const inside = points.filter((p) => p.every((v, i) => v < reference[i]!));
  if (inside.length === 0) return 0;
  if (dim === 1) return reference[0]! - Math.min(...inside.map((p) => p[0]!));
  if (dim === 2) {
    const sorted = [...inside].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    // Strips between consecutive x values, as high as the best y so far.
    let hv = 0;
    let bestY = reference[1]!;
    for (let i = 0; i < sorted.length; i++) {
      const p = sorted[i]!;
      bestY = Math.min(bestY, p[1]!);
      const nextX = i + 1 < sorted.length ? sorted[i + 1]![0]! : reference[0]!;
      hv += (nextX - p[0]!) * (reference[1]! - bestY);
    }
    return hv;
  }
  const last = dim - 1;
  const sorted = [...inside].sort((a, b) => a[last]! - b[last]!);
  const subRef = reference.slice(0, last);
  let hv = 0;
  for (let i = 0; i < sorted.length; i++) {
    const nextZ = i + 1 < sorted.length ? sorted[i + 1]![last]! : reference[last]!;
    const height = nextZ - sorted[i]![last]!;
    if (height > 0) hv += height * hypervolume(sorted.slice(0, i + 1).map((p) => p.slice(0, last)), subRef);
  }
  return hv;
}

/** Each point's exclusive hypervolume contribution (the volume lost without it). */
export function hypervolumeContributions(points: readonly (readonly number[])[], reference: readonly number[]): number[] {
  const total = hypervolume(points, reference);
  return points.map((_, i) => total - hypervolume(points.filter((__, j) => j !== i), reference));
}

/** The COMPLETE trials no other COMPLETE trial dominates, in trial order. */
export function paretoFront(study: StudyView): FrozenTrial[] {
  const trials = study.trials(['COMPLETE']).filter((t) => t.values !== null);
  const losses = trials.map((t) => t.values!.map((v, i) => toMinimize(v, study.directions[i]!)));
  const ranks = nonDominatedRanks(losses);
  return trials.filter((_, i) => ranks[i] === 0);
}
