#!/usr/bin/env bash
# Builds the dashboard (when missing or stale) and the release binary, and serves
# Switchboard on the embedded defaults: SQLite in ./data, a generated development signing
# key, http://127.0.0.1:8080. Arguments are passed on to `switchboard serve` (for example
# --bind 0.0.0.0:8080 or --database-url postgres://…).
set -euo pipefail
cd "$(dirname "$0")/.."
# The embedding model (90 MB, once). Without it the server still runs, with BM25-only search.
scripts/fetch-model.sh || echo "warning: no embedding model; retrieval will be lexical only" >&2
# The dashboard (web/dist), embedded into the binary by the build below: rebuilt when it is
# missing or older than its sources.
web_stale() {
  [ ! -f web/dist/index.html ] && return 0
  [ -n "$(find web/src web/public web/index.html web/package-lock.json web/vite.config.ts web/vite.widget.config.ts \
    -newer web/dist/index.html -print -quit 2>/dev/null)" ]
}
if web_stale; then
  if command -v npm >/dev/null 2>&1; then
    (cd web && npm ci --no-audit --no-fund && npm run build)
    # switchboard-server embeds web/dist when it compiles; a touched source makes cargo
    # embed the new files.
    touch crates/server/src/routes/assets.rs
  elif [ -f web/dist/index.html ]; then
    echo "warning: npm not found; serving the existing, older web/dist" >&2
  else
    echo "warning: npm not found; the dashboard is not built (a placeholder page is served)" >&2
  fi
fi
cargo build --release --locked -p switchboard
exec target/release/switchboard serve "$@"
