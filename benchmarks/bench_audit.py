"""Benchmark of `clausecheck audit` on a generated corpus: speed-up, memory, resume after a kill.

    python benchmarks/bench_audit.py [--documents 1000] [--small 200] [--work DIR]

1. Documents/s with 1 and with 2 workers on --documents generated documents (a fresh database each).
2. Peak memory (largest resident set of the audit process tree, from wait4) for --small and for
   --documents documents with 2 workers: bounded streaming means the two stay about equal.
3. Resume: an audit of --small documents is killed (SIGKILL to the whole process group) once a
   third of them are stored; the rerun must analyse only what was not stored.
Each audit runs as a separate `python -m clausecheck audit` process, as a user would run it.
Not a test: the README quotes one run.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.synthetic_corpus import generate  # noqa: E402

SUMMARY = re.compile(r"(\d+) analysed, (\d+) already stored, (\d+) errors")


def audit(corpus: Path, db: Path, jobs: int, kill_after: int | None = None) -> dict:
    """Run one audit process; return seconds, peak RSS (MB) and the summary counts."""
    cmd = [sys.executable, "-m", "clausecheck", "audit", str(corpus), "--db", str(db), "--jobs", str(jobs),
           "--manifest", str(corpus / "manifest.csv")]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    started = time.perf_counter()
    log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would block the audit
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, env=env, start_new_session=True)
    if kill_after is not None:
        while proc.poll() is None and _stored(db) < kill_after:
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)
    # wait4 reports the largest resident set over the process and the workers it waited for
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    log.seek(0)
    err = log.read().decode(errors="replace")
    m = SUMMARY.search(err)
    counts = dict(zip(("analysed", "skipped", "errors"), map(int, m.groups()))) if m else {}
    if kill_after is None and proc.returncode != 0:
        raise SystemExit(f"audit failed (exit {proc.returncode}): {err.strip()[-500:]}")
    return {"seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "exit": proc.returncode, **counts}


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and databases here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="clausecheck-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    big, small = work / f"corpus-{args.documents}", work / f"corpus-{args.small}"
    for folder, n in ((big, args.documents), (small, args.small)):
        if not (folder / "manifest.csv").exists():
            t = time.perf_counter()
            tenders = generate(folder, n)
            print(f"generated {len(tenders)} tenders ({n} documents) in {time.perf_counter() - t:.0f} s -> {folder}")

    rows = {}
    for jobs in (1, 2):
        db = work / f"speed-{jobs}.sqlite"
        db.unlink(missing_ok=True)
        rows[jobs] = r = audit(big, db, jobs)
        print(f"{args.documents} documents, {jobs} worker(s): {r['seconds']:.0f} s, {r['analysed'] / r['seconds']:.2f} documents/s, "
              f"{r['errors']} errors recorded, peak RSS {r['peak_mb']:.0f} MB")
    speedup = rows[1]["seconds"] / rows[2]["seconds"]
    print(f"speed-up with 2 workers: {speedup:.2f}x")

    db = work / "memory-small.sqlite"
    db.unlink(missing_ok=True)
    mem = audit(small, db, 2)
    print(f"peak RSS with 2 workers: {args.small} documents {mem['peak_mb']:.0f} MB, {args.documents} documents {rows[2]['peak_mb']:.0f} MB "
          f"(ratio {rows[2]['peak_mb'] / mem['peak_mb']:.2f})")

    db = work / "resume.sqlite"
    db.unlink(missing_ok=True)
    killed = audit(small, db, 2, kill_after=args.small // 3)
    stored = _stored(db)
    again = audit(small, db, 2)
    total = mem["analysed"]
    ok = again["skipped"] == stored and again["analysed"] == total - stored
    print(f"resume: killed after {killed['seconds']:.0f} s with {stored} documents stored; the rerun skipped {again['skipped']}, "
          f"analysed {again['analysed']} (expected {total - stored}): {'re-processed nothing already stored' if ok else 'MISMATCH'}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
