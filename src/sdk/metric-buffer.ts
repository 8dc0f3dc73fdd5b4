/**
 * Columnar in-memory buffer of metric points, per key. `log` is the SDK's hot
 * path: appends to plain arrays, no allocation per point beyond array growth.
 */
import type { MetricSeries } from '../tracking/domain.js';

interface Columns { steps: number[]; timestamps: number[]; values: number[] }

export class MetricBuffer {
  private cols = new Map<string, Columns>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(key: string, value: number, step: number, timestamp: number): void {
    let c = this.cols.get(key);
    if (!c) this.cols.set(key, (c = { steps: [], timestamps: [], values: [] }));
    c.steps.push(step);
    c.timestamps.push(timestamp);
    c.values.push(value);
    this.count++;
  }

  /** Takes everything buffered so far, leaving the buffer empty. */
  drain(): MetricSeries[] {
    const out = [...this.cols].map(([key, c]) => ({ key, ...c }));
    this.cols = new Map();
    this.count = 0;
    return out;
  }
}
