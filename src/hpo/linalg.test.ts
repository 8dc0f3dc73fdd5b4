import { describe, expect, it } from 'vitest';
import { cholesky, choleskyInverse, choleskySolve, logDetFromCholesky, minimizeLbfgs, symmetricEigen } from './linalg.js';

const spd = (): Float64Array => Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);
const matVec = (a: Float64Array, n: number, x: ArrayLike<number>): number[] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => a[i * n + j]! * x[j]!).reduce((s, v) => s + v, 0));

describe('linalg', () => {
  it('factors, solves and inverts a symmetric positive-definite matrix', () => {
    const a = spd();
    const l = cholesky(a, 3);
    const b = Float64Array.from([1, -2, 0.5]);
    const x = choleskySolve(l, 3, b);
    matVec(a, 3, x).forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
    const inv = choleskyInverse(l, 3);
    for (let i = 0; i < 3; i++) {
      const col = matVec(a, 3, [inv[i]!, inv[3 + i]!, inv[6 + i]!]);
      col.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 12));
    }
    // det = 4(15−1) − 2(6−0.6) + 0.6(2−3)
    expect(logDetFromCholesky(l, 3)).toBeCloseTo(Math.log(56 - 10.8 - 0.6), 12);
  });

  it('adds jitter to a singular matrix and refuses an indefinite one', () => {
    expect(() => cholesky(Float64Array.from([1, 1, 1, 1]), 2, 1e-10)).not.toThrow();
    expect(() => cholesky(Float64Array.from([1, 0, 0, -1]), 2)).toThrow(/not positive definite/);
  });

  it('finds eigenpairs by Jacobi rotations', () => {
    const a = spd();
    const { values, vectors } = symmetricEigen(a, 3);
    for (let k = 0; k < 3; k++) {
      const v = [vectors[k]!, vectors[3 + k]!, vectors[6 + k]!];
      matVec(a, 3, v).forEach((av, i) => expect(av).toBeCloseTo(values[k]! * v[i]!, 10));
    }
    expect([...values].reduce((s, v) => s + v, 0)).toBeCloseTo(12, 10);
  });

  it('minimises a bounded Rosenbrock function with L-BFGS', () => {
    const fg = (x: Float64Array): [number, Float64Array] => {
      const [a, b] = [x[0]!, x[1]!];
      return [(1 - a) ** 2 + 100 * (b - a * a) ** 2, Float64Array.from([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])];
    };
    const free = minimizeLbfgs(fg, [-1.2, 1], { maxIterations: 200 });
    expect(free.x[0]).toBeCloseTo(1, 3);
    const bounded = minimizeLbfgs(fg, [-1.2, 1], { maxIterations: 200, upper: [0.5, 10] });
    expect(bounded.x[0]).toBeLessThanOrEqual(0.5);
    expect(bounded.x[0]).toBeCloseTo(0.5, 2);
  });
});
