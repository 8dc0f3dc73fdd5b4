#!/usr/bin/env bash
# Creates .cairn/venv-data-bench with pandas (and pyarrow for Parquet), the anchor for
# bench/data-profile.ts. Idempotent: a venv whose pinned pandas already imports is left alone.
# Usage: bash bench/data/setup-pandas.sh        (python: $CAIRN_PYTHON, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${CAIRN_PYTHON:-python3}"
version=2.2.3
venv=.cairn/venv-data-bench
if "$venv/bin/python" -c "import pandas, sys; sys.exit(pandas.__version__ != '$version')" >/dev/null 2>&1; then
  exit 0
fi
echo "setup.sh: creating $venv with pandas==$version" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pandas==$version" >&2
