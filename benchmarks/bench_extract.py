"""Benchmark of `clausecheck extract` (read + segment) against the plain text extraction floor.

    python benchmarks/bench_extract.py [FILES...]   # default: the samples and ../shared/real-tenders

For each file: the best of --repeat runs of (a) the floor, pdfplumber's own `extract_text` over
every page (DOCX: python-docx paragraph text), and (b) clausecheck's reader and segmenter.
Prints a Markdown table: pages, clauses, seconds, pages/s and the ratio (b)/(a).
Not a test: figures depend on the machine; the README quotes one run.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def default_files() -> list[Path]:
    files = sorted((ROOT / "samples").rglob("*.pdf")) + sorted((ROOT / "samples").rglob("*.docx"))
    real = ROOT.parent / "shared" / "real-tenders"
    if real.is_dir():
        files += sorted(real.glob("*.pdf")) + sorted(real.glob("*.docx"))
    return files


def floor(path: Path) -> int:
    """Plain text extraction; returns the page count (0 for DOCX)."""
    if path.suffix.lower() == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            pages = 0
            for page in pdf.pages:
                page.extract_text()
                page.close()
                pages += 1
        return pages
    import docx

    "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return 0


def ours(path: Path) -> int:
    from clausecheck.readers import read_document
    from clausecheck.segment import segment

    return len(segment(read_document(path)))


def best(fn, path: Path, repeat: int) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(path)
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = args.files or default_files()
    ours(files[0])  # warm imports and lexicons outside the timings
    print(f"Python {platform.python_version()}, {platform.machine()}, best of {args.repeat}\n")
    print("| file | pages | clauses | floor s | extract s | pages/s | extract / floor |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total_floor = total_ours = total_pages = 0.0
    for path in files:
        t_floor, pages = best(floor, path, args.repeat)
        t_ours, clauses = best(ours, path, args.repeat)
        rate = f"{pages / t_ours:.1f}" if pages else "–"
        print(f"| {path.name} | {pages or '–'} | {clauses} | {t_floor:.2f} | {t_ours:.2f} | {rate} | {t_ours / t_floor:.2f} |")
        if pages:
            total_floor += t_floor
            total_ours += t_ours
            total_pages += pages
    if total_pages:
        print(f"| **all PDFs** | {total_pages:.0f} | | {total_floor:.2f} | {total_ours:.2f} | {total_pages / total_ours:.1f} | {total_ours / total_floor:.2f} |")


if __name__ == "__main__":
    main()
