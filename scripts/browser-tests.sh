#!/usr/bin/env bash
# Browser journeys (web/e2e/journeys.mjs) in Debian's Chromium driven by playwright-core:
# installs Chromium with apt when it is missing (nothing downloads a browser), builds the
# dashboard and widget into web/dist, starts the debug server on a fresh SQLite data
# directory and runs the journeys against it. Expects `npm ci` to have run in web/.
set -euo pipefail
cd "$(dirname "$0")/.."

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  sudo=""
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

(cd web && npm run build >/dev/null)
# The debug binary reads web/dist from disk, so the fresh build is what it serves.
source scripts/lib/serve.sh
start_server

if ! node web/e2e/journeys.mjs "$base"; then
  echo "server log:" >&2
  tail -50 "$log" >&2
  exit 1
fi
