/**
 * Registry benchmark: how long `rollback` takes (the issue asks for under a
 * second), and a full gate check, on a registry with history.
 *
 *   npm run build && node dist/bench/registry.js [--models 50] [--versions 20] [--reps 30]
 *
 * Every model gets `versions` versions, each promoted through staging to
 * production in turn, so each model carries a long stage history. Timed in
 * process (`RegistryService`), over HTTP against a server child on the same
 * file, and as a whole `cairn models rollback` process (Node start included).
 * The anchor, in the same database file: the least a rollback must write —
 * two stage UPDATEs and two history INSERTs in one transaction on node:sqlite.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NO_AUDIT } from '../src/audit/audit-log.js';
import { ALL_ADMIN, LOCAL_ACTOR } from '../src/core/actor.js';
import { LocalBlobStore } from '../src/artifacts/index.js';
import { HttpRegistryClient } from '../src/client/http-registry-client.js';
import { RegistryService } from '../src/registry/registry-service.js';
import { SqlRegistryStore } from '../src/registry/sql-registry-store.js';
import { migrate } from '../src/storage/migration.js';
import { MIGRATIONS } from '../src/storage/migrations/index.js';
import { SqliteDb } from '../src/storage/sqlite-db.js';
import { SqlTrackingStore } from '../src/tracking/sql-tracking-store.js';
import { TrackingService } from '../src/tracking/tracking-service.js';
import { fmtInt, fmtMs, printMachine, printTable, stats, timeReps, writeResult } from './lib/bench-report.js';
import { startServerProcess } from './lib/server-process.js';
import { withTempDir } from './lib/temp-dir.js';

const POLICY = JSON.stringify({
  transitions: [{ to: 'production', gates: ['metrics.auc >= 0.5', 'candidate.auc >= production.auc - 0.5', { evidence: ['eval_dataset', 'signature'] }] }],
});
const SIGNATURE = { inputs: [{ name: 'x', type: 'float32', shape: [null, 8] }], outputs: [{ name: 'p', type: 'float32', shape: [null] }] };
const CLI = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: {
    models: { type: 'string', default: '50' }, versions: { type: 'string', default: '20' }, reps: { type: 'string', default: '30' },
  } });
  const models = Number(args.models);
  const versions = Number(args.versions);
  const reps = Number(args.reps);
  printMachine();
  await withTempDir('registry', async (dir) => {
    const dbFile = join(dir, 'cairn.db');
    const db = new SqliteDb(dbFile);
    try {
      await migrate(db, MIGRATIONS);
      const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs: new LocalBlobStore(join(dir, 'artifacts')) });
      const registry = new RegistryService({ store: new SqlRegistryStore(db), runs: tracking, audit: NO_AUDIT, roles: ALL_ADMIN }, LOCAL_ACTOR);
      const run = await tracking.createRun({ experimentName: 'registry-bench' });
      await tracking.logBatch(run.id, { metrics: [{ key: 'auc', value: 0.9 }] });
      await tracking.logInputs(run.id, [{ name: 'holdout', digest: 'h1', sourceType: 'local', source: 'h.csv', context: 'evaluation', schema: null, profile: null, tags: {} }]);

      let t0 = performance.now();
      for (let m = 0; m < models; m++) {
        const name = `model-${m}`;
        await registry.createModel({ name });
        await registry.setPolicy(name, POLICY);
        for (let v = 1; v <= versions; v++) {
          await registry.createVersion(name, { runId: run.id, format: 'onnx', signature: SIGNATURE });
          await registry.transition(name, v, { to: 'staging' });
          await registry.transition(name, v, { to: 'production' });
        }
      }
      const setupSeconds = (performance.now() - t0) / 1000;
      const changes = models * versions * 3 - models;
      console.log(`set up ${fmtInt(models)} models × ${fmtInt(versions)} versions (${fmtInt(changes)} stage changes) in ${setupSeconds.toFixed(1)} s`);

      // Each rollback swaps the two newest production versions back and forth; every call does the full work.
      const target = `model-${Math.floor(models / 2)}`;
      const inProcess = stats(await timeReps(reps, 3, () => registry.rollback(target, 'bench')));
      const gates = stats(await timeReps(reps, 3, () => registry.checkGates(target, 1, 'production')));
      console.log(`in process: rollback p50 ${fmtMs(inProcess.p50)}, p95 ${fmtMs(inProcess.p95)}; gate check p50 ${fmtMs(gates.p50)}`);

      const conn = db.raw;
      const upd = conn.prepare('UPDATE model_versions SET stage = ?, updated_at = ? WHERE model_id = (SELECT id FROM registered_models WHERE name = ?) AND version = ?');
      const ins = conn.prepare(`INSERT INTO stage_changes (model_id, version, from_stage, to_stage, kind, actor, reason, override, at)
        VALUES ((SELECT id FROM registered_models WHERE name = ?), ?, ?, ?, 'rollback', 'bench', NULL, 0, ?)`);
      const anchorModel = `model-${Math.floor(models / 2) + 1}`;
      let flip = false;
      const anchor = stats(await timeReps(reps, 3, async () => {
        const [out, back] = flip ? [versions - 1, versions] : [versions, versions - 1];
        flip = !flip;
        conn.exec('BEGIN IMMEDIATE');
        upd.run('archived', Date.now(), anchorModel, out);
        upd.run('production', Date.now(), anchorModel, back);
        ins.run(anchorModel, out, 'production', 'archived', Date.now());
        ins.run(anchorModel, back, 'archived', 'production', Date.now());
        conn.exec('COMMIT');
      }));
      console.log(`anchor: 2 UPDATEs + 2 INSERTs in one transaction p50 ${fmtMs(anchor.p50)}`);

      await db.close();
      const server = await startServerProcess({ db: dbFile, artifacts: join(dir, 'artifacts') });
      let http;
      let cli;
      try {
        const client = new HttpRegistryClient({ url: server.url });
        http = stats(await timeReps(reps, 3, () => client.rollback(target, 'bench')));
        cli = stats(await timeReps(Math.min(reps, 10), 1, async () => {
          execFileSync(process.execPath, [CLI, 'models', 'rollback', target], { env: { ...process.env, CAIRN_URL: server.url }, stdio: 'pipe' });
        }));
      } finally {
        await server.stop();
      }
      console.log(`over HTTP p50 ${fmtMs(http.p50)}; whole 'cairn models rollback' process p50 ${fmtMs(cli.p50)}\n`);

      printTable(['figure', 'p50', 'p95', 'target', 'anchor (same run)'], [
        [`rollback, in process (history ${fmtInt(versions * 3 - 1)} changes)`, fmtMs(inProcess.p50), fmtMs(inProcess.p95), '< 1 s', `minimal SQL ${fmtMs(anchor.p50)}`],
        ['rollback over HTTP', fmtMs(http.p50), fmtMs(http.p95), '< 1 s', ''],
        ['`cairn models rollback` process, Node start included', fmtMs(cli.p50), fmtMs(cli.p95), '< 1 s', ''],
        ['gate check, 5 gates (information)', fmtMs(gates.p50), fmtMs(gates.p95), '', ''],
      ]);
      const out = writeResult('registry', {
        workload: { models, versions, stageChanges: changes, reps },
        targets: { rollbackMs: 1000 },
        setupSeconds,
        rollbackInProcess: inProcess,
        rollbackHttp: http,
        rollbackCliProcess: cli,
        gateCheckInProcess: gates,
        anchorMinimalSql: anchor,
      });
      console.log(`\nwrote ${out}`);
    } finally {
      await db.close().catch(() => undefined);
    }
  });
}

await main();
