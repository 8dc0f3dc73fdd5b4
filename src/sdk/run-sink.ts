/**
 * Where an ActiveRun's writes go: the server (through TrackingApi) or, in
 * offline mode, an append-only local file that `cairn sync` uploads later.
 */
import type { MetricSeries, RunStatus } from '../tracking/domain.js';
import type { ByteSource, LogBatchInput, TrackingApi } from '../tracking/tracking-api.js';

export interface RunSink {
  logSeries(runId: string, series: readonly MetricSeries[], idempotencyKey: string): Promise<void>;
  logBatch(runId: string, batch: LogBatchInput, idempotencyKey: string): Promise<void>;
  logArtifact(runId: string, path: string, body: ByteSource): Promise<void>;
  endRun(runId: string, status: RunStatus): Promise<void>;
}

export class ApiSink implements RunSink {
  constructor(private readonly api: TrackingApi) {}
  async logSeries(runId: string, series: readonly MetricSeries[], idempotencyKey: string) {
    await this.api.logMetricSeries(runId, series, { idempotencyKey });
  }
  async logBatch(runId: string, batch: LogBatchInput, idempotencyKey: string) {
    await this.api.logBatch(runId, batch, { idempotencyKey });
  }
  async logArtifact(runId: string, path: string, body: ByteSource) {
    await this.api.logArtifact(runId, path, body);
  }
  async endRun(runId: string, status: RunStatus) {
    await this.api.updateRun(runId, { status });
  }
}
