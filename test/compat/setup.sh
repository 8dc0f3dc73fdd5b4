#!/usr/bin/env bash
# Creates one venv per pinned MLflow client under .cairn/ (idempotent: a venv
# whose pinned packages already import is left alone; one missing only the
# model-flavour extras gets them installed).
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


# "<venv name> <mlflow-skinny version> <extra pip requirements...>": the latest
# 2.x and 3.x, with scikit-learn and pandas for the sklearn/pyfunc flavours
# (MLflow 3 saves scikit-learn models with skops by default).
PINS='
venv-mlflow2 2.22.5 scikit-learn==1.7.2 pandas==2.3.3
venv-mlflow3 3.18.0 scikit-learn==1.7.2 pandas==2.3.3 skops==0.16.0
'

pip_install() {
  "$1/bin/python" -m pip install --quiet --disable-pip-version-check "${@:2}" >&2
}

while read -r name version extras; do
  [ -n "${name:-}" ] || continue
  venv=".cairn/$name"
  modules="mlflow, pytest, sklearn, pandas"
  if [[ "$extras" == *skops* ]]; then modules="$modules, skops"; fi
  if "$venv/bin/python" -c "import $modules, sys; sys.exit(mlflow.__version__ != '$version')" >/dev/null 2>&1; then
    continue
  fi
  # shellcheck disable=SC2086 # extras is a list of requirements
  if "$venv/bin/python" -c "import mlflow, pytest, sys; sys.exit(mlflow.__version__ != '$version')" >/dev/null 2>&1; then
    echo "setup.sh: adding $extras to $venv" >&2
    pip_install "$venv" $extras
    continue
  fi
  echo "setup.sh: creating $venv with mlflow-skinny==$version $extras" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # shellcheck disable=SC2086
  pip_install "$venv" "mlflow-skinny==$version" "pytest>=8,<9" $extras
done <<<"$PINS"
