#!/usr/bin/env bash
# The Python SDK's checks: lint, format, types and tests, in a virtual environment of its own.
# Needs `npm ci` at the repository root first (the tests start the llmlens server and the fake
# provider with the `bun` it brings) and Python 3.10 or later (the test dependencies need it;
# the SDK itself runs on 3.9). Every check runs; the exit status is non-zero if any failed.
set -euo pipefail

sdk_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$sdk_dir/.venv"
bash "$sdk_dir/scripts/venv.sh"

cd "$sdk_dir"
failed=()
run() {
  echo "sdk/python: $*"
  if ! "$venv/bin/python" -m "$@"; then
    failed+=("$1")
  fi
}

run ruff check .
run ruff format --check .
run mypy --strict
run pytest

if ((${#failed[@]} > 0)); then
  echo "sdk/python: failed: ${failed[*]}" >&2
  exit 1
fi
