#!/usr/bin/env bash
# The classification quality gate: `switchboard eval classification` on the fixed CI samples in
# eval/ci/classification (BANKING77 intents; CLINC150 intents with its out-of-scope class),
# failing if a figure drops below the floor set just under what was measured
# (docs/benchmarks.md has the full figures).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${CARGO_TARGET_DIR:-target}/debug/switchboard"
if [ ! -x "$bin" ]; then
  cargo build --quiet --locked -p switchboard
  bin="${CARGO_TARGET_DIR:-target}/debug/switchboard"
fi
export RUST_LOG="${RUST_LOG:-warn}"
summary='{accuracy, macroF1, oosRecall, inScopeAccuracy, threshold, trainSeconds, training}'
show() {
  if command -v jq >/dev/null; then jq -c "$summary"; else cat; fi
}

echo "BANKING77 (CI sample)"
"$bin" eval classification --train eval/ci/classification/banking77/train.jsonl \
  --test eval/ci/classification/banking77/test.jsonl \
  --min accuracy=0.85 --min macroF1=0.84 | show

echo "CLINC150 with its out-of-scope class (CI sample)"
"$bin" eval classification --train eval/ci/classification/clinc150/train.jsonl \
  --test eval/ci/classification/clinc150/test.jsonl --oos-label oos \
  --min inScopeAccuracy=0.70 --min oosRecall=0.95 | show
