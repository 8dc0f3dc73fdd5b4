#!/usr/bin/env bash
# moto's S3-compatible server, which the S3 integration tests start by themselves
# (src/testing/s3-server.ts). This script installs it and runs it by hand.
# Usage:
#   bash scripts/s3-server.sh install   # pip install 'moto[server]' unless python3 can already import it
#   bash scripts/s3-server.sh [PORT]    # serve on 127.0.0.1:PORT (default 5000) until Ctrl-C
# Clients: endpoint http://127.0.0.1:PORT, path-style, any credentials (e.g. test/test).
set -euo pipefail
python="${PYTHON:-python3}"
if [ "${1:-}" = "install" ]; then
  if "$python" -c 'import moto.server' 2>/dev/null; then
    echo "moto already installed: $("$python" -c 'import moto; print(moto.__version__)')"
  else
    "$python" -m pip install --quiet 'moto[server]'
  fi
  exit 0
fi
exec "$python" -m moto.server -H 127.0.0.1 -p "${1:-5000}"
