/**
 * Cairn's TypeScript SDK.
 *
 * @example
 * const cairn = new Cairn({ url: 'http://127.0.0.1:5000' });
 * const run = await cairn.startRun({ experiment: 'churn', name: 'xgb-1', params: { lr: 0.1 } });
 * for (let step = 0; step < 100; step++) run.log({ loss: 1 / (step + 1) }, { step });
 * await run.end();
 */
import { loadConfig } from '../config/config.js';
import { HttpTrackingClient } from '../client/http-tracking-client.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { ActiveRun, type FlushPolicy } from './active-run.js';
import { ApiSink } from './run-sink.js';
import { OfflineSink } from './offline-sink.js';

export interface CairnOptions {
  /** Server URL; defaults to CAIRN_URL or http://127.0.0.1:5000. */
  readonly url?: string;
  /** Bearer token; defaults to CAIRN_TOKEN. */
  readonly token?: string | null;
  /** Write runs to local files for `cairn sync` instead of sending them. */
  readonly offline?: boolean;
  /** Folder for offline runs; defaults to $CAIRN_HOME/offline. */
  readonly offlineDir?: string;
  readonly flush?: Partial<FlushPolicy>;
  /** Use this API instead of HTTP (for in-process use). */
  readonly api?: TrackingApi;
}

export interface StartRunOptions {
  /** Experiment name (created when missing) or, with `experimentId`, an id. */
  readonly experiment?: string;
  readonly experimentId?: string;
  readonly name?: string;
  readonly params?: Record<string, string | number | boolean>;
  readonly tags?: Record<string, string>;
  readonly parentRunId?: string;
  readonly notes?: string;
}

export class Cairn {
  readonly api: TrackingApi;
  private readonly policy: FlushPolicy;
  private readonly offline: OfflineSink | null;

  constructor(opts: CairnOptions = {}) {
    const cfg = loadConfig({ url: opts.url });
    this.api = opts.api ?? new HttpTrackingClient({ url: cfg.url, token: opts.token ?? cfg.token });
    this.policy = { maxBatchPoints: 50_000, flushIntervalMs: 1_000, ...opts.flush };
    this.offline = opts.offline ? new OfflineSink(opts.offlineDir ?? cfg.offlineFile) : null;
  }

  /** Starts a run and returns a handle whose `log` buffers and flushes in the background. */
  async startRun(opts: StartRunOptions = {}): Promise<ActiveRun> {
    const input = {
      experimentId: opts.experimentId,
      experimentName: opts.experimentId === undefined ? opts.experiment : undefined,
      name: opts.name,
      params: opts.params && Object.fromEntries(Object.entries(opts.params).map(([k, v]) => [k, String(v)])),
      tags: opts.tags,
      parentRunId: opts.parentRunId,
      notes: opts.notes,
    };
    if (this.offline) return new ActiveRun(await this.offline.createRun(input, Date.now()), this.offline, this.policy);
    return new ActiveRun(await this.api.createRun(input), new ApiSink(this.api), this.policy);
  }

  /** Attaches to an existing run, e.g. the one `cairn run` created (CAIRN_RUN_ID). */
  async attachRun(runId: string): Promise<ActiveRun> {
    return new ActiveRun(await this.api.getRun(runId), new ApiSink(this.api), this.policy);
  }
}
