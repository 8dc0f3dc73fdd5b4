import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { Internal, InvalidArgument } from '../core/errors.js';
import { checkPutOptions, checkReceived, toReadable } from './blob-body.js';
import { assertDigest, blobNotFound, isDigest, type BlobBody, type BlobInfo, type BlobStore, type PutOptions, type StoredBlob } from './blob-store.js';
import { HashStream, VerifyingStream } from './hash-stream.js';
import { fromS3Error, isS3NotFound } from './s3-error.js';
import { copyObjectMultipart, encodeCopySource, MAX_SINGLE_COPY_BYTES } from './s3-multipart-copy.js';

type ClientS3 = typeof import('@aws-sdk/client-s3');
type LibStorage = typeof import('@aws-sdk/lib-storage');

export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** Key prefix under which `blobs/` and `tmp/` live; '' for the bucket root. */
  readonly prefix?: string;
  /** Custom endpoint (MinIO, moto, R2…); leave out for AWS. */
  readonly endpoint?: string;
  /** Defaults to the SDK's own resolution, or 'us-east-1' when `endpoint` is set. */
  readonly region?: string;
  readonly forcePathStyle?: boolean;
  /** Defaults to the SDK's credential chain. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Multipart upload part size in bytes; default 8 MiB, S3's minimum is 5 MiB. */
  readonly partSize?: number;
  /** Objects larger than this are copied with UploadPartCopy; default and maximum 5 GiB (CopyObject's limit). */
  readonly multipartCopyThreshold?: number;
  /**
   * A ready client to use instead of building one from the options above. Give
   * it `responseChecksumValidation: 'WHEN_REQUIRED'` for servers (moto, some
   * S3-compatible stores) whose checksums for multipart objects the SDK rejects.
   */
  readonly client?: S3Client;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const UPLOAD_QUEUE_SIZE = 4;

interface Loaded {
  readonly s3: ClientS3;
  readonly Upload: LibStorage['Upload'];
  readonly client: S3Client;
}

/**
 * A `BlobStore` in an S3-compatible bucket, at `<prefix>/blobs/<digest>`.
 *
 * A put streams the body to a temporary key `<prefix>/tmp/<uuid>` (multipart
 * once it exceeds one part, so memory stays at about 4 parts) while hashing
 * it, then copies it server-side to its digest key (also when the content
 * is already there: the copy refreshes its LastModified, which a collector's
 * grace period relies on), and deletes the temporary key. The blob key is
 * only ever written by a complete copy, so readers never see partial content.
 * A lifecycle rule expiring `<prefix>/tmp/` after a day cleans up after
 * crashed processes. The AWS SDK is loaded on first use.
 */
export class S3BlobStore implements BlobStore {
  readonly url: string;
  readonly #opts: S3BlobStoreOptions;
  readonly #prefix: string;
  readonly #partSize: number;
  readonly #copyThreshold: number;
  #loaded: Promise<Loaded> | undefined;

  constructor(opts: S3BlobStoreOptions) {
    if (!opts.bucket) throw new InvalidArgument('S3 blob store needs a bucket name, as in s3://bucket/prefix');
    this.#opts = opts;
    this.#prefix = (opts.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.#partSize = opts.partSize ?? 8 * 1024 * 1024;
    if (!Number.isSafeInteger(this.#partSize) || this.#partSize < MIN_PART_SIZE) {
      throw new InvalidArgument(`S3 part size ${this.#partSize} is below S3's minimum; use at least ${MIN_PART_SIZE} bytes (5 MiB)`);
    }
    this.#copyThreshold = Math.min(opts.multipartCopyThreshold ?? MAX_SINGLE_COPY_BYTES, MAX_SINGLE_COPY_BYTES);
    this.url = `s3://${opts.bucket}${this.#prefix ? `/${this.#prefix}` : ''}`;
  }

  async put(body: BlobBody, opts: PutOptions = {}): Promise<BlobInfo> {
    checkPutOptions(opts);
    const source = toReadable(body);
    const { s3, Upload, client } = await this.#load();
    const Bucket = this.#opts.bucket;
    const tmpKey = this.#key(`tmp/${randomUUID()}`);
    const hash = new HashStream();
    const piping = pipeline(source, hash);
    piping.catch(() => undefined); // the same error also reaches the upload through `hash`
    try {
      const upload = new Upload({
        client,
        params: { Bucket, Key: tmpKey, Body: hash },
        partSize: this.#partSize,
        queueSize: UPLOAD_QUEUE_SIZE,
        leavePartsOnError: false,
      });
      await upload.done();
      await piping;
      const info: BlobInfo = { digest: hash.digest(), size: hash.bytes };
      checkReceived(info, opts);
      const blobKey = this.#blobKey(info.digest);
      if (info.size > this.#copyThreshold) {
        await copyObjectMultipart(s3, client, { bucket: Bucket, sourceKey: tmpKey, targetKey: blobKey, size: info.size, partSize: this.#partSize });
      } else {
        await client.send(new s3.CopyObjectCommand({ Bucket, Key: blobKey, CopySource: encodeCopySource(Bucket, tmpKey) }));
      }
      return info;
    } catch (err) {
      source.destroy();
      hash.destroy();
      throw fromS3Error(err, `storing a blob in ${this.url}`);
    } finally {
      await client.send(new s3.DeleteObjectCommand({ Bucket, Key: tmpKey })).catch(() => undefined);
    }
  }

  async has(digest: string): Promise<boolean> {
    assertDigest(digest);
    return (await this.#sizeOrUndefined(this.#blobKey(digest))) !== undefined;
  }

  async get(digest: string): Promise<Readable> {
    assertDigest(digest);
    const { s3, client } = await this.#load();
    let body: unknown;
    try {
      const out = await client.send(new s3.GetObjectCommand({ Bucket: this.#opts.bucket, Key: this.#blobKey(digest) }));
      body = out.Body;
    } catch (err) {
      if (isS3NotFound(err)) throw blobNotFound(digest, this.url);
      throw fromS3Error(err, `reading blob ${digest} from ${this.url}`);
    }
    if (!(body instanceof Readable)) throw new Internal(`S3 returned no readable body for blob ${digest} in ${this.url}`);
    const verify = new VerifyingStream(digest);
    // Errors reach the consumer through `verify`; pipeline releases the connection either way.
    pipeline(body, verify).catch(() => undefined);
    return verify;
  }

  async size(digest: string): Promise<number> {
    assertDigest(digest);
    const size = await this.#sizeOrUndefined(this.#blobKey(digest));
    if (size === undefined) throw blobNotFound(digest, this.url);
    return size;
  }

  async *list(): AsyncIterable<StoredBlob> {
    const { s3, client } = await this.#load();
    const Prefix = this.#key('blobs/');
    let ContinuationToken: string | undefined;
    do {
      let page;
      try {
        page = await client.send(new s3.ListObjectsV2Command({ Bucket: this.#opts.bucket, Prefix, ContinuationToken }));
      } catch (err) {
        throw fromS3Error(err, `listing blobs in ${this.url}`);
      }
      for (const o of page.Contents ?? []) {
        const digest = (o.Key ?? '').slice(Prefix.length);
        if (isDigest(digest)) yield { digest, size: o.Size ?? 0, modifiedAt: o.LastModified?.getTime() ?? 0 };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async stat(digest: string): Promise<StoredBlob | undefined> {
    assertDigest(digest);
    const { s3, client } = await this.#load();
    try {
      const head = await client.send(new s3.HeadObjectCommand({ Bucket: this.#opts.bucket, Key: this.#blobKey(digest) }));
      return { digest, size: head.ContentLength ?? 0, modifiedAt: head.LastModified?.getTime() ?? 0 };
    } catch (err) {
      if (isS3NotFound(err)) return undefined;
      throw fromS3Error(err, `looking up blob ${digest} in ${this.url}`);
    }
  }

  async delete(digest: string): Promise<void> {
    assertDigest(digest);
    const { s3, client } = await this.#load();
    try {
      await client.send(new s3.DeleteObjectCommand({ Bucket: this.#opts.bucket, Key: this.#blobKey(digest) }));
    } catch (err) {
      if (isS3NotFound(err)) return;
      throw fromS3Error(err, `deleting blob ${digest} from ${this.url}`);
    }
  }

  #key(rest: string): string {
    return this.#prefix ? `${this.#prefix}/${rest}` : rest;
  }

  #blobKey(digest: string): string {
    return this.#key(`blobs/${digest}`);
  }

  async #sizeOrUndefined(key: string): Promise<number | undefined> {
    const { s3, client } = await this.#load();
    try {
      const head = await client.send(new s3.HeadObjectCommand({ Bucket: this.#opts.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isS3NotFound(err)) return undefined;
      throw fromS3Error(err, `looking up s3://${this.#opts.bucket}/${key}`);
    }
  }

  #load(): Promise<Loaded> {
    this.#loaded ??= (async () => {
      const [s3, { Upload }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]);
      const o = this.#opts;
      const client =
        o.client ??
        new s3.S3Client({
          endpoint: o.endpoint,
          // A custom endpoint rarely cares about the region, but the SDK insists on one.
          region: o.region ?? (o.endpoint !== undefined ? 'us-east-1' : undefined),
          forcePathStyle: o.forcePathStyle,
          credentials: o.credentials,
          // get() verifies the sha256 of every byte itself; the SDK's CRC check on top is
          // redundant, and S3-compatible servers disagree on multipart (composite) checksums.
          responseChecksumValidation: 'WHEN_REQUIRED',
        });
      return { s3, Upload, client };
    })();
    return this.#loaded;
  }
}
