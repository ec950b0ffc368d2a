#!/usr/bin/env bash
# The server's Python suite: the official OpenTelemetry Python SDK exporting to a real llmlens.
# Makes its own virtual environment on first use; needs `npm ci` at the root (for bun) first.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -q
