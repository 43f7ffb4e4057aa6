#!/usr/bin/env bash
# Optional: a Python venv with sentence-transformers, used only to regenerate the reference
# vectors (bench/reference_vectors.py) and to measure the Python baseline (bench/embed_python.py).
# Nothing in the build or the tests needs it. torch comes from PyPI as-is (only PyPI is reachable),
# so the default wheel and its CUDA libraries are installed even though they run on the CPU here.
set -euo pipefail

VENV="${SWITCHBOARD_ST_VENV:-$HOME/.cache/switchboard/tools/st-venv}"

if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import sentence_transformers' 2>/dev/null; then
    echo "sentence-transformers already installed in $VENV"
    exit 0
fi

python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet sentence-transformers
"$VENV/bin/python" -c 'import sentence_transformers, torch; print("sentence-transformers", sentence_transformers.__version__, "torch", torch.__version__)'
echo "venv ready: $VENV"
