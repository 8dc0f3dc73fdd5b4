/**
 * The audit trail's hash chain, as pure functions. Each entry's hash is
 * sha256 over a canonical JSON document of every stored field plus the
 * previous entry's hash, so editing, deleting or reordering a stored row
 * breaks the chain at that row. The hash function arrives as an argument,
 * which keeps this module free of I/O.
 */

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth and `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** An entry exactly as stored: before/after are canonical JSON text or null. */
export interface StoredAuditEntry {
  readonly seq: number;
  readonly time: number;
  readonly actor: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly beforeJson: string | null;
  readonly afterJson: string | null;
  readonly reason: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

export type HashFn = (text: string) => string;

/** The fields an entry's hash covers besides its place in the chain (`seq`, `prevHash`). */
export type ChainlessEntry = Omit<StoredAuditEntry, 'hash' | 'seq' | 'prevHash'>;

/**
 * The text an entry's hash covers, as the three pieces around its chain
 * position: the text is `before + prevHash + middle + seq + after`. It is
 * the canonical JSON of every stored field (keys sorted; every value is a
 * string, a number or null), split so that a store can fill in `seq` and
 * `prevHash` inside the statement that reads the head and appends, in one
 * round trip.
 */
export function hashTextParts(e: ChainlessEntry): { readonly before: string; readonly middle: string; readonly after: string } {
  const j = JSON.stringify;
  return {
    before: `{"action":${j(e.action)},"actor":${j(e.actor)},"after":${j(e.afterJson)},"before":${j(e.beforeJson)},"prevHash":"`,
    middle: `","reason":${j(e.reason)},"seq":`,
    after: `,"targetId":${j(e.targetId)},"targetType":${j(e.targetType)},"time":${j(e.time)}}`,
  };
}

/** The hash an entry must carry, given every other field. */
export function entryHash(e: Omit<StoredAuditEntry, 'hash'>, sha256: HashFn): string {
  const p = hashTextParts(e);
  return sha256(`${p.before}${e.prevHash}${p.middle}${e.seq}${p.after}`);
}

/** Stores a before/after value as canonical JSON text: what is hashed is what is read back. */
export function storedJson(v: unknown): string | null {
  if (v === undefined) return null;
  return canonicalJson(JSON.parse(JSON.stringify(v)) as unknown);
}

export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly headSeq: number; readonly headHash: string }
  | { readonly ok: false; readonly count: number; readonly badSeq: number; readonly problem: string };

/**
 * Checks entries fed in ascending `seq` order: sequence numbers run 1, 2, 3…
 * without gaps, each `prevHash` is the previous entry's hash, and each hash
 * matches the entry's content. Stops at the first bad entry.
 */
export class ChainVerifier {
  private count = 0;
  private prev: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  private failure: VerifyResult | null = null;

  /**
   * `head`: the chain's head as the store records it apart from the entries
   * (`audit_head`), read before the entries. The chain must reach it with the
   * same hash; entries appended after it was read may follow.
   */
  constructor(private readonly sha256: HashFn, private readonly head?: { readonly seq: number; readonly hash: string }) {}

  /** Feeds the next entry; returns false once the chain is broken. */
  push(e: StoredAuditEntry): boolean {
    if (this.failure) return false;
    const expectedSeq = this.prev.seq + 1;
    let problem: string | null = null;
    if (e.seq !== expectedSeq) {
      problem = e.seq > expectedSeq
        ? `entry ${expectedSeq} is missing (next stored entry is ${e.seq})`
        : `entry ${e.seq} is out of order after ${this.prev.seq}`;
    } else if (e.prevHash !== this.prev.hash) {
      problem = `entry ${e.seq} does not link to entry ${this.prev.seq} (prev_hash differs): an entry was deleted, reordered or edited`;
    } else if (entryHash(e, this.sha256) !== e.hash) {
      problem = `entry ${e.seq} was modified: its content does not match its hash`;
    } else if (this.head && e.seq === this.head.seq && e.hash !== this.head.hash) {
      problem = `entry ${e.seq} is not the one the head row (audit_head) names: its hash differs, so the entries were rewritten`;
    }
    if (problem !== null) {
      this.failure = { ok: false, count: this.count, badSeq: Math.min(e.seq, expectedSeq), problem };
      return false;
    }
    this.count++;
    this.prev = { seq: e.seq, hash: e.hash };
    return true;
  }

  result(): VerifyResult {
    if (this.failure) return this.failure;
    if (this.head && this.prev.seq < this.head.seq) {
      return {
        ok: false, count: this.count, badSeq: this.prev.seq + 1,
        problem: `entries ${this.prev.seq + 1} to ${this.head.seq} are missing: the head row (audit_head) names entry ${this.head.seq}, but the log ends at entry ${this.prev.seq}`,
      };
    }
    return { ok: true, count: this.count, headSeq: this.prev.seq, headHash: this.prev.hash };
  }
}
