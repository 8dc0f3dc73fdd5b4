import { expect } from 'vitest';
import { CairnError } from '../core/errors.js';

/** Awaits `p` and asserts it rejects with a CairnError of `code` (and a message matching `pattern`). */
export async function expectError(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<CairnError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CairnError);
    const err = e as CairnError;
    expect(err.code, err.message).toBe(code);
    if (pattern) expect(err.message).toMatch(pattern);
    return err;
  }
  throw new Error(`expected ${code} error, got success`);
}
