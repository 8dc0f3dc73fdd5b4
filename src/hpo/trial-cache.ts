import type { Trial } from './domain.js';
import type { StudyStore } from './study-store.js';
import { isFinishedState, type StudyView, type TrialState } from './study-view.js';
import type { Study } from './domain.js';

/**
 * Incremental loading of a study's trials. Finished trials never change
 * (the store's promise), so everything below the lowest unfinished number
 * (the watermark) is kept and each refresh reads only the trials from the
 * watermark on: a handful of rows at trial 1,000 instead of 1,000.
 */
export class TrialCache {
  private settled: Trial[] = [];
  private tail: Trial[] = [];
  /** Every trial, as `view()` hands it out until the next refresh or update (never mutated). */
  private snapshot: readonly Trial[] | null = null;

  constructor(private readonly store: StudyStore, private readonly study: Study) {}

  async refresh(): Promise<void> {
    const from = this.settled.length;
    const rows = await this.store.loadTrials(this.study.id, from);
    // Another refresh may have advanced the watermark while this one awaited.
    if (from !== this.settled.length) return;
    let i = 0;
    while (i < rows.length && isFinishedState((rows[i] as Trial).state)) this.settled.push(rows[i++] as Trial);
    this.tail = rows.slice(i);
    this.snapshot = null;
  }

  /** Replaces one trial in the cached tail (after a write by this process). */
  update(t: Trial): void {
    const i = this.tail.findIndex((x) => x.id === t.id);
    if (i >= 0) this.tail[i] = t;
    this.snapshot = null;
  }

  all(states?: readonly TrialState[]): Trial[] {
    const both = this.tail.length === 0 ? this.settled : this.settled.concat(this.tail);
    return states ? both.filter((t) => states.includes(t.state)) : both.slice();
  }

  /** The study as samplers and pruners see it; `trials()` without states hands out one shared array per refresh. */
  view(): StudyView {
    // Frozen: every sampler and pruner of the study shares it until the next refresh.
    const trials = (): readonly Trial[] => (this.snapshot ??= Object.freeze(this.settled.concat(this.tail)));
    return {
      id: this.study.id, name: this.study.name, directions: this.study.directions,
      trials: (s) => (s ? trials().filter((t) => s.includes(t.state)) : trials()),
    };
  }
}
