#!/usr/bin/env python3
"""Builds the retrieval evaluation sets under eval/ from BANKING77 and CLINC150.

Usage: python3 scripts/make-eval-data.py [DATA_DIR]

DATA_DIR holds banking77/ and clinc150/ as described in its README (default: ../shared/data
relative to the repository root). The output is deterministic: the same input gives the same
bytes. For each set it writes faqs.jsonl ({"id", "question", "variants", "answer"} per line)
and queries.jsonl ({"text", "expected"}; expected is an FAQ id, or null when out of scope),
the inputs of `switchboard eval retrieval`. See eval/README.md for what each set contains.

Standard library only (Python 3.11+).
"""

from __future__ import annotations

import csv
import json
import random
import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20240607
PHRASINGS = 10  # question + 9 variants per FAQ
BANKING_QUERIES = 20
BANKING_CI_QUERIES = 5
CLINC_QUERIES = 5
CLINC_CI_QUERIES = 2

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "eval"

# Words and names that a plain "replace underscores" would get wrong.
PHRASES = {
    "apple pay or google pay": "Apple Pay or Google Pay",
    "visa or mastercard": "Visa or Mastercard",
    "todo list": "to-do list",
    "rollover 401k": "401(k) rollover",
    "uber": "Uber",
}
WORDS = {"i": "I", "atm": "ATM", "pin": "PIN", "pto": "PTO", "apr": "APR", "mpg": "MPG", "w2": "W-2", "ai": "AI"}


def key(text: str) -> str:
    """What two utterances must differ in to count as different."""
    return re.sub(r"[\s?.!,]+", " ", text.casefold()).strip()


def topic(intent: str) -> str:
    """`card_arrival` -> `card arrival`, with acronyms and brand names fixed."""
    text = intent.replace("_", " ").rstrip("?").strip().lower()
    for plain, fixed in PHRASES.items():
        text = re.sub(rf"\b{re.escape(plain)}\b", fixed, text)
    return " ".join(WORDS.get(word, word) for word in text.split())


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def banking_answer(intent: str) -> str:
    subject = topic(intent)
    return (
        f"{capitalised(subject)}: the details depend on your account and the country you bank in, "
        f"and the Help section of the app has the steps that apply to you. If that does not settle "
        f"it, reply here and someone from our team will look into it."
    )


def clinc_answer(intent: str) -> str:
    subject = topic(intent)
    return (
        f"{capitalised(subject)}: this is the help article on {subject}. The answer depends on your "
        f"situation; reply with a few details and we will take it from there."
    )


def pick_question(phrasings: list[str]) -> str:
    """The phrasing of median length: a typical wording, neither terse nor rambling."""
    by_length = sorted(phrasings, key=len)
    return by_length[(len(by_length) - 1) // 2]


def faq(intent: str, phrasings: list[str], answer: str) -> dict:
    question = pick_question(phrasings)
    variants = [p for p in phrasings if p != question]
    return {"id": intent, "question": question, "variants": variants, "answer": answer}


def unambiguous(pairs: list[tuple[str, str]], banned: set[str] = frozenset()) -> dict[str, list[str]]:
    """Utterances by intent, first occurrence only, dropping any utterance that appears under
    two intents or whose key is in `banned`."""
    intents_of = defaultdict(set)
    for text, intent in pairs:
        intents_of[key(text)].add(intent)
    by_intent: dict[str, list[str]] = defaultdict(list)
    seen = set()
    for text, intent in pairs:
        k = key(text)
        if len(intents_of[k]) > 1 or k in banned or k in seen:
            continue
        seen.add(k)
        by_intent[intent].append(text.strip())
    return by_intent


def shuffled(items: list[str], intent: str, purpose: str) -> list[str]:
    # A string seed is hashed with SHA-512 by `random`, so this does not depend on PYTHONHASHSEED.
    items = list(items)
    random.Random(f"{SEED}:{purpose}:{intent}").shuffle(items)
    return items


def build_banking(data: Path) -> dict[str, tuple[list[dict], list[dict]]]:
    intents = json.loads((data / "categories.json").read_text(encoding="utf-8"))
    with (data / "train.csv").open(encoding="utf-8", newline="") as f:
        rows = [(row["text"], row["category"]) for row in csv.DictReader(f)]
    by_intent = unambiguous(rows)
    assert set(by_intent) == set(intents), "train.csv and categories.json disagree"

    faqs, queries, ci_queries = [], [], []
    for intent in intents:
        pool = shuffled(by_intent[intent], intent, "banking77")
        needed = PHRASINGS + BANKING_QUERIES
        assert len(pool) >= needed, f"{intent}: {len(pool)} utterances, need {needed}"
        faqs.append(faq(intent, pool[:PHRASINGS], banking_answer(intent)))
        held_apart = pool[PHRASINGS:needed]
        queries += [{"text": t, "expected": intent} for t in held_apart]
        ci_queries += [{"text": t, "expected": intent} for t in held_apart[:BANKING_CI_QUERIES]]
    return {"banking77": (faqs, queries), "ci/banking77": (faqs, ci_queries)}


def build_clinc(data: Path) -> dict[str, tuple[list[dict], list[dict]]]:
    splits = json.loads((data / "data_dev.json").read_text(encoding="utf-8"))
    domains = json.loads((data / "domains.json").read_text(encoding="utf-8"))
    intents = [intent for names in domains.values() for intent in names]

    # Phrasings come from train; nothing asked as a query (val, oos_val) may be one of them.
    asked = {key(text) for text, _ in splits["val"] + splits["oos_val"]}
    phrasings = unambiguous([tuple(p) for p in splits["train"]], banned=asked)
    val = unambiguous([tuple(p) for p in splits["val"]])
    assert set(phrasings) == set(intents) == set(val), "splits and domains.json disagree"
    out_of_scope = [{"text": text.strip(), "expected": None} for text, _ in splits["oos_val"]]

    faqs, queries, ci_queries = [], [], []
    for intent in intents:
        pool = shuffled(phrasings[intent], intent, "clinc150-train")
        assert len(pool) >= PHRASINGS, f"{intent}: {len(pool)} train utterances"
        faqs.append(faq(intent, pool[:PHRASINGS], clinc_answer(intent)))
        asked_here = shuffled(val[intent], intent, "clinc150-val")[:CLINC_QUERIES]
        assert len(asked_here) == CLINC_QUERIES, f"{intent}: too few val utterances"
        queries += [{"text": t, "expected": intent} for t in asked_here]
        ci_queries += [{"text": t, "expected": intent} for t in asked_here[:CLINC_CI_QUERIES]]
    return {
        "clinc150": (faqs, queries + out_of_scope),
        "ci/clinc150": (faqs, ci_queries + out_of_scope),
    }


def check(name: str, faqs: list[dict], queries: list[dict]) -> None:
    """The properties the evaluation relies on; a failure stops the script."""
    ids = [f["id"] for f in faqs]
    assert len(ids) == len(set(ids)), f"{name}: duplicate FAQ ids"
    phrasing_keys = {key(p) for f in faqs for p in [f["question"], *f["variants"]]}
    assert len(phrasing_keys) == PHRASINGS * len(faqs), f"{name}: repeated phrasings"
    for f in faqs:
        assert len(f["variants"]) == PHRASINGS - 1, f"{name}/{f['id']}: variants"
    query_keys = [key(q["text"]) for q in queries]
    assert len(query_keys) == len(set(query_keys)), f"{name}: repeated queries"
    leaked = phrasing_keys.intersection(query_keys)
    assert not leaked, f"{name}: queries among phrasings: {sorted(leaked)[:3]}"
    missing = {q["expected"] for q in queries} - set(ids) - {None}
    assert not missing, f"{name}: expected ids without an FAQ: {sorted(missing)}"


def write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data"
    sets = build_banking(data / "banking77") | build_clinc(data / "clinc150")
    for name, (faqs, queries) in sets.items():
        check(name, faqs, queries)
        write_jsonl(OUT / name / "faqs.jsonl", faqs)
        write_jsonl(OUT / name / "queries.jsonl", queries)
        dataset = name.removeprefix("ci/")
        shutil.copyfile(data / dataset / "LICENSE", OUT / name / "LICENSE")
        out_of_scope = sum(q["expected"] is None for q in queries)
        print(f"eval/{name}: {len(faqs)} FAQs, {len(queries)} queries ({out_of_scope} out of scope)")


if __name__ == "__main__":
    main()
