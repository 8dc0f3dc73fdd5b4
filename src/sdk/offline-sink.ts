/**
 * Offline mode: each run's writes are appended, in order, to one JSON-lines
 * file in the offline folder. Nothing is sent; `cairn sync` replays the file.
 *
 * File format, one JSON object per line:
 *   {"op":"run","localId":…,"input":CreateRunInput}   (always the first line)
 *   {"op":"series","series":[WireSeries…]}
 *   {"op":"batch","batch":{params?,tags?}}
 *   {"op":"artifact","path":…,"file":<copy inside <localId>.artifacts/>}
 *   {"op":"end","status":…,"endTime":…}
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { encodeSeries } from '../api/wire.js';
import { normalizeArtifactPath } from '../artifacts/artifact-path.js';
import { Mutex } from '../core/mutex.js';
import type { MetricSeries, Run, RunStatus } from '../tracking/domain.js';
import type { ByteSource, CreateRunInput, LogBatchInput } from '../tracking/tracking-api.js';
import type { RunSink } from './run-sink.js';

export const offlineFile = (dir: string, localId: string) => join(dir, `${localId}.jsonl`);

export class OfflineSink implements RunSink {
  private readonly mutex = new Mutex();
  constructor(private readonly dir: string) {}

  private append(runId: string, record: object): Promise<void> {
    return this.mutex.run(() => appendFile(offlineFile(this.dir, runId), `${JSON.stringify(record)}\n`));
  }

  /** Starts an offline run file and returns a local placeholder run. */
  async createRun(input: CreateRunInput, now: number): Promise<Run> {
    await mkdir(this.dir, { recursive: true });
    const localId = `offline-${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
    const startTime = input.startTime ?? now;
    await writeFile(offlineFile(this.dir, localId), `${JSON.stringify({ op: 'run', localId, input: { ...input, startTime } })}\n`, { flag: 'wx' });
    return {
      id: localId, experimentId: input.experimentId ?? '', name: input.name ?? localId, status: 'RUNNING',
      lifecycle: 'active', userId: input.userId ?? null, startTime, endTime: null, parentRunId: input.parentRunId ?? null,
      notes: input.notes ?? null, artifactUri: '', params: input.params ?? {}, tags: input.tags ?? {}, metrics: [], inputs: [],
    };
  }

  logSeries(runId: string, series: readonly MetricSeries[]): Promise<void> {
    return this.append(runId, { op: 'series', series: series.map(encodeSeries) });
  }

  logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    return this.append(runId, { op: 'batch', batch });
  }

  async logArtifact(runId: string, path: string, body: ByteSource): Promise<void> {
    const clean = normalizeArtifactPath(path);
    const file = join(this.dir, `${runId}.artifacts`, clean);
    await mkdir(dirname(file), { recursive: true });
    const src = body instanceof Uint8Array ? Readable.from([body]) : Readable.from(body);
    await pipeline(src, createWriteStream(file));
    await this.append(runId, { op: 'artifact', path: clean });
  }

  endRun(runId: string, status: RunStatus): Promise<void> {
    return this.append(runId, { op: 'end', status, endTime: Date.now() });
  }
}
