/**
 * A Cairn server in its own process, for benchmarks: `fork`ed with `--db`
 * and `--artifacts`; reports `{ url }` over IPC once listening, answers
 * `cpu` with its `process.cpuUsage()`, profiles itself between
 * `{ profile: 'start' }` and `{ profile: 'stop', file }` (the same V8 sampler
 * as `--cpu-prof`, limited to the timed window), and closes on `close` or
 * when the parent goes away.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { startServer } from '../src/server/start-server.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, artifacts: { type: 'string' } } });
const send = (m: unknown) => process.send?.(m);
if (!values.db || !values.artifacts || !process.send) {
  console.error('usage: fork dist/bench/server-child.js --db FILE --artifacts DIR (with an IPC channel)');
  process.exit(2);
}
const server = await startServer(loadConfig({ db: values.db, artifacts: values.artifacts, port: 0, host: '127.0.0.1' }));
let closing = false;
const close = async () => {
  if (closing) return;
  closing = true;
  await server.close();
  process.exit(0);
};
let inspector: Session | null = null;
async function profile(m: { profile: 'start' | 'stop'; file?: string }): Promise<void> {
  if (m.profile === 'start') {
    inspector = new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.post('Profiler.start');
  } else if (inspector && m.file) {
    const { profile: p } = await inspector.post('Profiler.stop');
    writeFileSync(m.file, JSON.stringify(p));
    inspector.disconnect();
    inspector = null;
  }
  send({ profiled: m.profile });
}
process.on('message', (m) => {
  if (m === 'close') void close();
  else if (m === 'cpu') send({ cpu: process.cpuUsage() });
  else if (typeof m === 'object' && m !== null && 'profile' in m) void profile(m as { profile: 'start' | 'stop'; file?: string });
});
process.on('disconnect', () => void close());
send({ url: server.url });
