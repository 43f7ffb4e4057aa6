#!/usr/bin/env bash
# The retrieval quality gate: `switchboard eval retrieval` on the fixed CI samples in eval/ci
# (BANKING77 and CLINC150 with its out-of-scope queries) and `switchboard eval passages` on the
# paraphrase set in eval/passages, failing if a figure drops below the floor set just under what
# was measured (docs/benchmarks.md has the full figures).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${CARGO_TARGET_DIR:-target}/debug/switchboard"
if [ ! -x "$bin" ]; then
  cargo build --quiet --locked -p switchboard
  bin="${CARGO_TARGET_DIR:-target}/debug/switchboard"
fi
export RUST_LOG="${RUST_LOG:-warn}"

echo "BANKING77 (CI sample)"
"$bin" eval retrieval --faqs eval/ci/banking77/faqs.jsonl --queries eval/ci/banking77/queries.jsonl \
  --min recallAt1=0.85 --min recallAt5=0.96 --min mrr=0.90 --min answeredCorrect=0.76 \
  --max answeredWrong=0.05

echo "CLINC150 with out-of-scope queries (CI sample)"
"$bin" eval retrieval --faqs eval/ci/clinc150/faqs.jsonl --queries eval/ci/clinc150/queries.jsonl \
  --min recallAt1=0.88 --min recallAt5=0.98 --min oosHandedOff=0.95 --min answeredCorrect=0.69 \
  --max answeredWrong=0.015

echo "Passage retrieval on paraphrased questions (eval/passages)"
"$bin" eval passages --documents eval/passages/documents.jsonl --queries eval/passages/queries.jsonl \
  --min hitAt1=0.66 --min documentAt1=0.72 --min hitAt5=0.92 --min mrr=0.76 --min oosHandedOff=0.80 \
  --min answered=0.54 --max answeredWrong=0.11
