/**
 * Runs every benchmark in sequence, each in its own process so one's heap and
 * JIT state do not colour the next: `node dist/bench/run-all.js`.
 * Extra arguments go to every benchmark (e.g. `--reps 5`).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['ingest', 'search', 'history', 'registry'] as const;
let failed = 0;
for (const name of BENCHES) {
  console.log(`\n=== ${name} ===`);
  const file = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const r = spawnSync(process.execPath, [file, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`${name} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
