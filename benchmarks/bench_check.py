"""Benchmark of `clausecheck check` against the text-extraction floor, side by side in one run.

    python benchmarks/bench_check.py [FILES...] [--repeat 3]   # default: samples + ../shared/real-tenders

For each PDF, the best of --repeat runs of:
  floor     pdfplumber's own `extract_text` over every page (the cost of reading the text at all)
  read      clausecheck's layout reader + segmentation (`extract`)
  analysis  everything after reading: segmentation, classification, facts, elements, checks and
            suggestions (`check` on a document already read)
  fast      the `--fast-pdf` reader (pypdfium2) + segmentation, and how many of the layout reader's
            numbered sections it finds (recall)
Then: start-up time of `clausecheck --help` (best of 5 fresh processes) and classifier throughput
(clauses/s on --lines corpus texts, one process). Prints Markdown for the README.
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from unittest.mock import patch

ROOT = Path(__file__).resolve().parent.parent


def default_files() -> list[Path]:
    files = sorted((ROOT / "samples").rglob("*.pdf"))
    real = ROOT.parent / "shared" / "real-tenders"
    return files + (sorted(real.glob("*.pdf")) if real.is_dir() else [])


def floor(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def best(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def startup(repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "clausecheck", "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def throughput(lines: int) -> tuple[float, float]:
    """Model load seconds and clauses/s over `lines` corpus texts, language detected per text."""
    from clausecheck.classify import Classifier, Item

    texts = [json.loads(l)["text"] for p in sorted((ROOT / "models" / "training").glob("*.jsonl")) for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
    items = [Item(str(i), t) for i, t in enumerate((texts * (lines // len(texts) + 1))[:lines])]
    start = time.perf_counter()
    classifier = Classifier()
    load = time.perf_counter() - start
    classifier.classify(items[:8])  # pipelines and lexicons load on first use
    start = time.perf_counter()
    for i in range(0, len(items), 512):
        classifier.classify(items[i : i + 512])
    return load, len(items) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from clausecheck.analysis import analyse_package
    from clausecheck.readers import read_document
    from clausecheck.segment import segment

    files = args.files or default_files()
    analyse_package([files[0]])  # warm: model, spaCy pipelines, lexicons
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, best of {args.repeat}\n")
    print("| PDF | pages | floor s | read s | analysis s | analysis / floor | check / floor | fast s | fast pages/s | fast recall |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in files:
        t_floor, pages = best(lambda: floor(path), args.repeat)
        t_read, numbers = best(lambda: {c.number for c in segment(read_document(path)) if c.number}, args.repeat)
        doc = read_document(path)
        with patch("clausecheck.readers.read_document", lambda *_a, **_k: doc):  # analysis alone
            analysis, _ = best(lambda: analyse_package([path]), args.repeat)
        t_check = t_read + analysis
        t_fast, fast = best(lambda: {c.number for c in segment(read_document(path, True)) if c.number}, args.repeat)
        recall = len(numbers & fast) / len(numbers) if numbers else 1.0
        print(f"| {path.name} | {pages} | {t_floor:.2f} | {t_read:.2f} | {analysis:.2f} | {analysis / t_floor:.0%} | "
              f"{t_check / t_floor:.2f} | {t_fast:.2f} | {pages / t_fast:.0f} | {recall:.2f} |")
    print(f"\n`clausecheck --help`: {startup():.2f} s (fresh process, best of 5)")
    load, rate = throughput(args.lines)
    print(f"classify: model load {load:.2f} s; {rate:,.0f} clauses/s on {args.lines:,} corpus texts (one process)")


if __name__ == "__main__":
    main()
