"""Peak memory of `clausecheck check` on long PDFs: 50, 100 and 500 pages (layout and --fast-pdf).

    python benchmarks/bench_memory.py [--source PDF] [--pages 50 100 500] [--work DIR]

The long PDFs repeat the pages of --source (default: the Region Sjælland contract in
../shared/real-tenders, else samples/services-en.pdf), made with pypdfium2. Each check runs as its
own process; peak resident memory comes from wait4. Not a test: the README quotes one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGION = ROOT.parent / "shared" / "real-tenders" / "region-sjaelland-kontrakt-juridisk-raadgivning.pdf"


def long_pdf(source: Path, pages: int, out: Path) -> Path:
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(source)
    dst = pdfium.PdfDocument.new()
    while len(dst) < pages:
        dst.import_pages(src, list(range(min(len(src), pages - len(dst)))))
    dst.save(out)
    return out


def run(args: list[str]) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB and exit code of one clausecheck process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "clausecheck", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, OMP_NUM_THREADS="1"))
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=REGION if REGION.exists() else ROOT / "samples" / "services-en.pdf")
    parser.add_argument("--pages", type=int, nargs="+", default=[50, 100, 500])
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="clausecheck-mem-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"source: {args.source.name}\n")
    print("| pages | reader | seconds | peak RSS MB | exit |")
    print("|---:|---|---:|---:|---:|")
    for pages in args.pages:
        pdf = long_pdf(args.source, pages, work / f"long-{pages}.pdf")
        for label, extra in (("layout", []), ("--fast-pdf", ["--fast-pdf"])):
            seconds, peak, code = run(["check", str(pdf), "-o", str(work / f"review-{pages}.json"), *extra])
            print(f"| {pages} | {label} | {seconds:.0f} | {peak:.0f} | {code} |")


if __name__ == "__main__":
    main()
