import type { S3Client } from '@aws-sdk/client-s3';
import { Internal } from '../core/errors.js';

type ClientS3 = typeof import('@aws-sdk/client-s3');

/** CopyObject copies at most 5 GiB; larger objects need UploadPartCopy. */
export const MAX_SINGLE_COPY_BYTES = 5 * 1024 * 1024 * 1024;
const MAX_PARTS = 10_000;
const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;
const COPY_CONCURRENCY = 4;

/** The `CopySource` header value for `bucket/key`: URL-encoded, slashes kept. */
export const encodeCopySource = (bucket: string, key: string): string =>
  `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

export interface MultipartCopy {
  readonly bucket: string;
  readonly sourceKey: string;
  readonly targetKey: string;
  readonly size: number;
  /** Preferred part size; grown as needed to stay within 10,000 parts. */
  readonly partSize: number;
}

/**
 * Copies `sourceKey` to `targetKey` server-side with UploadPartCopy, in
 * parts of at least `partSize` bytes, a few at a time. The target appears
 * only when CompleteMultipartUpload succeeds; on failure the upload is
 * aborted so no parts linger.
 */
export async function copyObjectMultipart(s3: ClientS3, client: S3Client, c: MultipartCopy): Promise<void> {
  const partSize = Math.min(Math.max(c.partSize, Math.ceil(c.size / MAX_PARTS)), MAX_PART_BYTES);
  const ranges: Array<{ readonly partNumber: number; readonly range: string }> = [];
  for (let start = 0, n = 1; start < c.size; start += partSize, n++) {
    ranges.push({ partNumber: n, range: `bytes=${start}-${Math.min(start + partSize, c.size) - 1}` });
  }
  const created = await client.send(new s3.CreateMultipartUploadCommand({ Bucket: c.bucket, Key: c.targetKey }));
  const UploadId = created.UploadId;
  if (UploadId === undefined) throw new Internal(`S3 gave no upload id for a multipart copy to ${c.targetKey}`);
  try {
    const parts: Array<{ PartNumber: number; ETag: string | undefined }> = [];
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      for (let part = ranges[next++]; part !== undefined && !failed; part = ranges[next++]) {
        const out = await client.send(
          new s3.UploadPartCopyCommand({
            Bucket: c.bucket,
            Key: c.targetKey,
            UploadId,
            PartNumber: part.partNumber,
            CopySource: encodeCopySource(c.bucket, c.sourceKey),
            CopySourceRange: part.range,
          }),
        );
        parts.push({ PartNumber: part.partNumber, ETag: out.CopyPartResult?.ETag });
      }
    };
    const workers = Array.from({ length: Math.min(COPY_CONCURRENCY, ranges.length) }, () =>
      worker().catch((err: unknown) => {
        failed = true;
        throw err;
      }),
    );
    // Let every in-flight part settle before completing or aborting.
    const failure = (await Promise.allSettled(workers)).find((r) => r.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(
      new s3.CompleteMultipartUploadCommand({ Bucket: c.bucket, Key: c.targetKey, UploadId, MultipartUpload: { Parts: parts } }),
    );
  } catch (err) {
    await client.send(new s3.AbortMultipartUploadCommand({ Bucket: c.bucket, Key: c.targetKey, UploadId })).catch(() => undefined);
    throw err;
  }
}
