#!/usr/bin/env bash
# `npm start`: gets Node.js 24 if the system Node is older, installs the npm
# packages, builds, and starts `cairn server` on the embedded default
# (SQLite in $CAIRN_HOME/cairn.db and artifacts in $CAIRN_HOME/artifacts,
# CAIRN_HOME defaulting to ~/.cairn). Extra arguments go to `cairn server`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$(bash scripts/ensure-node.sh):$PATH"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi
npm run --silent build
exec node bin/cairn.js server "$@"
