#!/usr/bin/env bash
# The test command (`npm test`): builds Cairn, starts the test PostgreSQL, makes
# sure the Python test packages are there, then runs vitest with any extra
# arguments, e.g. `npm test -- src/storage` or `npm test -- -t migrate`.
# Exits with vitest's status, or non-zero when the build failed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { echo "test.sh: $*" >&2; }

node_bin="$(bash scripts/ensure-node.sh)" || { say "could not get Node.js 24"; exit 1; }
export PATH="$node_bin:$PATH"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci (node_modules missing or older than package-lock.json)"
  npm ci --no-fund --no-audit --loglevel=error || { say "npm ci failed"; exit 1; }
fi

say "npm run build"
build_rc=0
npm run --silent build || build_rc=$?
[ "$build_rc" -eq 0 ] || say "BUILD FAILED (tsc exit $build_rc); running the tests anyway"

# An admin URL already in the environment (your own server) wins; otherwise start
# the private one. If that fails the PostgreSQL suites fail loudly, never skip.
if [ -z "${CAIRN_TEST_PG_URL:-}" ]; then
  if url="$(bash scripts/postgres.sh start)"; then
    export CAIRN_TEST_PG_URL="$url"
  else
    unset CAIRN_TEST_PG_URL
    say "PostgreSQL did not start: the PostgreSQL tests will fail"
  fi
fi

bash scripts/python-deps.sh || say "installing the Python test packages failed: tests that need them will fail"

npx --no-install vitest run "$@"
rc=$?
if [ "$rc" -eq 0 ] && [ "$build_rc" -ne 0 ]; then
  say "tests passed but the build failed (see the tsc errors above)"
  exit "$build_rc"
fi
exit "$rc"
