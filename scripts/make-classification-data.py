#!/usr/bin/env python3
"""Builds the classification evaluation sets under eval/classification and eval/ci/classification.

Usage: python3 scripts/make-classification-data.py [DATA_DIR]

DATA_DIR holds banking77/ and clinc150/ (default: ../shared/data relative to the repository
root). Writes train.jsonl and test.jsonl ({"text", "label"} per line), the inputs of
`switchboard eval classification`:

- banking77: train.csv split per intent, 80% train / 20% test (shuffled with a fixed seed).
- clinc150: train plus oos_train (label "oos") / val plus oos_val (label "oos").
- ci/classification/*: small samples of the above for the CI gate (see eval/README.md).

Deterministic (the same input gives the same bytes). Standard library only (Python 3.11+).
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20240607
BANKING_TEST_SHARE = 0.2
BANKING_CI = (20, 5)  # train, test utterances per intent
CLINC_CI = (10, 2)
OOS = "oos"

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "eval"


def shuffled(items: list, purpose: str) -> list:
    # A string seed is hashed with SHA-512 by `random`, so this does not depend on PYTHONHASHSEED.
    items = list(items)
    random.Random(f"{SEED}:{purpose}").shuffle(items)
    return items


def rows(pairs) -> list[dict]:
    return [{"text": text.strip(), "label": label} for text, label in pairs]


def by_label(records: list[dict]) -> dict[str, list[dict]]:
    out = defaultdict(list)
    for r in records:
        out[r["label"]].append(r)
    return out


def sample(records: list[dict], per_label: int, keep_oos: bool) -> list[dict]:
    """The first `per_label` of each label in file order (all out-of-scope ones if kept)."""
    out = []
    for label, group in by_label(records).items():
        out += group if label == OOS and keep_oos else group[:per_label]
    return out


def build_banking(data: Path) -> tuple[list[dict], list[dict]]:
    with (data / "train.csv").open(encoding="utf-8", newline="") as f:
        pairs = [(row["text"], row["category"]) for row in csv.DictReader(f)]
    train, test = [], []
    for label, group in sorted(by_label(rows(pairs)).items()):
        group = shuffled(group, f"banking77-split:{label}")
        cut = round(len(group) * BANKING_TEST_SHARE)
        test += group[:cut]
        train += group[cut:]
    return shuffled(train, "banking77-train"), shuffled(test, "banking77-test")


def build_clinc(data: Path) -> tuple[list[dict], list[dict]]:
    splits = json.loads((data / "data_dev.json").read_text(encoding="utf-8"))
    train = rows(splits["train"]) + rows((t, OOS) for t, _ in splits["oos_train"])
    test = rows(splits["val"]) + rows((t, OOS) for t, _ in splits["oos_val"])
    return shuffled(train, "clinc150-train"), shuffled(test, "clinc150-test")


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data"
    b_train, b_test = build_banking(data / "banking77")
    c_train, c_test = build_clinc(data / "clinc150")
    sets = {
        "classification/banking77": (b_train, b_test),
        "classification/clinc150": (c_train, c_test),
        "ci/classification/banking77": (sample(b_train, BANKING_CI[0], False), sample(b_test, BANKING_CI[1], False)),
        "ci/classification/clinc150": (sample(c_train, CLINC_CI[0], True), sample(c_test, CLINC_CI[1], True)),
    }
    for name, (train, test) in sets.items():
        assert set(by_label(test)) <= set(by_label(train)), f"{name}: a test label is never trained"
        write_jsonl(OUT / name / "train.jsonl", train)
        write_jsonl(OUT / name / "test.jsonl", test)
        dataset = name.rsplit("/", 1)[1]
        shutil.copyfile(data / dataset / "LICENSE", OUT / name / "LICENSE")
        print(f"eval/{name}: {len(train)} train, {len(test)} test, {len(by_label(train))} labels")


if __name__ == "__main__":
    main()
