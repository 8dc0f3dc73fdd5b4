import { InvalidArgument } from '../../core/errors.js';
import { contains, type Distribution, type ParamValue } from '../distributions.js';
import type { Sampler } from '../sampler.js';
import type { FrozenTrial, StudyView } from '../study-view.js';

/**
 * Exhaustive search over a grid. Trial `n` takes grid point `n mod size` in
 * mixed-radix order over the params sorted by name, so parallel workers
 * (distinct trial numbers) visit distinct points; `isExhausted` says when
 * every point has been handed out.
 */
export class GridSampler implements Sampler {
  private readonly names: readonly string[];
  readonly size: number;

  constructor(private readonly grid: Readonly<Record<string, readonly ParamValue[]>>) {
    this.names = Object.keys(grid).sort();
    for (const n of this.names) {
      if ((grid[n] ?? []).length === 0) throw new InvalidArgument(`grid for param '${n}' is empty; give at least one value`);
    }
    this.size = this.names.reduce((a, n) => a * (grid[n]?.length ?? 1), 1);
  }

  /** The grid point with index `i`. */
  point(i: number): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    let rest = i % this.size;
    for (const n of this.names) {
      const vs = this.grid[n] ?? [];
      out[n] = vs[rest % vs.length] ?? null;
      rest = Math.floor(rest / vs.length);
    }
    return out;
  }

  isExhausted(study: StudyView): boolean {
    return study.trials().length >= this.size;
  }

  inferRelativeSpace(): Record<string, Distribution> { return {}; }
  sampleRelative(): Record<string, ParamValue> { return {}; }
  sampleIndependent(_s: StudyView, trial: FrozenTrial, name: string, d: Distribution): ParamValue {
    if (!(name in this.grid)) throw new InvalidArgument(`param '${name}' is not in the grid; add it to the grid sampler's search space`);
    const v = this.point(trial.number)[name] ?? null;
    if (!contains(d, v)) throw new InvalidArgument(`grid value ${JSON.stringify(v)} for '${name}' is outside its distribution`);
    return v;
  }
}
