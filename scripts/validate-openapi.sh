#!/usr/bin/env bash
# Validates the generated OpenAPI document against the OpenAPI 3 specification with
# openapi-spec-validator (installed once into a cached virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${SWITCHBOARD_TOOLS_DIR:-$HOME/.cache/switchboard/tools}/venv"
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==0.7.2"
fi
doc="$(mktemp --suffix=.json)"
trap 'rm -f "$doc"' EXIT
# The test run leaves the binary in the target directory; reuse it rather than building the
# binary again with a different feature set.
bin="${CARGO_TARGET_DIR:-target}/debug/switchboard"
if [ -x "$bin" ]; then
  "$bin" export-openapi --out "$doc"
else
  cargo run --quiet --locked -p switchboard -- export-openapi --out "$doc"
fi
"$venv/bin/openapi-spec-validator" "$doc"
