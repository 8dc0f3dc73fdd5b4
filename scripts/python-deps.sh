#!/usr/bin/env bash
# Installs the Python packages Cairn's tests use, skipping those already importable.
# Usage: bash scripts/python-deps.sh        (python: $CAIRN_PYTHON, default python3)
# Each line of DEPS is "<import check> <pip requirement>"; add a line per new dependency.
set -euo pipefail
python="${CAIRN_PYTHON:-python3}"

DEPS='
moto.server,flask_cors  moto[server]>=5,<6
'

if ! command -v "$python" >/dev/null 2>&1; then
  echo "python-deps.sh: $python not found; install it with \`apt-get install -y python3 python3-pip\`" >&2
  exit 1
fi

missing=()
while read -r modules requirement; do
  [ -n "${modules:-}" ] || continue
  check="import ${modules//,/, }"
  if ! "$python" -c "$check" >/dev/null 2>&1; then missing+=("$requirement"); fi
done <<<"$DEPS"

[ "${#missing[@]}" -eq 0 ] && exit 0

echo "python-deps.sh: installing ${missing[*]}" >&2
# A Debian-managed python refuses pip installs without this; a pyenv or venv one ignores it.
PIP_BREAK_SYSTEM_PACKAGES=1 "$python" -m pip install --quiet --disable-pip-version-check \
  --root-user-action=ignore "${missing[@]}" >&2
