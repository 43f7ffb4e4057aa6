#!/usr/bin/env bash
# Builds the release binary and serves Switchboard on the embedded defaults: SQLite in
# ./data, a generated development signing key, http://127.0.0.1:8080. Arguments are passed
# on to `switchboard serve` (for example --bind 0.0.0.0:8080 or --database-url postgres://…).
set -euo pipefail
cd "$(dirname "$0")/.."
# The embedding model (90 MB, once). Without it the server still runs, with BM25-only search.
scripts/fetch-model.sh || echo "warning: no embedding model; retrieval will be lexical only" >&2
cargo build --release --locked -p switchboard
exec target/release/switchboard serve "$@"
