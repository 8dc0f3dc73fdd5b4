/** The data routes' edges, in process (Fastify inject): bad digests, bad bodies, verified blob uploads. */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../artifacts/local-blob-store.js';
import { NO_AUDIT } from '../audit/audit-log.js';
import { createApp } from '../server/app.js';
import { migrate } from '../storage/migration.js';
import { MIGRATIONS } from '../storage/migrations/index.js';
import { SqliteDb } from '../storage/sqlite-db.js';
import { tempDir } from '../testing/tracking-harness.js';
import { SqlTrackingStore } from '../tracking/sql-tracking-store.js';
import { TrackingService } from '../tracking/tracking-service.js';
import { DataService } from './data-service.js';
import { SqlDataStore } from './sql-data-store.js';

describe('data routes', () => {
  let dir: string;
  let db: SqliteDb;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = await tempDir();
    db = new SqliteDb(join(dir, 'cairn.db'));
    await migrate(db, MIGRATIONS);
    const blobs = new LocalBlobStore(join(dir, 'blobs'));
    app = createApp({
      tracking: new TrackingService({ store: new SqlTrackingStore(db), blobs }),
      data: new DataService({ store: new SqlDataStore(db), blobs, audit: NO_AUDIT }),
      version: 'test',
    });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies uploads against the digest in the URL and stores nothing on mismatch', async () => {
    const body = Buffer.from('hello');
    const digest = createHash('sha256').update(body).digest('hex');
    const wrong = await app.inject({ method: 'PUT', url: `/api/v1/blobs/${digest}`, payload: Buffer.from('other'), headers: { 'content-type': 'application/octet-stream' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error_code: 'INVALID_ARGUMENT' });
    const missing = await app.inject({ method: 'POST', url: '/api/v1/blobs/missing', payload: { digests: [digest] } });
    expect(missing.json()).toEqual({ missing: [digest] });
    const put = await app.inject({ method: 'PUT', url: `/api/v1/blobs/${digest}?size=5`, payload: body, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.statusCode).toBe(200);
    const got = await app.inject({ method: 'GET', url: `/api/v1/blobs/${digest}` });
    expect(got.rawPayload.equals(body)).toBe(true);
  });

  it('rejects malformed digests, bodies and names with 400 and a message', async () => {
    const bad = await app.inject({ method: 'PUT', url: '/api/v1/blobs/..%2F..%2Fetc', payload: 'x', headers: { 'content-type': 'application/octet-stream' } });
    expect(bad.statusCode).toBe(400);
    const notList = await app.inject({ method: 'POST', url: '/api/v1/blobs/missing', payload: { digests: 'abc' } });
    expect(notList.statusCode).toBe(400);
    expect(notList.json().message).toMatch(/invalid body.digests/);
    const badName = await app.inject({ method: 'POST', url: '/api/v1/datasets', payload: { name: 'no spaces please' } });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().message).toMatch(/dataset name 'no spaces please' is invalid/);
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/datasets/nope/versions/latest' });
    expect(unknown.statusCode).toBe(404);
  });
});
