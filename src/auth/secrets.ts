/**
 * Secrets at rest. API tokens are 32 random bytes, so a fast sha256 is the
 * right hash (nothing to brute-force); passwords are low-entropy and get
 * scrypt with a per-password salt.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { TOKEN_PREFIX } from './auth-domain.js';

export const newTokenSecret = (): string => TOKEN_PREFIX + randomBytes(32).toString('base64url');
export const newId = (): string => randomBytes(8).toString('hex');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const N = 16384;
const KEYLEN = 32;

function scryptAsync(pw: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((ok, fail) => scrypt(pw, salt, KEYLEN, { N: n, r: 8, p: 1 }, (e, key) => (e ? fail(e) : ok(key))));
}

/** `scrypt$N$salt$key`, all base64url. */
export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(pw, salt, N);
  return `scrypt$${N}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const [alg, n, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !n || !salt || !key) return false;
  const want = Buffer.from(key, 'base64url');
  const got = await scryptAsync(pw, Buffer.from(salt, 'base64url'), Number(n));
  return got.length === want.length && timingSafeEqual(got, want);
}
