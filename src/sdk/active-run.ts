/**
 * A run being logged to. `log` buffers points and a background flusher sends
 * them in batches, by size and by time, one request at a time per run so
 * points arrive in order. Each batch carries an idempotency key that its
 * retries reuse, so a retried batch is stored once.
 */
import { InvalidArgument } from '../core/errors.js';
import type { Run, RunStatus } from '../tracking/domain.js';
import type { ByteSource } from '../tracking/tracking-api.js';
import { MetricBuffer } from './metric-buffer.js';
import type { RunSink } from './run-sink.js';

export interface FlushPolicy {
  /** Flush when this many points are buffered (default 50,000). */
  readonly maxBatchPoints: number;
  /** Flush buffered points at least this often, in ms (default 1,000). */
  readonly flushIntervalMs: number;
}

export interface LogOptions {
  readonly step?: number;
  readonly timestamp?: number;
}

export class ActiveRun {
  readonly id: string;
  private readonly buffer = new MetricBuffer();
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private batchSeq = 0;
  private ended = false;
  private autoStep = 0;

  constructor(
    readonly info: Run,
    private readonly sink: RunSink,
    private readonly policy: FlushPolicy,
  ) {
    this.id = info.id;
  }

  /**
   * Buffers metric values at one step. Returns at once; sending happens in
   * the background. Without `step`, each call advances an internal counter.
   * @example run.log({ loss: 0.31, acc: 0.9 }, { step: 10 })
   */
  log(metrics: Record<string, number>, opts: LogOptions = {}): void {
    this.throwIfFailed();
    if (this.ended) throw new InvalidArgument(`run ${this.id} has ended; start a new run to log more`);
    const step = opts.step ?? this.autoStep++;
    const ts = opts.timestamp ?? Date.now();
    for (const key in metrics) {
      const v = metrics[key];
      if (typeof v !== 'number') throw new InvalidArgument(`metric '${key}' must be a number; got ${typeof v}`);
      this.buffer.push(key, v, step, ts);
    }
    if (this.buffer.size >= this.policy.maxBatchPoints) this.scheduleFlush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.scheduleFlush(), this.policy.flushIntervalMs);
      this.timer.unref();
    }
  }

  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    await this.flush();
    await this.sink.logBatch(this.id, { params: stringify(params) }, this.nextKey());
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    await this.flush();
    await this.sink.logBatch(this.id, { tags }, this.nextKey());
  }

  async logArtifact(path: string, body: ByteSource): Promise<void> {
    await this.sink.logArtifact(this.id, path, body);
  }

  /** Sends everything buffered so far and waits for it to be stored. */
  async flush(): Promise<void> {
    this.scheduleFlush();
    await this.inFlight;
    this.throwIfFailed();
  }

  /** Flushes, then marks the run FINISHED (or the given status). */
  async end(status: RunStatus = 'FINISHED'): Promise<void> {
    if (this.ended) return;
    await this.flush();
    this.ended = true;
    await this.sink.endRun(this.id, status);
  }

  private scheduleFlush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.buffer.size === 0) return;
    const series = this.buffer.drain();
    const key = this.nextKey();
    this.inFlight = this.inFlight.then(async () => {
      if (this.failure) return;
      try {
        await this.sink.logSeries(this.id, series, key);
      } catch (e) {
        this.failure = e;
      }
    });
  }

  private nextKey(): string {
    return `${this.id}:${++this.batchSeq}:${globalThis.crypto.randomUUID()}`;
  }

  private throwIfFailed(): void {
    if (this.failure) {
      const e = this.failure;
      this.failure = null;
      throw e;
    }
  }
}

const stringify = (p: Record<string, string | number | boolean>): Record<string, string> =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]));
