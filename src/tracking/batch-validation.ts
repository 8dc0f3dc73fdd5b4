/** Validation of incoming batches: limits, keys and values, checked before any write. */
import { InvalidArgument } from '../core/errors.js';
import { LIMITS, validateKey, validateValue, type MetricSeries } from './domain.js';
import type { MetricInput } from './tracking-api.js';

export function checkTagMap(kind: 'param' | 'tag', map: Record<string, string>, max?: number): Record<string, string> {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new InvalidArgument(`${kind}s must be an object of string keys to string values`);
  }
  const entries = Object.entries(map);
  if (max !== undefined && entries.length > max) {
    throw new InvalidArgument(`a batch holds at most ${max} ${kind}s; got ${entries.length}. Split it into several batches`);
  }
  for (const [k, v] of entries) {
    validateKey(kind, k);
    validateValue(kind, k, v);
  }
  return map;
}

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n);

/** Groups row-shaped metrics into per-key columns, in arrival order. */
export function toSeries(metrics: readonly MetricInput[], now: number): MetricSeries[] {
  const byKey = new Map<string, { steps: number[]; timestamps: number[]; values: number[] }>();
  for (const m of metrics) {
    validateKey('metric', m.key);
    if (typeof m.value !== 'number') throw new InvalidArgument(`metric '${m.key}' value must be a number; got ${typeof m.value}`);
    const step = m.step ?? 0;
    const ts = m.timestamp ?? now;
    if (!isInt(step)) throw new InvalidArgument(`metric '${m.key}' step must be an integer; got ${String(step)}`);
    if (!isInt(ts)) throw new InvalidArgument(`metric '${m.key}' timestamp must be integer milliseconds; got ${String(ts)}`);
    let s = byKey.get(m.key);
    if (!s) byKey.set(m.key, (s = { steps: [], timestamps: [], values: [] }));
    s.steps.push(step);
    s.timestamps.push(ts);
    s.values.push(m.value);
  }
  return [...byKey].map(([key, s]) => ({ key, ...s }));
}

/** Checks columnar series: equal lengths, integer steps and timestamps, numeric values, size limit. */
export function checkSeries(series: readonly MetricSeries[]): void {
  if (!Array.isArray(series)) throw new InvalidArgument('series must be an array');
  let points = 0;
  for (const s of series) {
    validateKey('metric', s.key);
    const n = s.values.length;
    if (s.steps.length !== n || s.timestamps.length !== n) {
      throw new InvalidArgument(`metric '${s.key}': steps, timestamps and values must have the same length (${s.steps.length}, ${s.timestamps.length}, ${n})`);
    }
    for (let i = 0; i < n; i++) {
      if (typeof s.values[i] !== 'number') throw new InvalidArgument(`metric '${s.key}' value #${i} must be a number`);
      if (!isInt(s.steps[i])) throw new InvalidArgument(`metric '${s.key}' step #${i} must be an integer`);
      if (!isInt(s.timestamps[i])) throw new InvalidArgument(`metric '${s.key}' timestamp #${i} must be integer milliseconds`);
    }
    points += n;
  }
  if (points > LIMITS.pointsPerSeriesRequest) {
    throw new InvalidArgument(`a series request holds at most ${LIMITS.pointsPerSeriesRequest} points; got ${points}. Send smaller batches`);
  }
}
