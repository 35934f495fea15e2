#!/usr/bin/env bash
# schemathesis (PyPI) against a running reference backend, from kiosk/county/openapi.yaml.
# Installs schemathesis 4.x into a venv under $TMPDIR on first use (about 12 s).
# Usage: run.sh URL TERMINAL HEXSECRET [EXAMPLES]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${TMPDIR:-/tmp}/schemathesis-venv"
if ! "$venv/bin/python" -c "import schemathesis" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q "schemathesis>=4.32,<5" >&2
fi
COUNTY_URL="$1" COUNTY_TERMINAL="$2" COUNTY_SECRET="$3" ST_EXAMPLES="${4:-25}" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "$here/test_api.py"
