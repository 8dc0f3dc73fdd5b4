/**
 * Wire encoding for numbers JSON cannot carry: NaN and ±Infinity travel as
 * the strings 'NaN', 'Infinity' and '-Infinity' (as MLflow's JSON does).
 */
import { InvalidArgument } from '../core/errors.js';
import type { MetricSeries, Run } from '../tracking/domain.js';
import type { LoggedModel } from '../tracking/logged-models/logged-model.js';

export type WireNumber = number | string;

export const encodeNumber = (v: number): WireNumber => (Number.isFinite(v) ? v : String(v));

export function decodeNumber(v: unknown, what = 'value'): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity' || v === '+Infinity' || v === 'inf') return Infinity;
  if (v === '-Infinity' || v === '-inf') return -Infinity;
  throw new InvalidArgument(`${what} must be a number, 'NaN', 'Infinity' or '-Infinity'; got ${JSON.stringify(v)}`);
}

export interface WireSeries {
  key: string;
  steps: number[];
  timestamps: number[];
  values: WireNumber[];
}

export function encodeSeries(s: MetricSeries): WireSeries {
  const values = new Array<WireNumber>(s.values.length);
  for (let i = 0; i < values.length; i++) values[i] = encodeNumber(s.values[i] as number);
  return { key: s.key, steps: s.steps as number[], timestamps: s.timestamps as number[], values };
}

export function decodeSeries(s: WireSeries): MetricSeries {
  const values = new Array<number>(s.values.length);
  for (let i = 0; i < values.length; i++) {
    const v = s.values[i];
    values[i] = typeof v === 'number' ? v : decodeNumber(v, `metric '${s.key}' value #${i}`);
  }
  return { key: s.key, steps: s.steps, timestamps: s.timestamps, values };
}

export const encodeRun = (r: Run) => ({
  ...r,
  metrics: r.metrics.map((m) => ({ ...m, value: encodeNumber(m.value) })),
});

export type WireRun = ReturnType<typeof encodeRun>;

export const decodeRun = (r: WireRun): Run => ({
  ...r,
  metrics: r.metrics.map((m) => ({ ...m, value: decodeNumber(m.value) })),
});

/** A model with NaN and ±Infinity metric values as their wire strings. */
export const encodeLoggedModel = (m: LoggedModel) => ({ ...m, metrics: m.metrics.map((x) => ({ ...x, value: encodeNumber(x.value) })) });
export type WireLoggedModel = ReturnType<typeof encodeLoggedModel>;
export const decodeLoggedModel = (m: WireLoggedModel): LoggedModel =>
  ({ ...m, metrics: m.metrics.map((x) => ({ ...x, value: decodeNumber(x.value) })) });
