import { retentionEndpoints as E } from '../api/retention-endpoints.js';
import type { ApplyRetentionInput, CollectGarbageInput, GcReport, RetentionApi, RetentionReport } from '../retention/retention-api.js';
import { Transport, type TransportOptions } from './transport.js';

/** RetentionApi over HTTP: the same contract as the in-process service. */
export class HttpRetentionClient implements RetentionApi {
  private readonly t: Transport;
  constructor(opts: TransportOptions | Transport) {
    this.t = opts instanceof Transport ? opts : new Transport(opts);
  }
  applyRetention(input: ApplyRetentionInput): Promise<RetentionReport> {
    return this.t.json<RetentionReport>(E.applyRetention, { body: input });
  }
  collectGarbage(input: CollectGarbageInput = {}): Promise<GcReport> {
    return this.t.json<GcReport>(E.collectGarbage, { body: input });
  }
}
