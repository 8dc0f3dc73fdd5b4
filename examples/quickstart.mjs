// Logs one training run with Cairn's TypeScript SDK.
// Usage: node examples/quickstart.mjs [lr]   (with `npm start` running)
import { Cairn } from '../dist/src/sdk/index.js';

const lr = Number(process.argv[2] ?? 0.01);
const cairn = new Cairn(); // CAIRN_URL, default http://127.0.0.1:5000
const run = await cairn.startRun({ experiment: 'quickstart', params: { lr, optimizer: 'adam' } });
let loss = 1;
for (let step = 0; step < 1000; step++) {
  loss *= 1 - lr * Math.random();
  run.log({ loss, acc: 1 - loss }, { step });
}
await run.end();
console.log(`logged run ${run.id} (${run.info.name}): final loss ${loss.toFixed(4)}`);
