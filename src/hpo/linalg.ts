/**
 * The small dense linear algebra the HPO samplers need: Cholesky factors,
 * triangular solves and a bounded L-BFGS minimiser. Pure. Matrices are
 * row-major `Float64Array`s of n×n; vectors are `Float64Array`s of n.
 */

/**
 * Lower Cholesky factor L of a symmetric positive-definite matrix (A = L Lᵀ).
 * Adds `jitter`·mean(diag) to the diagonal, doubling it up to 8 times if the
 * matrix is not numerically positive definite; throws if that still fails.
 */
export function cholesky(a: Float64Array, n: number, jitter = 0): Float64Array {
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += a[i * n + i] as number;
  meanDiag = n > 0 ? meanDiag / n : 1;
  let eps = jitter > 0 ? jitter * meanDiag : 0;
  for (let attempt = 0; attempt < 9; attempt++) {
    const l = tryCholesky(a, n, eps);
    if (l) return l;
    eps = eps > 0 ? eps * 10 : 1e-10 * Math.max(meanDiag, 1e-300);
  }
  throw new Error('cholesky: matrix is not positive definite even with jitter');
}

function tryCholesky(a: Float64Array, n: number, eps: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = (a[rj + j] as number) + eps;
    for (let k = 0; k < j; k++) d -= (l[rj + k] as number) ** 2;
    if (!(d > 0) || !Number.isFinite(d)) return null;
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j] as number;
      for (let k = 0; k < j; k++) s -= (l[ri + k] as number) * (l[rj + k] as number);
      l[ri + j] = s / ljj;
    }
  }
  return l;
}

/** Solves L x = b for lower-triangular L (forward substitution). */
export function solveLower(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[ri + k] as number) * (x[k] as number);
    x[i] = s / (l[ri + i] as number);
  }
  return x;
}

/** Solves Lᵀ x = b for lower-triangular L (back substitution on the transpose). */
export function solveLowerTransposed(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}

/** Solves A x = b given A's Cholesky factor L. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  return solveLowerTransposed(l, n, solveLower(l, n, b));
}

/** A⁻¹ from A's Cholesky factor (O(n³)); needed for marginal-likelihood gradients. */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  // Invert L (lower), then A⁻¹ = L⁻ᵀ L⁻¹.
  const li = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    li[j * n + j] = 1 / (l[j * n + j] as number);
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (l[i * n + k] as number) * (li[k * n + j] as number);
      li[i * n + j] = s / (l[i * n + i] as number);
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += (li[k * n + i] as number) * (li[k * n + j] as number);
      inv[i * n + j] = s;
      inv[j * n + i] = s;
    }
  }
  return inv;
}

/** log det A from A's Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i] as number);
  return 2 * s;
}

/** Σ aᵢ bᵢ. */
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

export interface MinimizeOptions {
  /** Box bounds per coordinate; iterates are projected onto them. */
  readonly lower?: ArrayLike<number>;
  readonly upper?: ArrayLike<number>;
  readonly maxIterations?: number;
  /** History length of the L-BFGS memory. */
  readonly memory?: number;
  /** Stop when the projected gradient's max-norm falls below this. */
  readonly gradientTolerance?: number;
}

/**
 * Minimises f with L-BFGS and a projected backtracking (Armijo) line search.
 * `fg(x)` returns `[f(x), ∇f(x)]`. Returns the best point seen and its value.
 * Good enough for the smooth, low-dimensional problems of HPO (GP
 * hyperparameters, acquisition refinement); not a general-purpose solver.
 */
export function minimizeLbfgs(
  fg: (x: Float64Array) => [number, Float64Array],
  x0: ArrayLike<number>,
  options: MinimizeOptions = {},
): { x: Float64Array; f: number } {
  const dim = x0.length;
  const lo = options.lower;
  const hi = options.upper;
  const project = (x: Float64Array): Float64Array => {
    for (let i = 0; i < dim; i++) {
      if (lo && x[i]! < lo[i]!) x[i] = lo[i]!;
      if (hi && x[i]! > hi[i]!) x[i] = hi[i]!;
    }
    return x;
  };
  const m = options.memory ?? 8;
  const maxIter = options.maxIterations ?? 50;
  const gtol = options.gradientTolerance ?? 1e-6;
  let x = project(Float64Array.from(x0));
  let [f, g] = fg(x);
  if (!Number.isFinite(f)) return { x, f };
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  for (let it = 0; it < maxIter; it++) {
    // Two-loop recursion for the search direction d = −H g.
    const q = Float64Array.from(g);
    const alphas: number[] = [];
    for (let k = ss.length - 1; k >= 0; k--) {
      const rho = 1 / dot(ys[k]!, ss[k]!);
      const a = rho * dot(ss[k]!, q);
      alphas.push(a);
      for (let i = 0; i < dim; i++) q[i] = q[i]! - a * ys[k]![i]!;
    }
    if (ss.length > 0) {
      const last = ss.length - 1;
      const gamma = dot(ss[last]!, ys[last]!) / dot(ys[last]!, ys[last]!);
      for (let i = 0; i < dim; i++) q[i] = q[i]! * gamma;
    } else {
      const gn = Math.sqrt(dot(g, g)) || 1;
      for (let i = 0; i < dim; i++) q[i] = q[i]! / gn;
    }
    for (let k = 0; k < ss.length; k++) {
      const rho = 1 / dot(ys[k]!, ss[k]!);
      const b = rho * dot(ys[k]!, q);
      const a = alphas[ss.length - 1 - k]!;
      for (let i = 0; i < dim; i++) q[i] = q[i]! + (a - b) * ss[k]![i]!;
    }
    let d = q.map((v) => -v);
    if (dot(d, g) >= 0) {
      d = g.map((v) => -v);
      ss.length = 0;
      ys.length = 0;
    }
    let step = 1;
    let accepted = false;
    let xn = x;
    let fn = f;
    let gn = g;
    for (let ls = 0; ls < 30; ls++) {
      xn = project(x.map((v, i) => v + step * d[i]!));
      [fn, gn] = fg(xn);
      let decrease = 0;
      for (let i = 0; i < dim; i++) decrease += g[i]! * (xn[i]! - x[i]!);
      if (Number.isFinite(fn) && fn <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
    const s = xn.map((v, i) => v - x[i]!);
    const y = gn.map((v, i) => v - g[i]!);
    if (dot(s, y) > 1e-12) {
      ss.push(s);
      ys.push(y);
      if (ss.length > m) {
        ss.shift();
        ys.shift();
      }
    }
    const improvement = f - fn;
    x = xn;
    f = fn;
    g = gn;
    let pg = 0;
    for (let i = 0; i < dim; i++) {
      const atLo = lo && x[i]! <= lo[i]! && g[i]! > 0;
      const atHi = hi && x[i]! >= hi[i]! && g[i]! < 0;
      if (!atLo && !atHi) pg = Math.max(pg, Math.abs(g[i]!));
    }
    if (pg < gtol || improvement < 1e-10 * Math.max(1, Math.abs(f))) break;
  }
  return { x, f };
}

/**
 * Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations:
 * returns eigenvalues and the eigenvectors as the columns of a row-major
 * matrix. For the small matrices of CMA-ES (n ≲ 50).
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = m[i * n + i]!;
  return { values, vectors: v };
}
