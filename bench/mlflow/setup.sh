#!/usr/bin/env bash
# Creates the benchmark's two venvs under .cairn/ (idempotent: a venv whose pinned version already
# imports is left alone):
#   venv-mlflow-client  mlflow-skinny at the 3.x version test/compat/setup.sh pins (read from there,
#                       so the benchmark's client is the client the compatibility suite tests);
#                       the same client talks to both servers.
#   venv-mlflow-server  the full `mlflow` package (server included) at $server_version.
# Usage: bash bench/mlflow/setup.sh        (python: $CAIRN_PYTHON, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${CAIRN_PYTHON:-python3}"
client_version=$(awk '$1 == "venv-mlflow3" { print $2 }' test/compat/setup.sh)
[ -n "$client_version" ] || { echo "setup.sh: no venv-mlflow3 pin in test/compat/setup.sh" >&2; exit 1; }
# mlflow 3.18.0 needs mlflow-tracing==3.18.0, which the package index does not have (its newest is
# 3.17.2), so the full server stays at the newest installable release.
server_version=3.17.2

make_venv() { # venv requirement version import-check
  if "$1/bin/python" -c "import $4, sys; sys.exit(mlflow.__version__ != '$3')" >/dev/null 2>&1; then
    return 0
  fi
  echo "setup.sh: creating $1 with $2==$3" >&2
  rm -rf "$1"
  "$python" -m venv "$1"
  "$1/bin/python" -m pip install --quiet --disable-pip-version-check "$2==$3" >&2
}
make_venv .cairn/venv-mlflow-client mlflow-skinny "$client_version" "mlflow, mlflow.tracking"
make_venv .cairn/venv-mlflow-server mlflow "$server_version" "mlflow, mlflow.server"
