import { Readable } from 'node:stream';
import { InvalidArgument } from '../core/errors.js';
import { assertDigest, type BlobBody, type BlobInfo, type PutOptions } from './blob-store.js';

/** Wraps any accepted put body as a Node Readable without reading it. */
export function toReadable(body: BlobBody): Readable {
  if (body instanceof Readable) return body;
  if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body) {
    return Readable.from(body as AsyncIterable<Uint8Array>, { objectMode: false });
  }
  throw new InvalidArgument('blob body must be an async iterable of bytes or a Node readable stream');
}

/** Checks put options before any byte is read. */
export function checkPutOptions(opts: PutOptions): void {
  if (opts.expectedDigest !== undefined) assertDigest(opts.expectedDigest);
  if (opts.size !== undefined && !(Number.isSafeInteger(opts.size) && opts.size >= 0)) {
    throw new InvalidArgument(`expected blob size ${opts.size} is not a non-negative integer`);
  }
}

/** Checks what a put received against what the caller expected. */
export function checkReceived(got: BlobInfo, opts: PutOptions): void {
  if (opts.expectedDigest !== undefined && got.digest !== opts.expectedDigest) {
    throw new InvalidArgument(
      `blob content hashes to ${got.digest}, not the expected ${opts.expectedDigest}; ` +
        'nothing was stored — check that the right content was sent, or drop expectedDigest',
      { expected: opts.expectedDigest, actual: got.digest },
    );
  }
  if (opts.size !== undefined && got.size !== opts.size) {
    throw new InvalidArgument(
      `blob content is ${got.size} bytes, not the expected ${opts.size}; ` +
        'nothing was stored — the upload was probably cut short, send it again',
      { expected: opts.size, actual: got.size },
    );
  }
}
