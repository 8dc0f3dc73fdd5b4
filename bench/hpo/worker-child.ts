/**
 * One HPO worker process for bench/hpo/workers.ts: `fork`ed with
 * `--study S --objective none|six --worker ID` and either `--db URL` (the
 * services `cairn worker --db` opens over the shared store: its own pool,
 * every write audited) or `--server URL` (ask/tell over HTTP, as
 * `cairn worker` without --db). Says
 * `{ ready }` over IPC, waits for `{ from, until }` (epoch ms), runs no-op
 * trials until `until` through the SDK's `Study.optimize`, and answers
 * `{ told, timed, cpuMs }`: the numbers of all the trials it told, how many
 * of them started in [from, until) (the timed window; those before warm the
 * process up), and its CPU time over that window.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpStudyClient } from '../../src/client/http-study-client.js';
import type { StudyApi } from '../../src/hpo/study-api.js';
import { loadConfig } from '../../src/config/config.js';
import { openDirectServices } from '../../src/server/direct-services.js';
import { Study, type TrialHandle } from '../../src/sdk/study.js';

const { values: a } = parseArgs({ options: {
  study: { type: 'string' }, objective: { type: 'string' }, worker: { type: 'string' }, db: { type: 'string' }, server: { type: 'string' },
} });
if (!a.study || !a.worker || !process.send || (a.db === undefined) === (a.server === undefined)) {
  console.error('usage: fork dist/bench/hpo/worker-child.js --study S --objective none|six --worker ID (--db URL | --server URL)');
  process.exit(2);
}
const send = (m: unknown) => process.send?.(m);

/** The six define-by-run suggests of bench/hpo-storage.ts; the value is ignored (no-op objective). */
async function six(t: TrialHandle): Promise<number> {
  await t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  await t.suggestInt('layers', 1, 8);
  await t.suggestInt('width', 16, 1024, { log: true });
  await t.suggestFloat('dropout', 0, 0.5, { step: 0.05 });
  await t.suggestCategorical('optimizer', ['sgd', 'adam', 'adamw']);
  await t.suggestFloat('weight_decay', 1e-6, 1e-2, { log: true });
  return 0;
}
const objective = a.objective === 'six' ? six : async () => 0;

const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-worker-'));
const direct = a.db === undefined ? null : await openDirectServices(loadConfig({ db: a.db, artifacts: join(dir, 'artifacts') }, {}));
const api: StudyApi = direct ? direct.hpo : new HttpStudyClient({ url: a.server as string });

const study = await Study.load(api, a.study);
const { from, until } = await new Promise<{ from: number; until: number }>((res) => {
  process.once('message', (m) => res(m as { from: number; until: number }));
  send({ ready: true });
});
const told: number[] = [];
let timed = 0;
let c0: NodeJS.CpuUsage | null = null;
for (let start = Date.now(); start < until; start = Date.now()) {
  if (start >= from) {
    c0 ??= process.cpuUsage();
    timed++;
  }
  const [t] = await study.optimize(objective, { nTrials: 1, worker: a.worker });
  if (!t) throw new Error('optimize returned no trial');
  if (t.state !== 'COMPLETE') throw new Error(`trial ${t.number} ended ${t.state}`);
  told.push(t.number);
}
const c = process.cpuUsage(c0 ?? undefined);
send({ told, timed, cpuMs: (c.user + c.system) / 1000 });
await direct?.close();
rmSync(dir, { recursive: true, force: true });
process.disconnect();
