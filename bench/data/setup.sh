#!/usr/bin/env bash
# Creates .cairn/venv-dvc with DVC, the anchor for bench/data (hash-bench). Idempotent: a venv
# whose pinned version already imports is left alone.
# Usage: bash bench/data/setup.sh        (python: $CAIRN_PYTHON, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${CAIRN_PYTHON:-python3}"
version=3.67.1
venv=.cairn/venv-dvc
if "$venv/bin/dvc" version >/dev/null 2>&1 && "$venv/bin/python" -c "import dvc, sys; sys.exit(dvc.__version__ != '$version')" >/dev/null 2>&1; then
  exit 0
fi
echo "setup.sh: creating $venv with dvc==$version" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "dvc==$version" >&2
