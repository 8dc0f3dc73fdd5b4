/**
 * Optimisation history: each COMPLETE trial's value beside the best value
 * so far, in trial order, for plots and reports. Pure.
 */
import { InvalidArgument } from '../core/errors.js';
import type { StudyView } from './study-view.js';

export interface HistoryPoint {
  readonly number: number;
  readonly value: number;
  /** Best value among this and every earlier COMPLETE trial (by the objective's direction). */
  readonly best: number;
}

/** The history of one objective (index `objective`, default 0). */
export function optimizationHistory(study: StudyView, objective = 0): HistoryPoint[] {
  const direction = study.directions[objective];
  if (!direction) throw new InvalidArgument(`objective ${objective} does not exist; the study has ${study.directions.length}`);
  const better = (a: number, b: number): boolean => (direction === 'minimize' ? a < b : a > b);
  const out: HistoryPoint[] = [];
  let best = NaN;
  for (const t of study.trials(['COMPLETE'])) {
    const value = t.values?.[objective];
    if (value === undefined) continue;
    if (Number.isNaN(best) || better(value, best)) best = value;
    out.push({ number: t.number, value, best });
  }
  return out;
}
