/**
 * A server killed with SIGKILL in the middle of a heavy ingest loses no write
 * it acknowledged, and never keeps half of a batch.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { HttpTrackingClient } from '../../src/client/index.js';
import { tempDir } from '../../src/testing/tracking-harness.js';
import { createTestPostgres } from '../../src/testing/postgres.js';
import { spawnServer } from '../support/server-process.js';

const BATCH = 2_000;
const WRITERS = 4;

async function killDuringIngest(db: string, dir: string) {
  const opts = { db, artifacts: join(dir, 'artifacts'), home: dir };
  const server = await spawnServer(opts);
  const api = new HttpTrackingClient({ url: server.url, retries: 1 });
  const run = await api.createRun({ experimentName: 'durability' });

  const acked: number[] = []; // first step of each acknowledged batch
  const sent: number[] = [];
  let nextBatch = 0;
  let stop = false;
  const writer = async () => {
    while (!stop) {
      const b = nextBatch++;
      const first = b * BATCH;
      const steps = Array.from({ length: BATCH }, (_, i) => first + i);
      sent.push(first);
      try {
        await api.logMetricSeries(run.id, [{ key: 'loss', steps, timestamps: steps, values: steps.map((s) => s * 0.5) }], { idempotencyKey: `b${b}` });
        acked.push(first);
      } catch {
        return; // the server is gone
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, writer);
  // Let a heavy ingest build up, then kill the server mid-flight.
  while (acked.length < 40) await new Promise((r) => setTimeout(r, 5));
  await server.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  expect(sent.length).toBeGreaterThan(acked.length); // some requests were in flight at the kill

  const again = await spawnServer(opts);
  try {
    const api2 = new HttpTrackingClient({ url: again.url });
    const hist = await api2.getMetricHistory(run.id, 'loss');
    const stored = new Set(hist.steps);
    for (const first of acked) {
      for (let i = 0; i < BATCH; i++) expect(stored.has(first + i)).toBe(true);
    }
    // Every batch is all-or-nothing.
    for (const first of sent) {
      let n = 0;
      for (let i = 0; i < BATCH; i++) if (stored.has(first + i)) n++;
      expect([0, BATCH]).toContain(n);
    }
    for (let i = 0; i < hist.steps.length; i++) expect(hist.values[i]).toBe((hist.steps[i] as number) * 0.5);
    const latest = (await api2.getRun(run.id)).metrics.find((m) => m.key === 'loss');
    expect(latest?.step).toBe(Math.max(...hist.steps));
    return { acked: acked.length, stored: hist.steps.length };
  } finally {
    await again.kill('SIGKILL');
  }
}

describe('SIGKILL during heavy ingest', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('SQLite keeps every acknowledged point', async () => {
    const dir = await tempDir('cairn-kill-');
    dirs.push(dir);
    const r = await killDuringIngest(join(dir, 'cairn.db'), dir);
    expect(r.stored).toBeGreaterThanOrEqual(r.acked * BATCH);
  });

  it('PostgreSQL keeps every acknowledged point', async () => {
    const dir = await tempDir('cairn-kill-pg-');
    dirs.push(dir);
    const pg = await createTestPostgres();
    try {
      const r = await killDuringIngest(pg.url, dir);
      expect(r.stored).toBeGreaterThanOrEqual(r.acked * BATCH);
    } finally {
      await pg.drop();
    }
  });
});
