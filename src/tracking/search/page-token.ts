import { InvalidArgument } from '../../core/errors.js';

/** What a page token carries: where the next page starts, and which query it belongs to. */
export interface PageToken {
  readonly offset: number;
  /**
   * Any string that identifies the query (e.g. `searchFingerprint(...)`). The
   * token stores only a 64-bit hash of it, so it stays short.
   */
  readonly fingerprint: string;
}

/** The parts of a search request that decide its result list. */
export interface SearchIdentity {
  readonly experimentIds: readonly string[];
  readonly filter?: string | null;
  readonly orderBy?: readonly string[] | null;
  readonly lifecycle?: string;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** 64-bit FNV-1a over UTF-16 code units, as 16 hex digits. Not cryptographic. */
function fnv1a64(text: string): string {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * FNV_PRIME) & MASK_64;
  }
  return h.toString(16).padStart(16, '0');
}

/**
 * A short hash of a search request (experiment ids in any order, filter text,
 * order_by items, lifecycle view), so a page token is honoured only by the
 * query that issued it.
 */
export function searchFingerprint(q: SearchIdentity): string {
  const ids = [...q.experimentIds].sort();
  return fnv1a64(JSON.stringify([ids, (q.filter ?? '').trim(), q.orderBy ?? [], q.lifecycle ?? '']));
}

/** Encodes a token as base64url JSON. */
export function encodePageToken(token: PageToken): string {
  const json = JSON.stringify({ o: token.offset, f: fnv1a64(token.fingerprint) });
  return btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const MALFORMED = 'page_token is malformed; start again without page_token';

/**
 * Decodes a token made by `encodePageToken` and checks it belongs to the query
 * with `fingerprint` (the same string given to `encodePageToken`). Throws `InvalidArgument` for a malformed token or one
 * issued for another query.
 */
export function decodePageToken(token: string, fingerprint: string): { offset: number } {
  if (!/^[A-Za-z0-9_-]+$/.test(token) || token.length > 512) throw new InvalidArgument(MALFORMED);
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(token.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    throw new InvalidArgument(MALFORMED);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidArgument(MALFORMED);
  const { o, f } = parsed as Record<string, unknown>;
  if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0 || typeof f !== 'string') {
    throw new InvalidArgument(MALFORMED);
  }
  if (f !== fnv1a64(fingerprint)) {
    throw new InvalidArgument('page token does not belong to this query; start again without page_token');
  }
  return { offset: o };
}
