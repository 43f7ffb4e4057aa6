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
# rust-embed decides when the server crate compiles whether web/dist is there (a build made
# without it serves nothing): a touched source makes the build below see the fresh dist.
touch crates/server/src/routes/assets.rs
source scripts/lib/serve.sh
# The widget journey points the company at a stand-in model server on loopback.
start_server SWITCHBOARD_ALLOW_PRIVATE_OUTBOUND=true

if ! node web/e2e/journeys.mjs "$base"; then
  echo "server log:" >&2
  tail -50 "$log" >&2
  exit 1
fi

# The agent console across a restart of a server of its own (same port, same data).
node web/e2e/reconnect.mjs "${CARGO_TARGET_DIR:-target}/debug/switchboard"

# The widget is revalidated on every page that embeds it: its ETag must answer 304.
etag="$(curl -fsSI "$base/widget.js" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')"
code="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$base/widget.js")"
if [[ -z "$etag" || "$code" != 304 ]]; then
  echo "widget.js is not revalidated by its ETag (ETag '$etag', answered $code)" >&2
  exit 1
fi
echo "ok   /widget.js revalidates by ETag (304)"

# Every main page in light and dark at 1280×800 and at phone width, and the widget on a host
# page: axe-core (WCAG 2 A and AA; serious and critical violations fail), no console error or
# failed request; the screenshots are written to docs/screenshots (the README shows some).
if ! node web/e2e/screens.mjs "$base" docs/screenshots; then
  echo "server log:" >&2
  tail -50 "$log" >&2
  exit 1
fi
