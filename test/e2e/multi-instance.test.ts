/** Several Cairn server processes share one PostgreSQL database safely. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { HttpTrackingClient } from '../../src/client/index.js';
import { CairnError } from '../../src/core/errors.js';
import { tempDir } from '../../src/testing/tracking-harness.js';
import { createTestPostgres } from '../../src/testing/postgres.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';

describe('two servers over one PostgreSQL database', () => {
  let dir: string;
  let pg: Awaited<ReturnType<typeof createTestPostgres>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let ca: HttpTrackingClient;
  let cb: HttpTrackingClient;

  beforeAll(async () => {
    dir = await tempDir('cairn-multi-');
    pg = await createTestPostgres();
    const opts = { db: pg.url, artifacts: join(dir, 'artifacts'), home: dir };
    // Both start on an empty database at once: the migration lock lets one migrate.
    [a, b] = await Promise.all([spawnServer(opts), spawnServer(opts)]);
    ca = new HttpTrackingClient({ url: a.url, retries: 1 });
    cb = new HttpTrackingClient({ url: b.url, retries: 1 });
  });
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await pg?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates an experiment name once when both servers race', async () => {
    const results = await Promise.allSettled([ca.createExperiment({ name: 'race' }), cb.createExperiment({ name: 'race' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as CairnError).code).toBe('ALREADY_EXISTS');
  });

  it('keeps params immutable across servers and merges metric writes from both', async () => {
    const run = await ca.createRun({ experimentName: 'shared' });
    const results = await Promise.allSettled([
      ca.logBatch(run.id, { params: { lr: '0.1' } }),
      cb.logBatch(run.id, { params: { lr: '0.2' } }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      const client = i % 2 === 0 ? ca : cb;
      const steps = Array.from({ length: 100 }, (_, k) => i * 100 + k);
      writes.push(client.logMetricSeries(run.id, [{ key: 'm', steps, timestamps: steps, values: steps }]));
    }
    await Promise.all(writes);
    const seen = await cb.getRun(run.id);
    expect(['0.1', '0.2']).toContain(seen.params.lr);
    const hist = await ca.getMetricHistory(run.id, 'm');
    expect(new Set(hist.steps).size).toBe(2_000);
    expect(seen.metrics.find((m) => m.key === 'm')?.step).toBe(1_999);
  });
});
