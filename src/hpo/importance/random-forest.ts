/**
 * A small regression random forest for parameter importances: bootstrap
 * samples, variance-reduction splits over a random subset of features,
 * numeric features split by threshold and categorical ones one-vs-rest.
 * Each tree remembers its out-of-bag rows. Pure over its seeded RNG.
 */
import { SeededRandom } from '../seeded-random.js';

export interface ForestOptions {
  readonly nTrees?: number;
  readonly maxDepth?: number;
  readonly minSamplesLeaf?: number;
  /** Share of features tried at each split. Default 0.7. */
  readonly featureFraction?: number;
  readonly seed?: number;
}

type Node =
  | { readonly leaf: true; readonly value: number }
  | { readonly leaf: false; readonly feature: number; readonly threshold: number; readonly categorical: boolean; readonly left: Node; readonly right: Node };

export interface Tree {
  readonly root: Node;
  /** Rows not drawn into this tree's bootstrap sample. */
  readonly outOfBag: readonly number[];
}

/** Goes left when x ≤ threshold (numeric) or x === threshold (categorical). */
export function predictTree(node: Node, x: readonly number[]): number {
  let n = node;
  while (!n.leaf) {
    const v = x[n.feature]!;
    n = (n.categorical ? v === n.threshold : v <= n.threshold) ? n.left : n.right;
  }
  return n.value;
}

/** Fits `nTrees` regression trees on bootstrap samples of (x, y). */
export function fitForest(x: readonly (readonly number[])[], y: readonly number[], isCategorical: readonly boolean[], options: ForestOptions = {}): Tree[] {
  const rng = new SeededRandom(options.seed ?? 0);
  const nTrees = options.nTrees ?? 32;
  const maxDepth = options.maxDepth ?? 10;
  const minLeaf = options.minSamplesLeaf ?? 2;
  const nFeatures = isCategorical.length;
  const tryFeatures = Math.max(1, Math.round((options.featureFraction ?? 0.7) * nFeatures));
  const n = x.length;
  const trees: Tree[] = [];
  for (let t = 0; t < nTrees; t++) {
    const rows = Array.from({ length: n }, () => rng.int(n));
    const drawn = new Set(rows);
    const outOfBag = Array.from({ length: n }, (_, i) => i).filter((i) => !drawn.has(i));
    trees.push({ root: grow(rows, 0), outOfBag });
  }
  return trees;

  function grow(rows: number[], depth: number): Node {
    const mean = rows.reduce((s, r) => s + y[r]!, 0) / rows.length;
    if (depth >= maxDepth || rows.length < 2 * minLeaf) return { leaf: true, value: mean };
    const features = Array.from({ length: nFeatures }, (_, i) => i);
    for (let i = features.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [features[i], features[j]] = [features[j]!, features[i]!];
    }
    let best: { gain: number; feature: number; threshold: number } | null = null;
    const total = rows.reduce((s, r) => s + y[r]!, 0);
    const totalSq = rows.reduce((s, r) => s + y[r]! ** 2, 0);
    const sse = (s: number, sq: number, k: number): number => sq - (s * s) / k;
    const parent = sse(total, totalSq, rows.length);
    for (const f of features.slice(0, tryFeatures)) {
      const candidates: number[] = [];
      if (isCategorical[f]) {
        candidates.push(...new Set(rows.map((r) => x[r]![f]!)));
        for (const c of candidates) {
          let s = 0, sq = 0, k = 0;
          for (const r of rows) if (x[r]![f] === c) { s += y[r]!; sq += y[r]! ** 2; k++; }
          if (k < minLeaf || rows.length - k < minLeaf) continue;
          const gain = parent - sse(s, sq, k) - sse(total - s, totalSq - sq, rows.length - k);
          if (!best || gain > best.gain) best = { gain, feature: f, threshold: c };
        }
      } else {
        const sorted = [...rows].sort((a, b) => x[a]![f]! - x[b]![f]!);
        let s = 0, sq = 0;
        for (let i = 0; i < sorted.length - 1; i++) {
          const r = sorted[i]!;
          s += y[r]!;
          sq += y[r]! ** 2;
          const k = i + 1;
          const v = x[r]![f]!;
          const next = x[sorted[i + 1]!]![f]!;
          if (v === next || k < minLeaf || sorted.length - k < minLeaf) continue;
          const gain = parent - sse(s, sq, k) - sse(total - s, totalSq - sq, sorted.length - k);
          if (!best || gain > best.gain) best = { gain, feature: f, threshold: (v + next) / 2 };
        }
      }
    }
    if (!best || best.gain <= 1e-12 * Math.max(1, parent)) return { leaf: true, value: mean };
    const cat = isCategorical[best.feature]!;
    const goesLeft = (r: number): boolean => (cat ? x[r]![best.feature] === best.threshold : x[r]![best.feature]! <= best.threshold);
    return {
      leaf: false, feature: best.feature, threshold: best.threshold, categorical: cat,
      left: grow(rows.filter(goesLeft), depth + 1), right: grow(rows.filter((r) => !goesLeft(r)), depth + 1),
    };
  }
}
