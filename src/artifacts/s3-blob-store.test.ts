import { randomUUID } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgument, InvalidState } from '../core/errors.js';
import { describeBlobStoreConformance, digestOf, generatedBody } from '../testing/blob-store-conformance.js';
import { startS3Server, type S3Server } from '../testing/s3-server.js';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';

const BUCKET = 'cairn-test';
const MiB = 1024 * 1024;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let server: S3Server | undefined;
let admin: S3Client;
let started: Promise<void> | undefined;

/**
 * Starts moto and creates the bucket on first use. Every test awaits it, so a
 * machine without moto fails each test with the install hint, never skips.
 */
const ready = (): Promise<void> =>
  (started ??= (async () => {
    server = await startS3Server();
    admin = newClient();
    await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
  })());

afterAll(async () => {
  admin?.destroy();
  await server?.stop();
});

function newClient(): S3Client {
  if (server === undefined) throw new Error('S3 test server not started');
  return new S3Client({
    endpoint: server.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
    // As S3BlobStore does: moto's checksums for multipart objects fail the SDK's check.
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function newStore(prefix: string, extra: Partial<S3BlobStoreOptions> = {}): S3BlobStore {
  return new S3BlobStore({
    bucket: BUCKET,
    prefix,
    endpoint: server?.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
    ...extra,
  });
}

async function listKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const out = await admin.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken }));
    keys.push(...(out.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key])));
    ContinuationToken = out.NextContinuationToken;
  } while (ContinuationToken !== undefined);
  return keys.sort();
}

/** A client that counts the commands it sends, by name. */
function countingClient(): { client: S3Client; counts: Map<string, number> } {
  const client = newClient();
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = String(context.commandName);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return { client, counts };
}

describeBlobStoreConformance('S3BlobStore (moto)', async () => {
  await ready();
  const prefix = `conformance/${randomUUID()}`;
  return {
    store: newStore(prefix),
    async corrupt(digest) {
      const Key = `${prefix}/blobs/${digest}`;
      const out = await admin.send(new GetObjectCommand({ Bucket: BUCKET, Key }));
      const bytes = Buffer.from(await out.Body!.transformToByteArray());
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      await admin.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: bytes }));
    },
    listBlobs: () => listKeys(`${prefix}/blobs/`),
    listTemp: () => listKeys(`${prefix}/tmp/`),
    cleanup: async () => undefined, // each harness has its own prefix; the server is thrown away
  };
});

describe('S3BlobStore', () => {
  beforeEach(ready);

  it('uploads a large body in several multipart parts and keeps one object per content', async () => {
    const prefix = `multipart/${randomUUID()}`;
    const { client, counts } = countingClient();
    const store = newStore(prefix, { partSize: 5 * MiB, client });
    const total = 12 * MiB + 777;
    const expected = await digestOf(generatedBody(total, 9));

    expect(await store.put(generatedBody(total, 9))).toEqual(expected);
    expect(counts.get('CreateMultipartUploadCommand')).toBe(1);
    expect(counts.get('UploadPartCommand')).toBe(3);
    expect(counts.get('CompleteMultipartUploadCommand')).toBe(1);
    expect(counts.get('CopyObjectCommand')).toBe(1);

    expect(await store.put(generatedBody(total, 9))).toEqual(expected);
    // The second put copies again onto the same key, so one object remains and its LastModified is fresh.
    expect(counts.get('CopyObjectCommand')).toBe(2);
    expect(await listKeys(`${prefix}/blobs/`)).toEqual([`${prefix}/blobs/${expected.digest}`]);
    expect(await listKeys(`${prefix}/tmp/`)).toEqual([]);
    expect(await digestOf(await store.get(expected.digest))).toEqual(expected);
    client.destroy();
  });

  it('copies with UploadPartCopy above the multipart copy threshold', async () => {
    const prefix = `partcopy/${randomUUID()}`;
    const { client, counts } = countingClient();
    const store = newStore(prefix, { partSize: 5 * MiB, multipartCopyThreshold: 5 * MiB, client });
    const total = 11 * MiB;
    const expected = await digestOf(generatedBody(total, 11));

    expect(await store.put(generatedBody(total, 11))).toEqual(expected);
    expect(counts.get('UploadPartCopyCommand')).toBe(3);
    expect(counts.get('CopyObjectCommand')).toBeUndefined();
    expect(await store.size(expected.digest)).toBe(total);
    expect(await digestOf(await store.get(expected.digest))).toEqual(expected);
    expect(await listKeys(`${prefix}/tmp/`)).toEqual([]);
    client.destroy();
  });

  it('aborts the multipart upload when the body fails after some parts', async () => {
    const prefix = `aborted/${randomUUID()}`;
    const { client, counts } = countingClient();
    const store = newStore(prefix, { partSize: 5 * MiB, client });
    const boom = new Error('producer crashed');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* generatedBody(11 * MiB, 5);
      throw boom;
    }
    await expect(store.put(failing())).rejects.toBe(boom);
    expect(counts.get('AbortMultipartUploadCommand')).toBe(1);
    const uploads = await admin.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: `${prefix}/` }));
    expect(uploads.Uploads ?? []).toEqual([]);
    expect(await listKeys(`${prefix}/`)).toEqual([]);
    client.destroy();
  });

  it('keeps blobs under the prefix and names itself by URL', async () => {
    const store = newStore('/nested/prefix/');
    expect(store.url).toBe(`s3://${BUCKET}/nested/prefix`);
    const { digest } = await store.put(generatedBody(10, 1));
    expect(await listKeys('nested/')).toEqual([`nested/prefix/blobs/${digest}`]);
    expect(newStore('').url).toBe(`s3://${BUCKET}`);
  });

  it('rejects part sizes below S3 minimum', () => {
    expect(() => newStore('x', { partSize: MiB })).toThrow(InvalidArgument);
  });
});

describe('startS3Server', () => {
  it('throws, naming the pip command, when moto cannot be imported', async () => {
    const err = await startS3Server({ python: '/nonexistent/python3' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidState);
    expect(String(err)).toContain("pip install 'moto[server]'");
  });
});
