#!/usr/bin/env bash
# Creates one venv per pinned MLflow client under .cairn/ (idempotent: a venv
# whose pinned version already imports is left alone).
# Usage: bash test/compat/setup.sh        (python: $CAIRN_PYTHON, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${CAIRN_PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup.sh: $python not found; install it with \`apt-get install -y python3 python3-venv\`" >&2
  exit 1
fi

# Test files run in parallel and several may ask for the venvs at once: one at a time.
mkdir -p .cairn
exec 9>.cairn/setup.lock
flock 9

# "<venv name> <mlflow-skinny version>": the latest 2.x and 3.x.
PINS='
venv-mlflow2 2.22.5
venv-mlflow3 3.17.2
'

while read -r name version; do
  [ -n "${name:-}" ] || continue
  venv=".cairn/$name"
  if "$venv/bin/python" -c "import mlflow, pytest, sys; sys.exit(mlflow.__version__ != '$version')" >/dev/null 2>&1; then
    continue
  fi
  echo "setup.sh: creating $venv with mlflow-skinny==$version" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "mlflow-skinny==$version" "pytest>=8,<9" >&2
done <<<"$PINS"
