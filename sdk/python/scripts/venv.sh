#!/usr/bin/env bash
# Makes sdk/python/.venv with the SDK (editable) and its test and benchmark dependencies, once;
# later runs only check that the pinned versions are installed.
set -euo pipefail

sdk_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$sdk_dir/../.." && pwd)"
venv="$sdk_dir/.venv"
python="${PYTHON:-python3}"

if [[ ! -x "$repo_root/node_modules/.bin/bun" ]]; then
  echo "sdk/python: $repo_root/node_modules/.bin/bun is missing; run 'npm ci' at the root first" >&2
  exit 1
fi

if ! "$venv/bin/python" -c "" 2>/dev/null; then
  # Missing, or made by an interpreter that is gone.
  echo "sdk/python: creating $venv with $("$python" --version)"
  rm -rf "$venv"
  if ! "$python" -m venv "$venv"; then
    # A Python without `ensurepip` (Debian's without python3-venv): its own pip installs into
    # an environment made without one.
    "$python" -m venv --without-pip "$venv"
  fi
fi
pip=("$venv/bin/python" -m pip)
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  pip=("$python" -m pip --python "$venv/bin/python")
fi
"${pip[@]}" install --quiet --disable-pip-version-check --no-input -e "$sdk_dir[test]"

