#!/usr/bin/env bash
# One chat turn with the builtin responder beside the embedding of the same messages, and
# /health (crates/server/benches/chat_turn/main.rs), with the local model put in place first.
#
# Usage: bench/chat-turn.sh [REPORT]   REPORT also receives the output (default: none)
#   BENCH_TURNS (300), BENCH_CHUNKS (10000), BENCH_FAQS (50), BENCH_DIR (temp database's parent)
# Other work on the machine skews every figure: the bench prints the load average.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-model.sh >/dev/null
if [[ $# -gt 0 ]]; then
    cargo bench -p switchboard-server --bench chat_turn | tee "$1"
else
    cargo bench -p switchboard-server --bench chat_turn
fi
