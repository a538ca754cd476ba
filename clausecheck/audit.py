"""Bulk audit: many tenders into one SQLite database, in parallel, resumable, never stopped by one
bad file.

Each PATH given is expanded into tenders: a folder's sub-folders, ZIP archives and loose documents
are one tender each (`--as-tender` treats a folder itself as one tender). The unit of work is one
document, analysed by `process_document` in a worker process (or on a Dask cluster) under a time
limit; documents already stored (same SHA-256) are not analysed again. When all documents of a
tender are in, its facts are merged and the checks run on what is stored, so a resumed run gives
the same findings as an uninterrupted one. Only the main process writes to the database.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS tenders (
  id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, name TEXT, path TEXT,
  buyer TEXT, year INTEGER, contract_type TEXT, url TEXT,
  value_dkk REAL, duration_months REAL, cpv TEXT,
  documents INTEGER, social_clauses INTEGER, quality_score REAL, status TEXT, updated_at TEXT);
CREATE TABLE IF NOT EXISTS documents (
  sha256 TEXT PRIMARY KEY, tender_id INTEGER REFERENCES tenders(id), name TEXT, path TEXT, format TEXT,
  pages INTEGER, lang TEXT, clauses INTEGER, seconds REAL, analysis TEXT, processed_at TEXT);
CREATE TABLE IF NOT EXISTS clauses (
  id TEXT, document_sha256 TEXT REFERENCES documents(sha256), tender_id INTEGER, number TEXT, heading TEXT,
  text TEXT, start INTEGER, "end" INTEGER, pages TEXT, social INTEGER, strength TEXT, placement TEXT, elements TEXT,
  PRIMARY KEY (document_sha256, id));
CREATE TABLE IF NOT EXISTS labels (
  document_sha256 TEXT, clause_id TEXT, label TEXT, score REAL, PRIMARY KEY (document_sha256, clause_id, label));
CREATE TABLE IF NOT EXISTS findings (
  tender_id INTEGER REFERENCES tenders(id), code TEXT, severity TEXT, family TEXT, document TEXT, clause_id TEXT, message TEXT);
CREATE TABLE IF NOT EXISTS facts (
  tender_id INTEGER REFERENCES tenders(id), name TEXT, value TEXT, source TEXT, evidence TEXT, PRIMARY KEY (tender_id, name));
CREATE TABLE IF NOT EXISTS errors (
  tender_id INTEGER, path TEXT, sha256 TEXT, error TEXT, at TEXT);
CREATE INDEX IF NOT EXISTS findings_tender ON findings(tender_id);
CREATE INDEX IF NOT EXISTS labels_label ON labels(label);
"""


@dataclass
class Tender:
    key: str  # stable: the resolved path
    name: str
    path: str
    documents: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


# --- discovery -------------------------------------------------------------------------------------


# files beside the tenders that are not tender documents: manifests, databases, reports
SIDECAR_SUFFIXES = {".csv", ".json", ".jsonl", ".sqlite", ".db", ".html", ".log"}


def discover(paths: list[str | Path], as_tender: bool = False) -> list[Tender]:
    from clausecheck.package import DOCUMENT_SUFFIXES, _pick

    tenders: list[Tender] = []

    def from_folder(folder: Path) -> Tender:
        files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
        docs = _pick([p for p in files if p.suffix.lower() in DOCUMENT_SUFFIXES]) + sorted(p for p in files if p.suffix.lower() == ".zip")
        return Tender(str(folder.resolve()), folder.name, str(folder), [str(p) for p in docs])

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            tenders.append(Tender(str(path), path.name, str(path), [str(path)]))  # recorded as an error later
        elif path.is_dir() and as_tender:
            tenders.append(from_folder(path))
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if child.name.startswith(".") or child.suffix.lower() in SIDECAR_SUFFIXES:
                    continue
                if child.is_dir():
                    tenders.append(from_folder(child))
                elif child.suffix.lower() in DOCUMENT_SUFFIXES or child.suffix.lower() in (".zip", ".xml") or child.is_file():
                    tenders.append(Tender(str(child.resolve()), child.stem, str(child), [str(child)]))
        else:
            tenders.append(Tender(str(path.resolve()), path.stem, str(path), [str(path)]))
    return tenders


def read_manifest(path: str | Path) -> dict[str, dict[str, Any]]:
    """CSV with a `path` (or `name`) column and any of buyer, year, contract_type, url."""
    rows: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (row.get("path") or row.get("name") or "").strip()
            if key:
                rows[key] = {k: (v or "").strip() for k, v in row.items() if k in ("buyer", "year", "contract_type", "url") and v}
    return rows


# --- the unit of work (runs in a worker) ------------------------------------------------------------


class _Timeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float | None):
    import threading

    if not seconds or not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield  # signals only work in a process's main thread (not in Dask's threaded workers)
        return

    def handler(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def sha256_of(path: str) -> str | None:
    import hashlib

    try:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def process_document(path: str, lang: str | None = None, timeout: float | None = 120.0, fast_pdf: bool = False) -> dict[str, Any]:
    """Read and analyse one document; always returns a dict (an error is a result, not a crash)."""
    from clausecheck.analysis import analyse_document
    from clausecheck.errors import ClauseCheckError
    from clausecheck.readers import read_document

    started = time.perf_counter()
    sha = sha256_of(path)
    try:
        with _time_limit(timeout):
            doc = read_document(path, fast_pdf)
            analysis, clauses = analyse_document(doc, lang)
    except _Timeout:
        return {"path": path, "sha256": sha, "error": f"{Path(path).name} took longer than the {timeout:g} s limit per document."}
    except ClauseCheckError as exc:
        return {"path": path, "sha256": sha, "error": str(exc)}
    except Exception as exc:  # a bug must not stop a batch: record it
        return {"path": path, "sha256": sha, "error": f"internal error ({type(exc).__name__}: {exc})"}
    by_id = {c.clause.id: c for c in clauses}
    records = []
    for clause in analysis.clauses:
        a = by_id.get(clause.id)
        records.append({
            "id": clause.id, "number": clause.number, "heading": clause.heading, "heading_path": list(clause.heading_path),
            "text": clause.text, "start": clause.start, "end": clause.end, "pages": list(clause.pages), "paragraph": clause.paragraph,
            "kind": clause.kind, "labels": a.labels if a else [], "scores": a.scores if a else {},
            "strength": a.strength if a else None, "strength_scores": a.strength_scores if a else {},
            "placement": a.placement if a else None, "placement_evidence": a.placement_evidence if a else None,
            "elements": {k: asdict(v) for k, v in a.elements.items()} if a else {},
        })
    return {
        "path": path, "sha256": doc.sha256, "name": doc.name, "format": doc.format, "pages": doc.pages,
        "lang": analysis.lang, "lang_supported": analysis.lang_supported, "warnings": analysis.warnings,
        "facts": analysis.facts.to_dict(), "clauses": records, "seconds": round(time.perf_counter() - started, 3),
    }


def _facts_from_json(data: dict):
    from clausecheck.facts import ContractFacts, Evidence, Fact

    def fact(d):
        if not d:
            return None
        ev = d.get("evidence")
        value = tuple(d["value"]) if isinstance(d["value"], list) else d["value"]
        return Fact(value, Evidence(**ev) if ev else None, d.get("confidence", 1.0))

    facts = ContractFacts()
    for name in facts.__dataclass_fields__:
        if name == "cpv":
            facts.cpv = [fact(c) for c in data.get("cpv", [])]
        else:
            setattr(facts, name, fact(data.get(name)))
    return facts


def _clause_analyses(doc: dict) -> list:
    from clausecheck.analysis import ClauseAnalysis
    from clausecheck.document import Clause
    from clausecheck.elements import ElementHit

    out = []
    for r in doc["clauses"]:
        clause = Clause(r["id"], r["number"], r["heading"], tuple(r["heading_path"]), r["text"], r["start"], r["end"], tuple(r["pages"]), (), r["kind"], paragraph=r.get("paragraph"))
        out.append(
            ClauseAnalysis(
                clause=clause, document=doc["name"], lang=doc["lang"], labels=r["labels"], scores=r["scores"],
                strength=r["strength"] or "info", strength_scores=r["strength_scores"], placement=r["placement"] or "unknown",
                placement_evidence=r["placement_evidence"], elements={k: ElementHit(**v) for k, v in r["elements"].items()}, evidence=[],
            )
        )
    return out


# --- the database ----------------------------------------------------------------------------------


def connect(db: str | Path) -> sqlite3.Connection:
    con = sqlite3.connect(str(db))
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.executescript(SCHEMA)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return con


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")


def _tender_id(con: sqlite3.Connection, tender: Tender) -> int:
    row = con.execute("SELECT id FROM tenders WHERE key = ?", (tender.key,)).fetchone()
    if row:
        return row[0]
    cur = con.execute("INSERT INTO tenders (key, name, path, status, updated_at) VALUES (?, ?, ?, 'pending', ?)", (tender.key, tender.name, tender.path, _now()))
    return cur.lastrowid


def _store_document(con: sqlite3.Connection, tender_id: int, result: dict) -> None:
    con.execute(
        "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (result["sha256"], tender_id, result["name"], result["path"], result["format"], result["pages"], result["lang"],
         len(result["clauses"]), result["seconds"], json.dumps(result, ensure_ascii=False), _now()),
    )
    con.execute("DELETE FROM clauses WHERE document_sha256 = ?", (result["sha256"],))
    con.execute("DELETE FROM labels WHERE document_sha256 = ?", (result["sha256"],))
    for r in result["clauses"]:
        con.execute(
            "INSERT OR REPLACE INTO clauses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r["id"], result["sha256"], tender_id, r["number"], r["heading"], r["text"], r["start"], r["end"], json.dumps(r["pages"]),
             int(bool(r["labels"])), r["strength"] if r["labels"] else None, r["placement"] if r["labels"] else None, " ".join(sorted(r["elements"]))),
        )
        for label in r["labels"]:
            con.execute("INSERT OR REPLACE INTO labels VALUES (?, ?, ?, ?)", (result["sha256"], r["id"], label, r["scores"].get(label)))


def _finish_tender(con: sqlite3.Connection, tender_id: int, tender: Tender, profile: str) -> None:
    """Merge facts and run the checks for a tender from what is stored."""
    from clausecheck.analysis import DocumentAnalysis, PackageAnalysis
    from clausecheck.checks import Context, run_checks
    from clausecheck.facts import merge, override
    from clausecheck.policy import load_profile, thresholds
    from clausecheck.review import _quality_score

    docs = [json.loads(row[0]) for row in con.execute("SELECT analysis FROM documents WHERE tender_id = ? ORDER BY name", (tender_id,))]
    con.execute("DELETE FROM findings WHERE tender_id = ?", (tender_id,))
    con.execute("DELETE FROM facts WHERE tender_id = ?", (tender_id,))
    meta = tender.meta
    year = meta.get("year")
    year = int(year) if year and str(year).isdigit() else None
    if not docs:  # the manifest still says whose tender failed
        con.execute(
            "UPDATE tenders SET status = 'failed', documents = 0, buyer = ?, year = ?, contract_type = ?, url = ?, updated_at = ? WHERE id = ?",
            (meta.get("buyer"), year, meta.get("contract_type"), meta.get("url"), _now(), tender_id),
        )
        return
    clauses = [c for d in docs for c in _clause_analyses(d)]
    facts = merge([_facts_from_json(d["facts"]) for d in docs])
    if meta.get("contract_type") in ("works", "services", "supplies"):
        facts = override(facts, contract_type=meta["contract_type"])
    prof = load_profile(profile)
    langs = [d["lang"] for d in docs if d["lang_supported"]]
    lang = max(set(langs), key=langs.count) if langs else "en"
    findings = run_checks(Context(clauses, facts, prof, thresholds(), lang)) if langs else []
    for f in findings:
        con.execute("INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)", (tender_id, f.code, f.severity, f.family, f.document, f.clause_id, f.message))
    for name, value in facts.to_dict().items():
        if name == "total_months" or value in (None, []):
            continue
        if name == "cpv":
            con.execute("INSERT INTO facts VALUES (?, ?, ?, ?, ?)", (tender_id, name, ";".join(c["value"] for c in value), value[0]["evidence"]["source"], value[0]["evidence"].get("context", "")))
        else:
            ev = value.get("evidence") or {}
            con.execute("INSERT INTO facts VALUES (?, ?, ?, ?, ?)", (tender_id, name, json.dumps(value["value"], ensure_ascii=False), ev.get("source"), ev.get("context", "")))
    quality = _quality_score(PackageAnalysis(tender.name, [], clauses, facts, prof, findings, lang))
    con.execute(
        """UPDATE tenders SET buyer = ?, year = ?, contract_type = ?, url = ?, value_dkk = ?, duration_months = ?, cpv = ?,
           documents = ?, social_clauses = ?, quality_score = ?, status = 'done', updated_at = ? WHERE id = ?""",
        (
            meta.get("buyer") or (facts.buyer.value if facts.buyer else None),
            year,
            facts.contract_type.value if facts.contract_type else None,
            meta.get("url"),
            facts.value_dkk.value if facts.value_dkk else None,
            facts.total_months,
            ";".join(c.value for c in facts.cpv) or None,
            len(docs), sum(1 for c in clauses if c.labels), quality, _now(), tender_id,
        ),
    )


# --- running ---------------------------------------------------------------------------------------


@dataclass
class AuditStats:
    tenders: int = 0
    documents: int = 0
    analysed: int = 0
    skipped: int = 0
    errors: int = 0
    seconds: float = 0.0


def _local_map(jobs: int, work: Callable[[str], dict]) -> Callable[[list[str]], Iterator[dict]]:
    def run(paths: list[str]) -> Iterator[dict]:
        if jobs <= 1:
            for p in paths:
                yield work(p)
            return
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init) as pool:
            pending = set()
            it = iter(paths)
            for p in it:  # keep a bounded number of documents in flight: memory stays flat
                pending.add(pool.submit(work, p))
                if len(pending) >= jobs * 4:
                    break
            while pending:
                done = next(as_completed(pending))
                pending.discard(done)
                nxt = next(it, None)
                if nxt is not None:
                    pending.add(pool.submit(work, nxt))
                yield done.result()

    return run


def _worker_init() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from clausecheck.classify import default_classifier

    default_classifier()  # load the model once per worker


def _dask_map(scheduler: str, work: Callable[[str], dict]) -> Callable[[list[str]], Iterator[dict]]:
    def run(paths: list[str]) -> Iterator[dict]:
        try:
            from dask.distributed import Client, as_completed as dask_completed
        except ImportError:
            from clausecheck.errors import ClauseCheckError

            raise ClauseCheckError("the Dask executor needs the optional extra: pip install 'clausecheck[dask]'.") from None
        with Client(scheduler) as client:
            futures = client.map(work, paths, pure=False)
            for future in dask_completed(futures):
                yield future.result()

    return run


def run_audit(
    paths: list[str | Path], db: str | Path, jobs: int = 1, lang: str | None = None, profile: str = "national",
    manifest: str | Path | None = None, timeout: float | None = 120.0, as_tender: bool = False,
    executor: str = "local", scheduler: str | None = None, progress: Callable[[int, int], None] | None = None,
    fast_pdf: bool = False,
) -> AuditStats:
    started = time.perf_counter()
    tenders = discover(paths, as_tender)
    meta = read_manifest(manifest) if manifest else {}
    for t in tenders:
        t.meta = meta.get(t.path) or meta.get(t.name) or meta.get(t.key) or {}
    con = connect(db)
    stats = AuditStats(tenders=len(tenders))
    from clausecheck.package import safe_extract
    import tempfile

    tmp = tempfile.TemporaryDirectory(prefix="clausecheck-audit-")
    todo: list[str] = []
    owner: dict[str, tuple[Tender, int]] = {}
    remaining: dict[int, int] = defaultdict(int)
    try:
        for t in tenders:
            tid = _tender_id(con, t)
            con.execute("DELETE FROM errors WHERE tender_id = ?", (tid,))
            files: list[str] = []
            for doc in t.documents:
                if doc.lower().endswith(".zip"):
                    try:
                        target = Path(tmp.name) / f"t{tid}" / Path(doc).stem
                        files.extend(str(p) for p in safe_extract(Path(doc), target))
                    except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                        con.execute("INSERT INTO errors VALUES (?, ?, ?, ?, ?)", (tid, doc, sha256_of(doc), str(exc), _now()))
                        stats.errors += 1
                else:
                    files.append(doc)
            for f in files:
                stats.documents += 1
                sha = sha256_of(f)
                if sha and con.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha,)).fetchone():
                    con.execute("UPDATE documents SET tender_id = ? WHERE sha256 = ?", (tid, sha))
                    stats.skipped += 1
                    continue
                todo.append(f)
                owner[f] = (t, tid)
                remaining[tid] += 1
        con.commit()
        for t in tenders:  # tenders with nothing left to analyse are finished now (resume)
            tid = _tender_id(con, t)
            if remaining[tid] == 0:
                _finish_tender(con, tid, t, profile)
        con.commit()
        work = partial(process_document, lang=lang, timeout=timeout, fast_pdf=fast_pdf)  # picklable for workers
        mapper = _dask_map(scheduler or "", work) if executor == "dask" else _local_map(jobs, work)
        done = 0
        if progress:
            progress(0, len(todo))
        for result in mapper(todo):
            t, tid = owner[result["path"]]
            if "error" in result:
                con.execute("INSERT INTO errors VALUES (?, ?, ?, ?, ?)", (tid, result["path"], result.get("sha256"), result["error"], _now()))
                stats.errors += 1
            else:
                _store_document(con, tid, result)
                stats.analysed += 1
            remaining[tid] -= 1
            if remaining[tid] == 0:
                _finish_tender(con, tid, t, profile)
            con.commit()
            done += 1
            if progress:
                progress(done, len(todo))
    finally:
        con.commit()
        con.close()
        tmp.cleanup()
    stats.seconds = round(time.perf_counter() - started, 2)
    return stats


# --- export ------------------------------------------------------------------------------------------

EXPORT_QUERIES = {
    "tenders": "SELECT id, name, path, buyer, year, contract_type, url, value_dkk, duration_months, cpv, documents, social_clauses, quality_score, status FROM tenders ORDER BY id",
    "clauses": """SELECT t.name AS tender, t.buyer, t.year, d.name AS document, c.number, c.heading, c.strength, c.placement, c.elements,
                  (SELECT group_concat(label, ';') FROM labels l WHERE l.document_sha256 = c.document_sha256 AND l.clause_id = c.id) AS labels, c.text
                  FROM clauses c JOIN documents d ON d.sha256 = c.document_sha256 JOIN tenders t ON t.id = d.tender_id WHERE c.social = 1 ORDER BY t.id, d.name, c.start""",
    "findings": "SELECT t.name AS tender, t.buyer, t.year, f.code, f.severity, f.family, f.document, f.clause_id, f.message FROM findings f JOIN tenders t ON t.id = f.tender_id ORDER BY t.id, f.code",
    "errors": "SELECT t.name AS tender, e.path, e.sha256, e.error, e.at FROM errors e LEFT JOIN tenders t ON t.id = e.tender_id ORDER BY e.at",
}


def export(db: str | Path, level: str, fmt: str) -> str:
    import io

    con = sqlite3.connect(str(db))
    try:
        cur = con.execute(EXPORT_QUERIES[level])
        columns = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    if fmt == "jsonl":
        return "".join(json.dumps(dict(zip(columns, r)), ensure_ascii=False) + "\n" for r in rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
