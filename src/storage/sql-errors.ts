/** Recognises a unique-constraint violation from either driver. */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { code?: unknown; message?: unknown; errstr?: unknown };
  if (err.code === '23505') return true; // PostgreSQL unique_violation
  const msg = String(err.message ?? '') + String(err.errstr ?? '');
  return /UNIQUE constraint failed|PRIMARY KEY constraint failed/i.test(msg);
}
