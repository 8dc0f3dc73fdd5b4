/**
 * The (μ/μ_w, λ) CMA-ES optimiser on the unit box [0, 1]^n (Hansen's
 * tutorial defaults: rank-one and rank-μ covariance updates, cumulative
 * step-size adaptation), with IPOP restarts (double λ) when the search
 * collapses. Ask/tell by generation; candidates outside the box are
 * resampled, then clipped. Pure over the RNG it is given.
 */
import { symmetricEigen } from '../linalg.js';
import type { SeededRandom } from '../seeded-random.js';

/** One CMA-ES run (with its restarts) on [0, 1]^dim. */
export class CmaEs {
  readonly dim: number;
  lambda: number;
  generation = 0;
  restarts = 0;
  private mu = 0;
  private weights: Float64Array = new Float64Array(0);
  private muEff = 0;
  private cc = 0;
  private cs = 0;
  private c1 = 0;
  private cmu = 0;
  private damps = 0;
  private readonly chiN: number;
  private mean: Float64Array;
  private sigma: number;
  private c: Float64Array;
  private pc: Float64Array;
  private ps: Float64Array;
  private b: Float64Array;
  private d: Float64Array;

  constructor(dim: number, private readonly sigma0 = 0.2, lambda?: number, mean?: readonly number[]) {
    this.dim = dim;
    this.lambda = lambda ?? 4 + Math.floor(3 * Math.log(dim));
    this.chiN = Math.sqrt(dim) * (1 - 1 / (4 * dim) + 1 / (21 * dim * dim));
    this.mean = Float64Array.from(mean ?? new Array<number>(dim).fill(0.5));
    this.sigma = sigma0;
    this.c = identity(dim);
    this.b = identity(dim);
    this.d = new Float64Array(dim).fill(1);
    this.pc = new Float64Array(dim);
    this.ps = new Float64Array(dim);
    this.setStrategy();
  }

  private setStrategy(): void {
    const n = this.dim;
    this.mu = Math.floor(this.lambda / 2);
    const raw = Array.from({ length: this.mu }, (_, i) => Math.log(this.mu + 0.5) - Math.log(i + 1));
    const sum = raw.reduce((s, v) => s + v, 0);
    this.weights = Float64Array.from(raw, (v) => v / sum);
    this.muEff = 1 / this.weights.reduce((s, w) => s + w * w, 0);
    const me = this.muEff;
    this.cc = (4 + me / n) / (n + 4 + (2 * me) / n);
    this.cs = (me + 2) / (n + me + 5);
    this.c1 = 2 / ((n + 1.3) ** 2 + me);
    this.cmu = Math.min(1 - this.c1, (2 * (me - 2 + 1 / me)) / ((n + 2) ** 2 + me));
    this.damps = 1 + 2 * Math.max(0, Math.sqrt((me - 1) / (n + 1)) - 1) + this.cs;
  }

  /** One candidate of the current generation, inside the unit box. */
  ask(rng: SeededRandom): number[] {
    const n = this.dim;
    let x: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const z = Array.from({ length: n }, () => rng.normal());
      x = Array.from({ length: n }, (_, i) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += this.b[i * n + j]! * this.d[j]! * z[j]!;
        return this.mean[i]! + this.sigma * s;
      });
      if (x.every((v) => v >= 0 && v <= 1)) return x;
    }
    return x.map((v) => Math.min(1, Math.max(0, v)));
  }

  /** Updates the distribution from one generation's (point, loss) pairs (at least λ of them; the first λ are used). */
  tell(solutions: readonly (readonly [x: readonly number[], loss: number])[]): void {
    const n = this.dim;
    const sorted = [...solutions].slice(0, this.lambda).sort((a, b) => a[1] - b[1]);
    const old = this.mean;
    const mean = new Float64Array(n);
    for (let k = 0; k < this.mu; k++) for (let i = 0; i < n; i++) mean[i] = mean[i]! + this.weights[k]! * sorted[k]![0][i]!;
    const yw = Float64Array.from(mean, (v, i) => (v - old[i]!) / this.sigma);
    // C^(−1/2) yw = B D⁻¹ Bᵀ yw
    const bt = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += this.b[i * n + j]! * yw[i]!;
      bt[j] = s / this.d[j]!;
    }
    const cInvHalf = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.b[i * n + j]! * bt[j]!;
      cInvHalf[i] = s;
    }
    const csn = Math.sqrt(this.cs * (2 - this.cs) * this.muEff);
    for (let i = 0; i < n; i++) this.ps[i] = (1 - this.cs) * this.ps[i]! + csn * cInvHalf[i]!;
    const psNorm = Math.sqrt(this.ps.reduce((s, v) => s + v * v, 0));
    const hsig = psNorm / Math.sqrt(1 - (1 - this.cs) ** (2 * (this.generation + 1))) / this.chiN < 1.4 + 2 / (n + 1) ? 1 : 0;
    const ccn = Math.sqrt(this.cc * (2 - this.cc) * this.muEff);
    for (let i = 0; i < n; i++) this.pc[i] = (1 - this.cc) * this.pc[i]! + hsig * ccn * yw[i]!;
    const ys = sorted.slice(0, this.mu).map(([x]) => x.map((v, i) => (v - old[i]!) / this.sigma));
    const decay = 1 - this.c1 - this.cmu + (1 - hsig) * this.c1 * this.cc * (2 - this.cc);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let rankMu = 0;
        for (let k = 0; k < this.mu; k++) rankMu += this.weights[k]! * ys[k]![i]! * ys[k]![j]!;
        const v = decay * this.c[i * n + j]! + this.c1 * this.pc[i]! * this.pc[j]! + this.cmu * rankMu;
        this.c[i * n + j] = v;
        this.c[j * n + i] = v;
      }
    }
    this.sigma *= Math.exp((this.cs / this.damps) * (psNorm / this.chiN - 1));
    this.sigma = Math.min(this.sigma, 1);
    this.mean = mean;
    const { values, vectors } = symmetricEigen(this.c, n);
    this.b = vectors;
    this.d = Float64Array.from(values, (v) => Math.sqrt(Math.max(v, 1e-20)));
    this.generation++;
    const losses = sorted.map(([, l]) => l);
    const flat = Math.max(...losses) - Math.min(...losses) < 1e-12 * Math.max(1, Math.abs(losses[0]!));
    const collapsed = this.sigma * Math.max(...this.d) < 1e-7;
    const illConditioned = Math.max(...this.d) / Math.max(Math.min(...this.d), 1e-300) > 1e7;
    if (flat || collapsed || illConditioned) this.restart();
  }

  /** IPOP: start again from a fresh distribution with twice the population. */
  private restart(): void {
    this.restarts++;
    this.lambda *= 2;
    this.setStrategy();
    const n = this.dim;
    this.sigma = this.sigma0;
    this.c = identity(n);
    this.b = identity(n);
    this.d = new Float64Array(n).fill(1);
    this.pc = new Float64Array(n);
    this.ps = new Float64Array(n);
    this.mean = new Float64Array(n).fill(0.5);
    this.generation = 0;
  }
}

function identity(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  return m;
}
