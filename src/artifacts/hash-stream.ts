import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { Internal } from '../core/errors.js';

/**
 * A pass-through stream that hashes (sha256) and counts every byte flowing
 * through it. Read `digest()` and `bytes` once the stream has ended.
 */
export class HashStream extends Transform {
  readonly #hash = createHash('sha256');
  #bytes = 0;
  #digest: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    callback(null, chunk);
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Lowercase hex sha256 of everything seen; call once the input has ended. */
  digest(): string {
    this.#digest ??= this.#hash.digest('hex');
    return this.#digest;
  }
}

/**
 * A pass-through stream that errors with `Internal` at its end when the bytes
 * that went through do not hash to `expected`.
 */
export class VerifyingStream extends HashStream {
  readonly #expected: string;

  constructor(expected: string) {
    super();
    this.#expected = expected;
  }

  override _flush(callback: TransformCallback): void {
    const actual = this.digest();
    if (actual === this.#expected) return callback();
    callback(
      new Internal(
        `checksum mismatch for blob ${this.#expected}: the stored bytes hash to ${actual}; ` +
          'the stored copy is corrupt — delete it and upload the content again',
        { digest: this.#expected, actual },
      ),
    );
  }
}
