import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Cairn } from './cairn.js';
import { syncOfflineRuns } from './offline-sync.js';
import { httpHarness, tempDir } from '../testing/tracking-harness.js';
import { HttpTrackingClient } from '../client/index.js';

/**
 * A loopback proxy that forwards every request to the server but, for the
 * first `dropCount` requests whose path matches, destroys the connection
 * after the server has answered: the write happened, the client never hears.
 */
function droppingProxy(target: string, match: RegExp, dropCount: number) {
  let dropped = 0;
  const server = http.createServer((req, res) => {
    const up = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (upRes) => {
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('end', () => {
        if (match.test(req.url ?? '') && dropped < dropCount) {
          dropped++;
          req.socket.destroy();
          return;
        }
        res.writeHead(upRes.statusCode ?? 500, upRes.headers);
        res.end(Buffer.concat(chunks));
      });
    });
    req.pipe(up);
  });
  return {
    listen: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => {
      const a = server.address() as { port: number };
      r(`http://127.0.0.1:${a.port}`);
    })),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    get dropped() { return dropped; },
  };
}

describe('TypeScript SDK against a live server', () => {
  let h: Awaited<ReturnType<typeof httpHarness>>;
  beforeAll(async () => { h = await httpHarness(); });
  afterAll(async () => h.cleanup());

  it('startRun, buffered log, end: every point arrives in order and the run is FINISHED', async () => {
    const cairn = new Cairn({ url: h.url, flush: { maxBatchPoints: 1_000 } });
    const run = await cairn.startRun({ experiment: 'sdk-basic', name: 'r1', params: { lr: 0.01, layers: 3 } });
    for (let step = 0; step < 5_000; step++) run.log({ loss: 1 / (step + 1), acc: step / 5_000 }, { step });
    await run.end();
    const got = await h.api.getRun(run.id);
    expect(got.status).toBe('FINISHED');
    expect(got.params).toEqual({ lr: '0.01', layers: '3' });
    const hist = await h.api.getMetricHistory(run.id, 'loss');
    expect(hist.values.length).toBe(5_000);
    expect(hist.steps).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(got.metrics.find((m) => m.key === 'acc')?.step).toBe(4_999);
  });

  it('flushes by time in the background without end()', async () => {
    const cairn = new Cairn({ url: h.url, flush: { flushIntervalMs: 50 } });
    const run = await cairn.startRun({ experiment: 'sdk-timer' });
    run.log({ x: 1 }, { step: 0 });
    let seen = 0;
    for (let i = 0; i < 100 && seen === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      seen = (await h.api.getMetricHistory(run.id, 'x')).values.length;
    }
    expect(seen).toBe(1);
    await run.end('KILLED');
    expect((await h.api.getRun(run.id)).status).toBe('KILLED');
  });

  it('retries a batch whose response was lost, and the server stores it once', async () => {
    const proxy = droppingProxy(h.url, /\/series$/, 2);
    const url = await proxy.listen();
    try {
      const cairn = new Cairn({ api: new HttpTrackingClient({ url, retries: 5, backoffMs: 10 }) });
      const run = await cairn.startRun({ experiment: 'sdk-retry' });
      for (let step = 0; step < 100; step++) run.log({ m: step }, { step });
      await run.end();
      expect(proxy.dropped).toBe(2);
      const hist = await h.api.getMetricHistory(run.id, 'm');
      expect(hist.values).toEqual(Array.from({ length: 100 }, (_, i) => i));
    } finally {
      await proxy.close();
    }
  });

  it('offline mode writes a local file; sync uploads it once, and a resumed sync stores nothing twice', async () => {
    const dir = await tempDir('cairn-offline-');
    const cairn = new Cairn({ url: 'http://127.0.0.1:9', offline: true, offlineDir: dir, flush: { maxBatchPoints: 10 } });
    const run = await cairn.startRun({ experiment: 'sdk-offline', name: 'plane', params: { seed: 7 } });
    for (let step = 0; step < 95; step++) run.log({ loss: 100 - step }, { step });
    await run.setTags({ where: 'airplane' });
    await run.logArtifact('notes.txt', Buffer.from('written offline'));
    await run.end();

    const progress: number[] = [];
    const first = await syncOfflineRuns({ api: h.api, dir, onProgress: (e) => progress.push(e.done) });
    expect(first).toMatchObject({ runs: 1, points: 95, files: 1 });
    expect(progress).toEqual([1]);
    const exp = await h.api.getExperimentByName('sdk-offline');
    const found = await h.api.searchRuns({ experimentIds: [exp.id] });
    expect(found.items).toHaveLength(1);
    const synced = found.items[0]!;
    expect(synced.status).toBe('FINISHED');
    expect(synced.params).toEqual({ seed: '7' });
    expect(synced.tags.where).toBe('airplane');
    expect((await h.api.getMetricHistory(synced.id, 'loss')).values.length).toBe(95);
    const chunks: Buffer[] = [];
    for await (const c of await h.api.openArtifact(synced.id, 'notes.txt')) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).toString()).toBe('written offline');

    // Simulate a sync that died after line 3: put the file back and rewind its state.
    const name = (await readdir(dir)).find((f) => f.endsWith('.jsonl.synced'))!;
    const file = join(dir, name.replace(/\.synced$/, ''));
    await rename(join(dir, name), file);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${file}.state`, JSON.stringify({ runId: synced.id, line: 3 }));
    await syncOfflineRuns({ api: h.api, dir });
    expect((await h.api.getMetricHistory(synced.id, 'loss')).values.length).toBe(95);
    expect((await h.api.searchRuns({ experimentIds: [exp.id] })).items).toHaveLength(1);
  });
});
