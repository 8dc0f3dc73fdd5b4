/**
 * Staged multipart uploads: a client announces a file in N parts, uploads the
 * parts in any order (in parallel), then completes the upload, which streams
 * the parts in order as one body to wherever the file belongs, or aborts it.
 * Parts are content-addressed blobs, recorded in the database, so any server
 * process sharing the database and blob store can take any step.
 *
 * Staged part blobs stay in the blob store after completion or abort (another
 * artifact may hold the same bytes); reclaiming unreferenced blobs is a
 * blob-store-wide job, not this module's.
 */
import { randomUUID } from 'node:crypto';
import { InvalidArgument, NotFound } from '../core/errors.js';
import type { Db } from '../storage/db.js';
import type { BlobBody, BlobInfo, BlobStore } from './blob-store.js';

/** The most parts one upload may have (S3's limit). */
export const MAX_PARTS = 10_000;

export interface CompletedPart {
  readonly partNumber: number;
  /** The ETag `putPart` answered (the part's sha256); quotes are ignored. */
  readonly etag: string;
}

interface UploadRow { id: string; target: string; num_parts: number }
interface PartRow { part_number: number; digest: string; size: number }

export class MultipartUploads {
  constructor(private readonly db: Db, private readonly blobs: BlobStore, private readonly now: () => number = Date.now) {}

  /** Starts an upload of `numParts` parts to `target` (an opaque destination the caller resolves); returns its id. */
  async create(target: string, numParts: number): Promise<string> {
    if (!Number.isInteger(numParts) || numParts < 1 || numParts > MAX_PARTS) {
      throw new InvalidArgument(`num_parts must be an integer from 1 to ${MAX_PARTS}; got ${numParts}`);
    }
    const id = randomUUID().replaceAll('-', '');
    await this.db.run('INSERT INTO multipart_uploads (id, target, num_parts, created_at) VALUES (?, ?, ?, ?)', [id, target, numParts, this.now()]);
    return id;
  }

  private async upload(id: string): Promise<UploadRow> {
    const row = await this.db.get<UploadRow>('SELECT id, target, num_parts FROM multipart_uploads WHERE id = ?', [id]);
    if (!row) throw new NotFound(`multipart upload '${id}' does not exist (completed, aborted, or never created); start a new one`);
    return row;
  }

  /** Stores one part; uploading a part number again replaces it. Returns the part's digest (its ETag). */
  async putPart(id: string, partNumber: number, body: BlobBody): Promise<BlobInfo> {
    const u = await this.upload(id);
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > Number(u.num_parts)) {
      throw new InvalidArgument(`part number must be from 1 to ${u.num_parts} for upload '${id}'; got ${partNumber}`);
    }
    const blob = await this.blobs.put(body);
    await this.db.run(
      `INSERT INTO multipart_parts (upload_id, part_number, digest, size) VALUES (?, ?, ?, ?)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET digest = excluded.digest, size = excluded.size`,
      [id, partNumber, blob.digest, blob.size]);
    return blob;
  }

  /**
   * Checks that `parts` are every part of the upload to `target`, each with
   * the ETag its upload answered, and returns the whole file as one stream.
   * Call `finish` once the stream has been consumed and stored.
   */
  async assemble(id: string, target: string, parts: readonly CompletedPart[]): Promise<AsyncIterable<Uint8Array>> {
    const u = await this.upload(id);
    if (u.target !== target) throw new InvalidArgument(`multipart upload '${id}' was created for '${u.target}', not '${target}'`);
    const stored = new Map((await this.db.all<PartRow>('SELECT part_number, digest, size FROM multipart_parts WHERE upload_id = ?', [id]))
      .map((p) => [Number(p.part_number), p]));
    const order = [...parts].sort((a, b) => a.partNumber - b.partNumber);
    if (order.length !== Number(u.num_parts) || order.some((p, i) => p.partNumber !== i + 1)) {
      throw new InvalidArgument(`complete multipart upload '${id}' with parts 1 to ${u.num_parts}, each once`);
    }
    const digests = order.map((p) => {
      const s = stored.get(p.partNumber);
      if (!s) throw new InvalidArgument(`part ${p.partNumber} of multipart upload '${id}' was never uploaded`);
      const etag = p.etag.replaceAll('"', '');
      if (etag !== '' && etag !== s.digest) throw new InvalidArgument(`part ${p.partNumber} of multipart upload '${id}' has another ETag than the one given`);
      return s.digest;
    });
    const blobs = this.blobs;
    return (async function* () {
      for (const d of digests) yield* (await blobs.get(d)) as AsyncIterable<Uint8Array>;
    })();
  }

  /** Forgets a completed upload. */
  async finish(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM multipart_parts WHERE upload_id = ?', [id]);
      await tx.run('DELETE FROM multipart_uploads WHERE id = ?', [id]);
    });
  }

  /** Drops an upload and its staged parts; aborting twice is fine. */
  async abort(id: string, target: string): Promise<void> {
    const row = await this.db.get<UploadRow>('SELECT id, target, num_parts FROM multipart_uploads WHERE id = ?', [id]);
    if (row && row.target !== target) throw new InvalidArgument(`multipart upload '${id}' was created for '${row.target}', not '${target}'`);
    await this.finish(id);
  }
}
