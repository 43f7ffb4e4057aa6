#!/usr/bin/env python3
"""Writes bench/data/sentences.txt, the embedding throughput corpus: 2,000 real customer
requests, one per line — every 10th BANKING77 training query and every 15th CLINC150 training
query (1,000 each), from ../shared/data (see bench/data/README.md for sources and licences)."""
import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared/data"
OUT = ROOT / "bench/data/sentences.txt"


def one_line(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    with open(DATA / "banking77/train.csv", newline="", encoding="utf-8") as f:
        banking = [row["text"] for row in csv.DictReader(f)][::10][:1000]
    with open(DATA / "clinc150/data_dev.json", encoding="utf-8") as f:
        clinc = [text for text, _intent in json.load(f)["train"]][::15][:1000]
    lines = [one_line(t) for t in banking + clinc]
    assert len(lines) == 2000 and all(lines)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} sentences to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
