import { createHash } from 'node:crypto';
import type { Db } from '../storage/db.js';
import { Internal, InvalidState } from '../core/errors.js';
import { isUniqueViolation } from '../storage/sql-errors.js';
import type { AuditEntry, AuditEvent, AuditFilter, AuditLog } from './audit-log.js';
import {
  ChainVerifier, entryHash, hashTextParts, storedJson, type ChainlessEntry, type StoredAuditEntry, type VerifyResult,
} from './audit-chain.js';

interface HeadRow { seq: number; prev_hash: string; hash: string }

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Row {
  seq: number; time: number; actor: string; action: string; target_type: string; target_id: string;
  before_json: string | null; after_json: string | null; reason: string | null; prev_hash: string; hash: string;
}

const COLUMNS = 'seq, time, actor, action, target_type, target_id, before_json, after_json, reason, prev_hash, hash';
const FILTER_COLUMNS: readonly (readonly [keyof AuditFilter, string])[] = [
  ['targetType', 'target_type'], ['targetId', 'target_id'], ['actor', 'actor'], ['action', 'action'],
];

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

/**
 * The audit log over the dialect layer. The chain's head is one row
 * (`audit_head`: the last entry's seq, prev_hash and hash). An append moves
 * the head with one UPDATE that computes the new entry's hash in SQL from the
 * text around its chain position (`hashTextParts`), then inserts the entry
 * the head now names. Concurrent appenders, from any number of processes,
 * queue on the head row's lock and each applies to the head the one before
 * left, so the chain stays linear with no retries; the lock is held only
 * until the append commits. Where the dialect has data-modifying CTEs
 * (PostgreSQL) both steps are one statement, one round trip; elsewhere
 * (SQLite, whose writers are serialised anyway) they are one transaction.
 */
export class SqlAuditLog implements AuditLog {
  private readonly moveHead: string;
  private readonly insertEntry: string;
  private readonly appendOne: string | null;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {
    const text = 'CAST(? AS TEXT) || hash || CAST(? AS TEXT) || CAST(seq + 1 AS TEXT) || CAST(? AS TEXT)';
    this.moveHead = `UPDATE audit_head SET seq = seq + 1, prev_hash = hash, hash = ${db.dialect.sha256Hex(text)} WHERE id = 1 RETURNING seq, prev_hash, hash`;
    this.insertEntry = `INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    this.appendOne = db.dialect.writableCte
      ? `WITH h AS (${this.moveHead}) INSERT INTO audit_log (${COLUMNS})
         SELECT h.seq, CAST(? AS BIGINT), ?, ?, ?, ?, ?, ?, ?, h.prev_hash, h.hash FROM h RETURNING seq, prev_hash, hash`
      : null;
  }

  async append(event: AuditEvent): Promise<AuditEntry> {
    const e: ChainlessEntry = {
      time: this.now(), actor: event.actor, action: event.action, targetType: event.targetType, targetId: event.targetId,
      beforeJson: storedJson(event.before), afterJson: storedJson(event.after), reason: event.reason ?? null,
    };
    const p = hashTextParts(e);
    const fields = [e.time, e.actor, e.action, e.targetType, e.targetId, e.beforeJson, e.afterJson, e.reason];
    const head = await (this.appendOne !== null
      ? this.db.get<HeadRow>(this.appendOne, [p.before, p.middle, p.after, ...fields])
      : this.db.transaction(async (tx) => {
        const h = await tx.get<HeadRow>(this.moveHead, [p.before, p.middle, p.after]);
        if (h) await tx.run(this.insertEntry, [Number(h.seq), ...fields, h.prev_hash, h.hash]);
        return h;
      })).catch((err: unknown) => {
      // Only a head row behind the log gives a taken seq: rows written around `append`, or a head edited by hand.
      if (isUniqueViolation(err)) {
        throw new InvalidState('the audit head row (audit_head) is behind the audit log, so the next entry number is taken; '
          + "run 'cairn audit verify' and restore the database from a backup if the trail was tampered with");
      }
      throw err;
    });
    if (!head) throw new Internal('the audit log has no head row (audit_head); run \'cairn db upgrade\'');
    const stored: StoredAuditEntry = { ...e, seq: Number(head.seq), prevHash: head.prev_hash, hash: head.hash };
    // The database hashed what Node would; a database whose text is not UTF-8 would break the chain silently.
    if (entryHash(stored, sha256Hex) !== stored.hash) {
      throw new Internal(`audit entry ${stored.seq} was hashed differently by the database; its text encoding must be UTF-8 (CREATE DATABASE … ENCODING 'UTF8')`);
    }
    return toAuditEntry(stored);
  }

  /** Entries with `seq > afterSeq`, oldest first, at most `limit`. */
  async list(opts: { afterSeq?: number; limit?: number } & AuditFilter = {}): Promise<AuditEntry[]> {
    return (await this.page(opts.afterSeq ?? 0, opts.limit ?? 1000, opts)).map(toAuditEntry);
  }

  /** Every entry (or those matching `filter`), oldest first, read in pages so memory stays flat. */
  async *entries(pageSize = 1000, filter: AuditFilter = {}): AsyncIterable<StoredAuditEntry> {
    let after = 0;
    for (;;) {
      const rows = await this.page(after, pageSize, filter);
      yield* rows;
      if (rows.length < pageSize) return;
      after = rows.at(-1)?.seq ?? after;
    }
  }

  /**
   * Walks the whole chain; reports the first edited, missing or reordered
   * entry, and newest entries missing or rewritten against the head row.
   */
  async verify(): Promise<VerifyResult> {
    const head = await this.db.get<HeadRow>('SELECT seq, prev_hash, hash FROM audit_head WHERE id = 1');
    const v = new ChainVerifier(sha256Hex, head ? { seq: Number(head.seq), hash: head.hash } : undefined);
    for await (const e of this.entries()) if (!v.push(e)) break;
    return v.result();
  }

  private async page(afterSeq: number, limit: number, filter: AuditFilter = {}): Promise<StoredAuditEntry[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Internal(`page size must be a positive integer; got ${limit}`);
    const where = ['seq > ?'];
    const params: (string | number)[] = [afterSeq];
    for (const [field, column] of FILTER_COLUMNS) {
      const v = filter[field];
      if (v === undefined) continue;
      where.push(`${column} = ?`);
      params.push(v);
    }
    const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`, [...params, limit]);
    return rows.map(toStored);
  }
}
