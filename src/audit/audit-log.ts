/**
 * The audit port. Every mutation in Cairn appends one entry: who, when, what
 * action on which target, and the state before and after. Entries are
 * append-only and hash-chained (each stores the hash of the previous one), so
 * an edited, deleted or reordered entry is detectable by `verify`.
 *
 * Contract: `append` is safe under concurrency (several server replicas on
 * one PostgreSQL); entries get a strictly increasing sequence number; an
 * appended entry never changes.
 */
export interface AuditEvent {
  readonly actor: string;
  /** Dotted verb, e.g. `run.create`, `param.log`, `model_version.transition`. */
  readonly action: string;
  /** Target kind and id, e.g. `run` / `<run id>`, `model_version` / `churn/3`. */
  readonly targetType: string;
  readonly targetId: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** Free text, e.g. the reason for an admin override. */
  readonly reason?: string;
}

export interface AuditEntry extends AuditEvent {
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** Which entries to read: each given field must match exactly. */
export interface AuditFilter {
  readonly targetType?: string;
  readonly targetId?: string;
  readonly actor?: string;
  readonly action?: string;
}

export interface AuditLog {
  append(event: AuditEvent): Promise<AuditEntry>;
}

/** An AuditLog that drops everything; for unit tests of pure services only. */
export const NO_AUDIT: AuditLog = {
  append: async (e) => ({ ...e, seq: 0, time: 0, prevHash: '', hash: '' }),
};
