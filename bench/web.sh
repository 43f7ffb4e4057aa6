#!/usr/bin/env bash
# Size and speed of the dashboard and the widget (bench/web-vitals.mjs): widget.js gzipped,
# the JavaScript of a first visit of the dashboard gzipped (and of every chunk), and the
# dashboard's largest contentful paint on loopback in headless Chromium beside two baselines
# measured in the same run. Builds nothing: it measures web/dist as it is, served by the debug
# binary already built (or by a server you name).
#
# Usage: bench/web.sh [BASE_URL] [REPORT]
#   BASE_URL  a running Switchboard; without one, ${CARGO_TARGET_DIR:-target}/debug/switchboard
#             is started on a free loopback port with a fresh SQLite data directory
#   REPORT    also receives the output
#   BENCH_RUNS (5) cold loads per page; CHROMIUM (/usr/bin/chromium)
# Expects `npm ci` and `npm run build` to have run in web/, and a server built after that (the
# debug binary reads web/dist from disk, but only if web/dist existed when it was compiled).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f web/dist/index.html || ! -f web/dist/widget.js ]]; then
  echo "web/dist is not built: run 'npm run build' in web/ first" >&2
  exit 1
fi

base="${1:-}"
if [[ -z "$base" ]]; then
  bin="${CARGO_TARGET_DIR:-target}/debug/switchboard"
  if [[ ! -x "$bin" ]]; then
    echo "no server binary at $bin: build it (cargo build -p switchboard) or pass a BASE_URL" >&2
    exit 1
  fi
  work="$(mktemp -d)"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  base="http://127.0.0.1:$port"
  "$bin" serve --bind "127.0.0.1:$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 100); do
    curl -fsS "$base/health" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
  done
fi
if ! curl -fsS "$base/" | grep -q '/assets/index-'; then
  echo "$base/ does not serve the dashboard: the server was built before web/dist existed" >&2
  echo "(touch crates/server/src/routes/assets.rs and build it again)" >&2
  exit 1
fi

{
  echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null | head -1); node $(node --version); server $base"
  node bench/web-vitals.mjs "$base"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | if [[ $# -gt 1 ]]; then tee "$2"; else cat; fi
