/**
 * Uploads runs recorded in offline mode. Resumable: progress is kept in a
 * `<file>.state` next to each file, and every replayed line carries an
 * idempotency key derived from its position, so a sync interrupted at any
 * point can be run again without storing anything twice.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeSeries, type WireSeries } from '../api/wire.js';
import { InvalidArgument } from '../core/errors.js';
import type { RunStatus } from '../tracking/domain.js';
import type { CreateRunInput, LogBatchInput, TrackingApi } from '../tracking/tracking-api.js';

export interface SyncProgress { readonly file: string; readonly done: number; readonly total: number }
export interface SyncResult { readonly runs: number; readonly points: number; readonly files: number }

interface State { runId: string | null; line: number }

type Line =
  | { op: 'run'; localId: string; input: CreateRunInput }
  | { op: 'series'; series: WireSeries[] }
  | { op: 'batch'; batch: LogBatchInput }
  | { op: 'artifact'; path: string }
  | { op: 'end'; status: RunStatus; endTime: number };

async function readState(file: string): Promise<State> {
  try {
    return JSON.parse(await readFile(`${file}.state`, 'utf8')) as State;
  } catch {
    return { runId: null, line: 0 };
  }
}

async function saveState(file: string, s: State): Promise<void> {
  await writeFile(`${file}.state.tmp`, JSON.stringify(s));
  await rename(`${file}.state.tmp`, `${file}.state`);
}

export async function syncOfflineRuns(opts: {
  api: TrackingApi;
  dir: string;
  onProgress?: (e: SyncProgress) => void;
}): Promise<SyncResult> {
  let names: string[];
  try {
    names = (await readdir(opts.dir)).filter((f) => f.endsWith('.jsonl')).sort();
  } catch {
    return { runs: 0, points: 0, files: 0 };
  }
  let runs = 0;
  let points = 0;
  for (const [i, name] of names.entries()) {
    const file = join(opts.dir, name);
    const localId = name.slice(0, -'.jsonl'.length);
    const state = await readState(file);
    let lineNo = 0;
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const text of rl) {
      const at = lineNo++;
      if (at < state.line || text.trim() === '') continue;
      let rec: Line;
      try {
        rec = JSON.parse(text) as Line;
      } catch {
        // A torn last line from a crash while writing: everything before it is intact.
        break;
      }
      const key = `${localId}:${at}`;
      if (rec.op === 'run') {
        if (!state.runId) state.runId = (await opts.api.createRun({ ...rec.input, tags: { ...rec.input.tags, 'cairn.offline_id': localId } })).id;
        runs++;
      } else if (!state.runId) {
        throw new InvalidArgument(`offline file ${file} does not start with a run record; it cannot be synced`);
      } else if (rec.op === 'series') {
        const series = rec.series.map(decodeSeries);
        await opts.api.logMetricSeries(state.runId, series, { idempotencyKey: key });
        for (const s of series) points += s.values.length;
      } else if (rec.op === 'batch') {
        await opts.api.logBatch(state.runId, rec.batch, { idempotencyKey: key });
      } else if (rec.op === 'artifact') {
        await opts.api.logArtifact(state.runId, rec.path, createReadStream(join(opts.dir, `${localId}.artifacts`, rec.path)));
      } else if (rec.op === 'end') {
        await opts.api.updateRun(state.runId, { status: rec.status, endTime: rec.endTime });
      }
      state.line = at + 1;
      await saveState(file, state);
    }
    await rename(file, `${file}.synced`);
    opts.onProgress?.({ file, done: i + 1, total: names.length });
  }
  return { runs, points, files: names.length };
}
