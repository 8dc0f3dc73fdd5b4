/**
 * The benchmark problems, minimised. `bench/hpo/optuna_bench.py` defines the
 * same functions, bounds and the same mixed (define-by-run) problem, so both
 * sides optimise identical objectives.
 */
import type { Objective, TrialHandle } from '../../src/hpo/in-memory-study.js';

export interface Problem {
  readonly name: string;
  readonly optimum: number;
  readonly dims: number;
  readonly objective: Objective;
}

function box(name: string, optimum: number, bounds: readonly (readonly [number, number])[], f: (x: number[]) => number): Problem {
  return {
    name,
    optimum,
    dims: bounds.length,
    objective: (t: TrialHandle) => f(bounds.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi))),
  };
}

const repeat = (n: number, lo: number, hi: number): [number, number][] => Array.from({ length: n }, () => [lo, hi]);

const branin = (x: number[]): number => {
  const [x1, x2] = x as [number, number];
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
};

const H6_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381],
];
const H6_ALPHA = [1, 1.2, 3, 3.2];
const hartmann6 = (x: number[]): number => {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += H6_A[i]![j]! * (x[j]! - H6_P[i]![j]! * 1e-4) ** 2;
    s += H6_ALPHA[i]! * Math.exp(-inner);
  }
  return -s;
};

const styblinskiTang = (x: number[]): number => 0.5 * x.reduce((s, v) => s + v ** 4 - 16 * v * v + 5 * v, 0);

const rosenbrock = (x: number[]): number => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
  return s;
};

const ackley = (x: number[]): number => {
  const d = x.length;
  const sq = x.reduce((s, v) => s + v * v, 0) / d;
  const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / d;
  return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
};

const levy = (x: number[]): number => {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const d = w.length;
  let s = Math.sin(Math.PI * w[0]!) ** 2;
  for (let i = 0; i < d - 1; i++) s += (w[i]! - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i]! + 1) ** 2);
  s += (w[d - 1]! - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]!) ** 2);
  return s;
};

/**
 * A mixed, conditional space shaped like model selection: a categorical
 * model, a log-scale learning rate shared by all, and per-model params
 * (ints, a log int, a stepped float). Optimum 0: nn, lr = 1e-2, layers = 3,
 * units = 128, dropout = 0.2.
 */
const mixed: Objective = (t) => {
  const model = t.suggestCategorical('model', ['linear', 'tree', 'nn']);
  const lr = t.suggestFloat('lr', 1e-5, 1, { log: true });
  const lrTerm = (Math.log10(lr) + 2) ** 2;
  if (model === 'linear') {
    const l2 = t.suggestFloat('l2', 1e-6, 10, { log: true });
    return 1.0 + 0.5 * lrTerm + 0.1 * (Math.log10(l2) + 3) ** 2;
  }
  if (model === 'tree') {
    const depth = t.suggestInt('depth', 1, 20);
    const leaves = t.suggestInt('min_leaf', 1, 64, { log: true });
    return 0.5 + 0.3 * lrTerm + ((depth - 12) / 4) ** 2 + 0.2 * (Math.log2(leaves) - 3) ** 2;
  }
  const layers = t.suggestInt('layers', 1, 8);
  const units = t.suggestInt('units', 8, 1024, { log: true });
  const dropout = t.suggestFloat('dropout', 0, 0.6, { step: 0.05 });
  return lrTerm + 0.5 * (layers - 3) ** 2 + 0.3 * (Math.log2(units) - 7) ** 2 + 10 * (dropout - 0.2) ** 2;
};

export const PROBLEMS: readonly Problem[] = [
  box('branin', 0.397887, [[-5, 10], [0, 15]], branin),
  box('hartmann6', -3.32237, repeat(6, 0, 1), hartmann6),
  box('styblinski_tang5', -195.830828, repeat(5, -5, 5), styblinskiTang),
  box('rosenbrock4', 0, repeat(4, -5, 10), rosenbrock),
  box('ackley5', 0, repeat(5, -32.768, 32.768), ackley),
  box('levy6', 0, repeat(6, -10, 10), levy),
  { name: 'mixed', optimum: 0, dims: 8, objective: mixed },
];
