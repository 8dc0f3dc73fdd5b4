/**
 * Audit appends from several processes into one PostgreSQL database: the
 * serialisation point every server replica and `cairn worker --db` shares.
 *
 * - `head-row`: `SqlAuditLog.append` as shipped (one statement that moves the
 *   `audit_head` row and inserts the entry; appenders queue on the row lock).
 * - `read-insert-retry` (the anchor: Cairn's append before migration 7,
 *   written out here): in a transaction, read the last entry, insert the next
 *   `seq` with its hash; a unique violation means another process took that
 *   number, so start again after a short random wait.
 *
 * Each of `--procs` child processes appends `--appends` entries; the figure
 * is all appends over the wall time from the first start to the last end.
 * The chain is verified after each run.
 *
 *   npm run build && CAIRN_TEST_PG_URL=postgres://… node dist/bench/audit-append.js [--procs 1,2,8] [--appends 1000]
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { entryHash, GENESIS_HASH, storedJson } from '../src/audit/audit-chain.js';
import { sha256Hex, SqlAuditLog } from '../src/audit/sql-audit-log.js';
import type { AuditEvent } from '../src/audit/audit-log.js';
import { migrate } from '../src/storage/migration.js';
import { MIGRATIONS } from '../src/storage/migrations/index.js';
import { PostgresDb } from '../src/storage/postgres-db.js';
import { isUniqueViolation } from '../src/storage/sql-errors.js';
import { createTestPostgres } from '../src/testing/postgres.js';
import { printMachine, printTable, writeResult } from './lib/bench-report.js';

const MODES = ['head-row', 'read-insert-retry'] as const;
type Mode = (typeof MODES)[number];
const { values: a } = parseArgs({ options: {
  procs: { type: 'string', default: '1,2,8' }, appends: { type: 'string', default: '1000' },
  child: { type: 'string' }, db: { type: 'string' }, mode: { type: 'string' },
} });
const APPENDS = Number(a.appends);

/** The pre-migration-7 append: read the head, insert the next entry, retry on a lost race. */
async function readInsertRetry(db: PostgresDb, e: AuditEvent): Promise<number> {
  let retries = 0;
  for (;;) {
    try {
      await db.transaction(async (tx) => {
        const head = await tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
        const x = {
          seq: Number(head?.seq ?? 0) + 1, time: Date.now(), actor: e.actor, action: e.action, targetType: e.targetType, targetId: e.targetId,
          beforeJson: storedJson(e.before), afterJson: storedJson(e.after), reason: e.reason ?? null, prevHash: head?.hash ?? GENESIS_HASH,
        };
        await tx.run(`INSERT INTO audit_log (seq, time, actor, action, target_type, target_id, before_json, after_json, reason, prev_hash, hash)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [x.seq, x.time, x.actor, x.action, x.targetType, x.targetId, x.beforeJson, x.afterJson, x.reason, x.prevHash, entryHash(x, sha256Hex)]);
      });
      return retries;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      retries++;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, retries * 2)));
    }
  }
}

if (a.child !== undefined) {
  const db = new PostgresDb(a.db as string, { max: 2 });
  const log = new SqlAuditLog(db);
  let retries = 0;
  for (let i = 0; i < APPENDS; i++) {
    const e: AuditEvent = { actor: `w${a.child}`, action: 'run.update', targetType: 'run', targetId: `r${i}`, before: { status: 'RUNNING' }, after: { status: 'FINISHED' } };
    if (a.mode === 'head-row') await log.append(e);
    else retries += await readInsertRetry(db, e);
  }
  await db.close();
  process.send?.({ retries });
  process.disconnect();
} else {
  const procsList = (a.procs ?? '').split(',').map(Number);
  printMachine();
  const figures: { mode: Mode; procs: number; appends: number; seconds: number; appendsPerSecond: number; retries: number }[] = [];
  for (const mode of MODES) {
    for (const procs of procsList) {
      const pg = await createTestPostgres();
      const db = new PostgresDb(pg.url, { max: 1 });
      try {
        await migrate(db, MIGRATIONS);
        const t0 = performance.now();
        const reports = await Promise.all(Array.from({ length: procs }, (_, i) => new Promise<{ retries: number }>((res, rej) => {
          const child = fork(fileURLToPath(import.meta.url), ['--child', String(i), '--db', pg.url, '--mode', mode, '--appends', String(APPENDS)]);
          let got: { retries: number } | null = null;
          child.on('message', (m) => { got = m as { retries: number }; });
          child.on('exit', (code) => (code === 0 && got ? res(got) : rej(new Error(`${mode} child ${i} exited ${code}`))));
        })));
        const seconds = (performance.now() - t0) / 1000;
        if (mode === 'read-insert-retry') {
          // The old append left the head row behind; point it at the chain so verify reads the same log.
          await db.run('UPDATE audit_head SET seq = h.seq, prev_hash = h.prev_hash, hash = h.hash FROM (SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1) h WHERE audit_head.id = 1');
        }
        const v = await new SqlAuditLog(db).verify();
        if (!v.ok || v.count !== procs * APPENDS) throw new Error(`${mode} with ${procs} processes left a bad chain: ${JSON.stringify(v)}`);
        const f = { mode, procs, appends: procs * APPENDS, seconds, appendsPerSecond: (procs * APPENDS) / seconds, retries: reports.reduce((n, r) => n + r.retries, 0) };
        console.log(`${mode}, ${procs} process(es): ${f.appends} appends in ${seconds.toFixed(2)} s = ${f.appendsPerSecond.toFixed(0)}/s, ${f.retries} retries`);
        figures.push(f);
      } finally {
        await db.close();
        await pg.drop();
      }
    }
  }
  printTable(['append', 'processes', 'appends', 'seconds', 'appends/s', 'retries'], figures.map((f) => [
    f.mode, String(f.procs), String(f.appends), f.seconds.toFixed(2), f.appendsPerSecond.toFixed(0), String(f.retries),
  ]));
  console.log('every chain verified');
  console.log(`wrote ${writeResult('audit-append', { appendsPerProcess: APPENDS, figures })}`);
}
