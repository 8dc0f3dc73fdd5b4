#!/usr/bin/env node
// The `cairn` command. Plain JavaScript that parses on old Node, so that an old
// Node says which version Cairn needs instead of failing on newer syntax.
import { existsSync } from 'node:fs';

const wanted = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major < wanted) {
  const pkg = `node-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}@${wanted}`;
  const dir = `~/.cairn-node/node_modules/${pkg.split('@')[0]}/bin`;
  process.stderr.write(
    `cairn needs Node.js ${wanted} or newer (this is v${process.versions.node}); ` +
      `install it with: npm install --prefix ~/.cairn-node ${pkg} && export PATH=${dir}:$PATH\n`,
  );
  process.exit(1);
}

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('cairn is not built: run `npm run build` in the Cairn checkout\n');
  process.exit(1);
}
await import(main.href);
