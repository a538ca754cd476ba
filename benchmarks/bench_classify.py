"""Benchmark of `clausecheck classify`: model load time and clauses/s on N lines, one process.

    python benchmarks/bench_classify.py [--lines 10000] [--source models/training]

Lines are the training corpus texts, cycled to N (a realistic mix of lengths and languages).
Not a test: the README quotes one run.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--source", type=Path, default=ROOT / "models" / "training")
    parser.add_argument("--batch-size", type=int, default=512)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    texts = []
    for path in sorted(args.source.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append((row["text"], row.get("lang")))
    items_src = (texts * (args.lines // max(1, len(texts)) + 1))[: args.lines]

    start = time.perf_counter()
    from clausecheck.classify import Classifier, Item

    classifier = Classifier()
    load = time.perf_counter() - start
    start = time.perf_counter()
    classifier.classify([Item("warm", "Leverandøren skal beskæftige lærlinge.", "da"), Item("warm2", "The supplier shall pay fair wages.", "en")])
    warm = time.perf_counter() - start  # spaCy pipelines and lexicons load on first use

    items = [Item(str(i), text) for i, (text, _) in enumerate(items_src)]
    start = time.perf_counter()
    for i in range(0, len(items), args.batch_size):
        classifier.classify(items[i : i + args.batch_size])
    elapsed = time.perf_counter() - start
    chars = sum(len(t) for t, _ in items_src) / len(items_src)
    print(f"model load {load:.2f} s, first call (pipelines, lexicons) {warm:.2f} s")
    print(f"{len(items)} lines (mean {chars:.0f} chars, language detected per line): {elapsed:.2f} s = {len(items) / elapsed:,.0f} clauses/s on one process")


if __name__ == "__main__":
    main()
