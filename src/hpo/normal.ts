/**
 * Normal-distribution functions for the samplers: log CDF that stays finite
 * in the tails, inverse CDF, truncated-normal sampling and log expected
 * improvement. Pure.
 */
import type { SeededRandom } from './seeded-random.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log erfc(x) for x ≥ 0 from the Chebyshev fit of Numerical Recipes
 * (relative error < 1.2e-7 everywhere), written in log form so that it never
 * underflows.
 */
function logErfcPositive(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + poly;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  const z = x / Math.SQRT2;
  return z >= 0 ? 1 - 0.5 * Math.exp(logErfcPositive(z)) : 0.5 * Math.exp(logErfcPositive(-z));
}

/** log Φ(x), finite for very negative x. */
export function logNormalCdf(x: number): number {
  const z = x / Math.SQRT2;
  if (z < 0) return Math.log(0.5) + logErfcPositive(-z);
  return Math.log1p(-0.5 * Math.exp(logErfcPositive(z)));
}

/** log of the standard normal density. */
export const logNormalPdf = (x: number): number => -0.5 * x * x - LOG_SQRT_2PI;

/** Φ⁻¹(p) for p in (0, 1) (Acklam's rational approximation, one Halley step). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + (x * u) / 2);
}

/** log(Φ(b) − Φ(a)) for a < b, accurate in both tails. */
export function logNormalMass(a: number, b: number): number {
  // One bound far away: a single tail.
  if (b > 9) return logNormalCdf(-a);
  if (a < -9) return logNormalCdf(b);
  if (a >= 0) {
    // Upper tail: Φ(b) − Φ(a) = Φ(−a) − Φ(−b).
    const la = logNormalCdf(-a);
    const lb = logNormalCdf(-b);
    return la + Math.log1p(-Math.exp(lb - la));
  }
  const lb = logNormalCdf(b);
  const la = logNormalCdf(a);
  return lb + Math.log1p(-Math.exp(la - lb));
}

/** A draw from N(mu, sigma²) truncated to [low, high]. */
export function sampleTruncatedNormal(rng: SeededRandom, mu: number, sigma: number, low: number, high: number): number {
  const a = (low - mu) / sigma;
  const b = (high - mu) / sigma;
  // Rejection is exact and fast while the interval holds a good share of the mass.
  if (a < 1.5 && b > -1.5) {
    for (let i = 0; i < 16; i++) {
      const z = rng.normal();
      if (z >= a && z <= b) return mu + sigma * z;
    }
  }
  // Inverse CDF on the side away from the far tail.
  const u = rng.next();
  let z: number;
  if (a >= 0) {
    const pa = normalCdf(-a);
    const pb = normalCdf(-b);
    z = -normalQuantile(pa - u * (pa - pb));
  } else {
    const pa = normalCdf(a);
    const pb = normalCdf(b);
    z = normalQuantile(pa + u * (pb - pa));
  }
  if (!Number.isFinite(z)) z = a > 0 ? a : b;
  return Math.min(high, Math.max(low, mu + sigma * z));
}

/**
 * log EI for minimisation at a point with predictive mean `mu` and standard
 * deviation `sigma`, against the incumbent `best`: log(σ·h(z)) with
 * z = (best − μ)/σ and h(z) = zΦ(z) + φ(z), computed without underflow.
 */
export function logExpectedImprovement(mu: number, sigma: number, best: number): number {
  const z = (best - mu) / sigma;
  let logH: number;
  if (z > -6) {
    const h = z * normalCdf(z) + Math.exp(logNormalPdf(z));
    logH = Math.log(Math.max(h, 1e-300));
  } else {
    // h(z) = φ(z)(1 + z·Φ(z)/φ(z)); the bracket's asymptotic series in 1/z².
    const w = 1 / (z * z);
    logH = logNormalPdf(z) + Math.log(w * (1 - 3 * w + 15 * w * w - 105 * w * w * w));
  }
  return Math.log(sigma) + logH;
}
