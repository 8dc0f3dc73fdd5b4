/** Local file I/O for artifact commands: atomic downloads and streamed uploads. */
import { createReadStream, rmSync } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgument, NotFound } from '../core/errors.js';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Writes `body` to `target` (or into it, named `name`, when it is a folder)
 * through a hidden temporary file in the same folder, renamed into place
 * once complete and synced. A failed or interrupted download (Ctrl-C,
 * SIGTERM, a checksum mismatch) removes the temporary file and leaves any
 * existing `target` untouched.
 */
export async function downloadToFile(
  body: AsyncIterable<Uint8Array>, target: string, name: string,
): Promise<{ file: string; bytes: number }> {
  const file = (await stat(target).catch(() => null))?.isDirectory() ? join(target, name) : target;
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.part`);
  const removeTmp = () => rmSync(tmp, { force: true });
  const onSignal = () => {
    removeTmp();
    process.exit(130);
  };
  for (const s of STOP_SIGNALS) process.once(s, onSignal);
  let bytes = 0;
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile((async function* () {
        for await (const chunk of body) {
          bytes += chunk.byteLength;
          yield chunk;
        }
      })());
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    return { file, bytes };
  } catch (e) {
    removeTmp();
    throw e;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}

/** Streams `body` to an already open stream such as stdout, leaving it open. */
export async function streamTo(out: NodeJS.WritableStream, body: AsyncIterable<Uint8Array>): Promise<void> {
  await pipeline(Readable.from(body, { objectMode: false }), out, { end: false });
}

/** Opens a local file for a streamed upload; says clearly when it is missing or a folder. */
export async function openUpload(file: string): Promise<AsyncIterable<Uint8Array>> {
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new NotFound(`no local file '${file}'; check the path`);
    throw e;
  });
  if (!info.isFile()) throw new InvalidArgument(`'${file}' is not a regular file; upload files one at a time`);
  return createReadStream(file) as AsyncIterable<Uint8Array>;
}
