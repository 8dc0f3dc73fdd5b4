#!/usr/bin/env bash
# Creates .cairn/venv-mlflow-server with the full `mlflow` package (server included), pinned to the
# same 3.x version the compatibility tests use for the client. Idempotent: a venv whose pinned
# version already imports is left alone. The benchmark uses this venv for both the server and the
# client, so the same client code talks to both servers.
# Usage: bash bench/mlflow/setup.sh        (python: $CAIRN_PYTHON, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${CAIRN_PYTHON:-python3}"
version=3.17.2
venv=.cairn/venv-mlflow-server
if "$venv/bin/python" -c "import mlflow, mlflow.server, sys; sys.exit(mlflow.__version__ != '$version')" >/dev/null 2>&1; then
  exit 0
fi
echo "setup.sh: creating $venv with mlflow==$version" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "mlflow==$version" >&2
