import { InvalidArgument } from '../core/errors.js';

/** Longest logical artifact path accepted, in characters. */
export const MAX_ARTIFACT_PATH_LENGTH = 1024;

const show = (p: string): string => JSON.stringify(p.length > 80 ? `${p.slice(0, 80)}…` : p);

/**
 * Validates a logical artifact path (where a file sits inside a run's or a
 * model's artifacts) and returns its canonical form: '/'-separated, no '.'
 * segments, no repeated or trailing slashes.
 *
 * @example
 * normalizeArtifactPath('./model//weights.bin/') // 'model/weights.bin'
 * normalizeArtifactPath('../etc/passwd')         // throws InvalidArgument
 * @throws InvalidArgument for an empty, absolute, over-long path, or one with
 *   '..' segments, NUL bytes or backslashes.
 */
export function normalizeArtifactPath(p: string): string {
  if (typeof p !== 'string' || p.length === 0) {
    throw new InvalidArgument("artifact path is empty; give a relative path such as 'model/weights.bin'");
  }
  if (p.length > MAX_ARTIFACT_PATH_LENGTH) {
    throw new InvalidArgument(
      `artifact path is ${p.length} characters long; the limit is ${MAX_ARTIFACT_PATH_LENGTH} — use a shorter path`,
    );
  }
  if (p.includes('\0')) {
    throw new InvalidArgument(`artifact path ${show(p)} contains a NUL byte; remove it`);
  }
  if (/^([/\\]|[A-Za-z]:)/.test(p)) {
    throw new InvalidArgument(
      `artifact path ${show(p)} is absolute; give a path relative to the artifact root, such as 'model/weights.bin'`,
    );
  }
  if (p.includes('\\')) {
    throw new InvalidArgument(`artifact path ${show(p)} contains a backslash; separate folders with '/'`);
  }
  const segments = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) {
    throw new InvalidArgument(
      `artifact path ${show(p)} contains a '..' segment; artifact paths cannot leave the artifact root — remove it`,
    );
  }
  if (segments.length === 0) {
    throw new InvalidArgument(`artifact path ${show(p)} names no file; give a path such as 'model/weights.bin'`);
  }
  return segments.join('/');
}

/**
 * Joins a folder and a name into one normalized artifact path. `dir` may be
 * '' for the artifact root; both parts are validated on their own, so an
 * absolute or escaping `name` is rejected rather than absorbed.
 *
 * @example
 * joinArtifactPath('model', 'weights.bin') // 'model/weights.bin'
 * joinArtifactPath('', 'metrics.json')     // 'metrics.json'
 */
export function joinArtifactPath(dir: string, name: string): string {
  const tail = normalizeArtifactPath(name);
  return dir === '' ? tail : normalizeArtifactPath(`${normalizeArtifactPath(dir)}/${tail}`);
}
