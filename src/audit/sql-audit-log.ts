import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../storage/db.js';
import { isUniqueViolation } from '../storage/sql-errors.js';
import { Internal } from '../core/errors.js';
import type { AuditEntry, AuditEvent, AuditLog } from './audit-log.js';
import {
  ChainVerifier, GENESIS_HASH, entryHash, storedJson, type StoredAuditEntry, type VerifyResult,
} from './audit-chain.js';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Row {
  seq: number; time: number; actor: string; action: string; target_type: string; target_id: string;
  before_json: string | null; after_json: string | null; reason: string | null; prev_hash: string; hash: string;
}

const COLUMNS = 'seq, time, actor, action, target_type, target_id, before_json, after_json, reason, prev_hash, hash';

const toStored = (r: Row): StoredAuditEntry => ({
  seq: Number(r.seq), time: Number(r.time), actor: r.actor, action: r.action, targetType: r.target_type,
  targetId: r.target_id, beforeJson: r.before_json, afterJson: r.after_json, reason: r.reason,
  prevHash: r.prev_hash, hash: r.hash,
});

/** The public form of a stored entry: before/after parsed back into values. */
export function toAuditEntry(s: StoredAuditEntry): AuditEntry {
  return {
    seq: s.seq, time: s.time, actor: s.actor, action: s.action, targetType: s.targetType, targetId: s.targetId,
    ...(s.beforeJson === null ? {} : { before: JSON.parse(s.beforeJson) as unknown }),
    ...(s.afterJson === null ? {} : { after: JSON.parse(s.afterJson) as unknown }),
    ...(s.reason === null ? {} : { reason: s.reason }),
    prevHash: s.prevHash, hash: s.hash,
  };
}

const MAX_ATTEMPTS = 100;

/**
 * The audit log over the dialect layer. `append` reads the head and inserts
 * the next entry in one transaction; `seq` is the primary key, so when two
 * processes race for the same number one insert fails and that append starts
 * again from the new head. SQLite serialises writers anyway (BEGIN
 * IMMEDIATE); on PostgreSQL the retry is what keeps the chain linear across
 * server replicas.
 */
export class SqlAuditLog implements AuditLog {
  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async append(event: AuditEvent): Promise<AuditEntry> {
    for (let attempt = 1; ; attempt++) {
      try {
        return toAuditEntry(await this.db.transaction((tx) => this.appendIn(tx, event)));
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= MAX_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
      }
    }
  }

  private async appendIn(tx: Queryable, e: AuditEvent): Promise<StoredAuditEntry> {
    const head = await tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const unhashed = {
      seq: Number(head?.seq ?? 0) + 1,
      time: this.now(),
      actor: e.actor,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      beforeJson: storedJson(e.before),
      afterJson: storedJson(e.after),
      reason: e.reason ?? null,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const s: StoredAuditEntry = { ...unhashed, hash: entryHash(unhashed, sha256Hex) };
    await tx.run(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      s.seq, s.time, s.actor, s.action, s.targetType, s.targetId, s.beforeJson, s.afterJson, s.reason, s.prevHash, s.hash,
    ]);
    return s;
  }

  /** Entries with `seq > afterSeq`, oldest first, at most `limit`. */
  async list(opts: { afterSeq?: number; limit?: number } = {}): Promise<AuditEntry[]> {
    return (await this.page(opts.afterSeq ?? 0, opts.limit ?? 1000)).map(toAuditEntry);
  }

  /** Every entry, oldest first, read in pages so memory stays flat. */
  async *entries(pageSize = 1000): AsyncIterable<StoredAuditEntry> {
    let after = 0;
    for (;;) {
      const rows = await this.page(after, pageSize);
      yield* rows;
      if (rows.length < pageSize) return;
      after = rows.at(-1)?.seq ?? after;
    }
  }

  /** Walks the whole chain; reports the first edited, missing or reordered entry. */
  async verify(): Promise<VerifyResult> {
    const v = new ChainVerifier(sha256Hex);
    for await (const e of this.entries()) if (!v.push(e)) break;
    return v.result();
  }

  private async page(afterSeq: number, limit: number): Promise<StoredAuditEntry[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Internal(`page size must be a positive integer; got ${limit}`);
    const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit]);
    return rows.map(toStored);
  }
}
