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
bin="${CARGO_TARGET_DIR:-target}/debug/switchboard"
# The debug binary reads web/dist from disk, so the fresh build is what it serves.
cargo build --quiet --locked -p switchboard

work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
log="$work/server.log"
"$bin" serve --bind "127.0.0.1:$port" --data-dir "$work/data" >"$log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  if curl -fsS "$base/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the server did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.2
done

if ! node web/e2e/journeys.mjs "$base"; then
  echo "server log:" >&2
  tail -50 "$log" >&2
  exit 1
fi
