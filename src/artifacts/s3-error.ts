import { Internal, NotFound, PermissionDenied, type CairnError } from '../core/errors.js';

/** The fields of an AWS SDK service exception that the mapping reads. */
interface ServiceErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const isServiceError = (err: unknown): err is ServiceErrorShape =>
  err instanceof Error && '$metadata' in err;

/** True when S3 answered that the key (or, for HEAD, anything) does not exist. */
export function isS3NotFound(err: unknown): boolean {
  if (!isServiceError(err)) return false;
  return err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404;
}

/**
 * Turns an S3 service error into Cairn's hierarchy; other errors (a failing
 * body, a Cairn error) come back unchanged. `what` names the operation, e.g.
 * "reading s3://bucket/prefix/blobs/<digest>".
 */
export function fromS3Error(err: unknown, what: string): unknown {
  if (!isServiceError(err)) return err;
  const status = err.$metadata?.httpStatusCode;
  const detail = `${err.name ?? 'S3 error'}${status === undefined ? '' : ` (HTTP ${status})`}: ${err.message ?? ''}`;
  let mapped: CairnError;
  if (err.name === 'NoSuchBucket') {
    mapped = new NotFound(`${what} failed, the bucket does not exist — create it or fix the artifact store URL; ${detail}`);
  } else if (isS3NotFound(err)) {
    mapped = new NotFound(`${what} failed, no such object; ${detail}`);
  } else if (err.name === 'AccessDenied' || status === 403) {
    mapped = new PermissionDenied(`${what} was refused — check the S3 credentials and the bucket policy; ${detail}`);
  } else {
    mapped = new Internal(`${what} failed; ${detail}`);
  }
  return Object.assign(mapped, { cause: err });
}
