#!/usr/bin/env bash
# Creates .cairn/venv-optuna with the latest optuna for the HPO benchmark's anchor. Idempotent: a venv
# where optuna already imports is left alone (delete .cairn/venv-optuna to upgrade).
# Usage: bash bench/hpo/setup.sh        (python: $CAIRN_PYTHON, default python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${CAIRN_PYTHON:-python3}"
venv=.cairn/venv-optuna
if "$venv/bin/python" -c "import optuna" >/dev/null 2>&1; then
  exit 0
fi
echo "setup.sh: creating $venv with the latest optuna" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade optuna >&2
