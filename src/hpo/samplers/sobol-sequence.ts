/**
 * The Sobol low-discrepancy sequence in up to 21 dimensions, with optional
 * random digital-shift scrambling. Pure.
 *
 * Direction numbers: the first 20 rows after dimension 1 of Joe & Kuo's
 * `new-joe-kuo-6.21201` table (S. Joe and F. Y. Kuo, "Constructing Sobol
 * sequences with better two-dimensional projections", SIAM J. Sci. Comput.
 * 30, 2635–2654, 2008), which the authors publish for free use at
 * https://web.maths.unsw.edu.au/~fkuo/sobol/. Each row is [s, a, m1..ms].
 */
import { InvalidArgument } from '../../core/errors.js';
import { SeededRandom } from '../seeded-random.js';

const JOE_KUO: readonly (readonly number[])[] = [
  [1, 0, 1], [2, 1, 1, 3], [3, 1, 1, 3, 1], [3, 2, 1, 1, 1], [4, 1, 1, 1, 3, 3], [4, 4, 1, 3, 5, 13],
  [5, 2, 1, 1, 5, 5, 17], [5, 4, 1, 1, 5, 5, 5], [5, 7, 1, 1, 7, 11, 19], [5, 11, 1, 1, 5, 1, 1],
  [5, 13, 1, 1, 1, 3, 11], [5, 14, 1, 3, 5, 5, 31], [6, 1, 1, 3, 3, 9, 7, 49], [6, 13, 1, 1, 1, 15, 21, 21],
  [6, 16, 1, 3, 1, 13, 27, 49], [6, 19, 1, 1, 1, 15, 7, 5], [6, 22, 1, 3, 1, 15, 13, 25], [6, 25, 1, 1, 5, 5, 19, 61],
  [7, 1, 1, 3, 7, 11, 23, 15, 103], [7, 4, 1, 3, 7, 13, 13, 15, 69],
];
const BITS = 32;
export const SOBOL_MAX_DIMS = JOE_KUO.length + 1;

function directions(dim: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dim === 0) {
    for (let k = 0; k < BITS; k++) v[k] = (1 << (31 - k)) >>> 0;
    return v;
  }
  const row = JOE_KUO[dim - 1] as readonly number[];
  const s = row[0] as number;
  const a = row[1] as number;
  for (let k = 0; k < s; k++) v[k] = ((row[2 + k] as number) << (31 - k)) >>> 0;
  for (let k = s; k < BITS; k++) {
    let x = ((v[k - s] as number) ^ ((v[k - s] as number) >>> s)) >>> 0;
    for (let j = 1; j < s; j++) if ((a >>> (s - 1 - j)) & 1) x = (x ^ (v[k - j] as number)) >>> 0;
    v[k] = x;
  }
  return v;
}

export class SobolSequence {
  private readonly v: Uint32Array[];
  private readonly shift: Uint32Array;

  /** `seed` set: scrambled by a random digital shift drawn from it; otherwise the plain sequence. */
  constructor(readonly dims: number, seed?: number) {
    if (dims < 1 || dims > SOBOL_MAX_DIMS) {
      throw new InvalidArgument(`the Sobol sampler supports 1 to ${SOBOL_MAX_DIMS} params; got ${dims}, use the random or TPE sampler for larger spaces`);
    }
    this.v = Array.from({ length: dims }, (_, d) => directions(d));
    this.shift = new Uint32Array(dims);
    if (seed !== undefined) {
      const rng = new SeededRandom(seed);
      for (let d = 0; d < dims; d++) this.shift[d] = Math.floor(rng.next() * 4294967296) >>> 0;
    }
  }

  /** Point `i` (0-based) in [0, 1)^dims, computed directly from its Gray code. */
  point(i: number): number[] {
    const g = (i ^ (i >>> 1)) >>> 0;
    const out: number[] = [];
    for (let d = 0; d < this.dims; d++) {
      const v = this.v[d] as Uint32Array;
      let x = this.shift[d] as number;
      for (let k = 0; k < BITS; k++) if ((g >>> k) & 1) x = (x ^ (v[k] as number)) >>> 0;
      out.push(x / 4294967296);
    }
    return out;
  }
}
