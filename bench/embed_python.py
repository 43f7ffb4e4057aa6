#!/usr/bin/env python3
"""sentence-transformers throughput on bench/data/sentences.txt, the baseline for
crates/embed/benches/throughput.rs: same corpus, same weights, sentence-transformers' default
batch policy (`encode(batch_size=32)`), all cores torch wants. One warm-up pass, then the median
of three timed passes, in sentences per second (and the CPU time of each pass, which is
steadier than wall time on a shared machine).

    ~/.cache/switchboard/tools/st-venv/bin/python bench/embed_python.py [MODEL_DIR]
"""
import os
import statistics
import sys
import time
from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer

ROOT = Path(__file__).resolve().parent.parent
PASSES = 3


def main() -> None:
    default_dir = Path.home() / ".cache/switchboard/models/all-MiniLM-L6-v2"
    model_dir = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SWITCHBOARD_MODEL_DIR") or default_dir)
    sentences = (ROOT / "bench/data/sentences.txt").read_text(encoding="utf-8").splitlines()
    model = SentenceTransformer(str(model_dir), device="cpu")

    def run(label: str) -> float:
        cpu_start, start = time.process_time(), time.perf_counter()
        vectors = model.encode(sentences, batch_size=32)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        assert len(vectors) == len(sentences)
        print(f"{label}: {seconds:.2f} s wall, {cpu:.1f} s CPU")
        return len(sentences) / seconds

    run("warm-up")
    rates = sorted(run(f"pass {i}") for i in range(1, PASSES + 1))
    print(
        f"sentence-transformers {__import__('sentence_transformers').__version__} "
        f"(torch {torch.__version__}, {torch.get_num_threads()} threads): {len(sentences)} sentences, "
        f"median {statistics.median(rates):.0f} sentences/s (runs: {', '.join(f'{r:.0f}' for r in rates)})"
    )


if __name__ == "__main__":
    main()
