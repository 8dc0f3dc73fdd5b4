/** `cairn server` with PostgreSQL metadata and S3-compatible artifacts: the team set-up, end to end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { HttpTrackingClient } from '../../src/client/index.js';
import { startS3Server, type S3Server } from '../../src/testing/s3-server.js';
import { createTestPostgres } from '../../src/testing/postgres.js';
import { tempDir } from '../../src/testing/tracking-harness.js';
import { spawnServer, type ServerProcess } from '../support/server-process.js';

const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

describe('server on PostgreSQL + S3', () => {
  let s3: S3Server;
  let pg: Awaited<ReturnType<typeof createTestPostgres>>;
  let server: ServerProcess;
  let dir: string;
  let client: S3Client;

  beforeAll(async () => {
    s3 = await startS3Server();
    pg = await createTestPostgres();
    dir = await tempDir('cairn-s3-e2e-');
    client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await client.send(new CreateBucketCommand({ Bucket: 'team' }));
    server = await spawnServer({ db: pg.url, artifacts: 's3://team/cairn', home: dir, env: { ...creds, CAIRN_S3_ENDPOINT_URL: s3.endpoint } });
  });
  afterAll(async () => {
    await server?.kill();
    await pg?.drop();
    await s3?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores artifacts once in the bucket and streams them back', async () => {
    const api = new HttpTrackingClient({ url: server.url });
    const a = await api.createRun({ experimentName: 's3' });
    const b = await api.createRun({ experimentName: 's3' });
    const bytes = Buffer.alloc(6 * 1024 * 1024, 7);
    await api.logArtifact(a.id, 'model/weights.bin', bytes);
    await api.logArtifact(b.id, 'weights.bin', bytes);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'team', Prefix: 'cairn/blobs/' }));
    expect(listed.KeyCount).toBe(1);
    const parts: Buffer[] = [];
    for await (const c of await api.openArtifact(b.id, 'weights.bin')) parts.push(Buffer.from(c));
    const back = Buffer.concat(parts);
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
