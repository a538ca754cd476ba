"""Bulk audit: broken files are recorded and the rest completes, resume re-processes nothing,
export, dashboard in a real browser, Dask executor equals local; eForms notices."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from clausecheck.audit import export, run_audit
from tests.conftest import ROOT, SAMPLES

NOTICES = ROOT.parent / "shared" / "eforms" / "notices"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(SAMPLES / "construction-da", root / "fjordby-2026")
    shutil.copy(SAMPLES / "cleaning-da.docx", root / "egeskov-cleaning.docx")
    shutil.copy(SAMPLES / "it-supply-da.pdf", root / "noerre-vium-it.pdf")
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    (root / "empty.docx").write_bytes(b"")
    return root


def _table(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def audited(corpus, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("db") / "audit.sqlite"
    manifest = tmp_path_factory.mktemp("m") / "manifest.csv"
    manifest.write_text("name,buyer,year,contract_type\nfjordby-2026,Fjordby Kommune,2026,works\negeskov-cleaning,Egeskov Kommune,2025,services\n", encoding="utf-8")
    stats = run_audit([corpus], db, jobs=2, manifest=manifest)
    assert (stats.tenders, stats.errors) == (5, 2)
    assert stats.analysed == 4  # construction (2 documents, DOCX preferred over PDF), cleaning, IT
    return db


def test_errors_recorded_and_the_rest_complete(audited: Path) -> None:
    errors = dict(_table(audited, "SELECT t.name, e.error FROM errors e JOIN tenders t ON t.id = e.tender_id"))
    assert set(errors) == {"broken", "empty"}
    assert "damaged or truncated" in errors["broken"] and "is empty" in errors["empty"]
    done = dict(_table(audited, "SELECT name, status FROM tenders"))
    assert done["fjordby-2026"] == done["egeskov-cleaning"] == done["noerre-vium-it"] == "done"
    assert done["broken"] == "failed"
    year, buyer = _table(audited, "SELECT year, buyer FROM tenders WHERE name = 'fjordby-2026'")[0]
    assert (year, buyer) == (2026, "Fjordby Kommune")  # from the manifest
    codes = {c for (c,) in _table(audited, "SELECT code FROM findings f JOIN tenders t ON t.id = f.tender_id WHERE t.name = 'fjordby-2026'")}
    assert {"C301", "L201", "L203", "L204"} <= codes


def test_resume_reprocesses_nothing(audited: Path, corpus: Path) -> None:
    before = _table(audited, "SELECT code, clause_id FROM findings ORDER BY 1, 2")
    stats = run_audit([corpus], audited, jobs=1)
    assert stats.analysed == 0 and stats.skipped == 4
    assert _table(audited, "SELECT code, clause_id FROM findings ORDER BY 1, 2") == before


def test_export_csv_and_jsonl(audited: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(export(audited, "tenders", "csv"))))
    assert {r["name"] for r in rows} == {"fjordby-2026", "egeskov-cleaning", "noerre-vium-it", "broken", "empty"}
    findings = [json.loads(l) for l in export(audited, "findings", "jsonl").splitlines()]
    assert findings and {"tender", "code", "severity", "message"} <= set(findings[0])
    clauses = list(csv.DictReader(io.StringIO(export(audited, "clauses", "csv"))))
    assert clauses and all(r["labels"] for r in clauses)


def test_dashboard_renders_in_a_browser(audited: Path, tmp_path: Path, run) -> None:
    from tests.test_writers import CHROMIUM, CHROMIUM_ARGS

    out = tmp_path / "dashboard.html"
    assert run("audit", "report", str(audited), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.count("<svg") >= 6 and 'href="#tender-' in html and "fjordby-2026" in html
    assert "Kontrakttype: udbud med mindst én social klausul" in html and "tenders with" not in html  # Danish by default
    english = tmp_path / "dashboard-en.html"
    assert run("audit", "report", str(audited), "-o", str(english), "--lang", "en").exit_code == 0
    assert "Contract type: tenders with any social clause" in english.read_text(encoding="utf-8")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri())
        assert errors == [] and page.locator("svg rect").count() > 8
        browser.close()


def test_dask_executor_equals_local(audited: Path, corpus: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        db = tmp_path / "dask.sqlite"
        stats = run_audit([corpus], db, executor="dask", scheduler=cluster.scheduler_address)
    assert stats.analysed == 4 and stats.errors == 2
    query = "SELECT t.name, f.code, f.clause_id FROM findings f JOIN tenders t ON t.id = f.tender_id ORDER BY 1, 2, 3"
    assert _table(db, query) == _table(audited, query)
    labels = "SELECT document_sha256, clause_id, label FROM labels ORDER BY 1, 2, 3"
    assert _table(db, labels) == _table(audited, labels)


@pytest.mark.parametrize("name", sorted(p.name for p in NOTICES.glob("*.xml")) if NOTICES.exists() else ["(no notices)"])
def test_every_eforms_notice(name: str) -> None:
    from clausecheck.errors import InputError
    from clausecheck.readers.eforms import label, notice_facts, read_notice

    path = NOTICES / name
    if not path.exists():
        pytest.skip("../shared/eforms not available")
    if name.startswith("INVALID"):
        with pytest.raises(InputError, match="not a valid eForms notice"):
            read_notice(path)
        return
    notice = read_notice(path)
    assert notice.procedure.contract_nature in ("works", "services", "supplies")
    assert notice.procedure.main_cpv and len(notice.procedure.main_cpv) == 8
    facts = notice_facts(notice)
    assert facts.contract_type.value == notice.procedure.contract_nature and facts.cpv
    if name == "cn_24_maximal.xml":
        assert notice.social_objectives == ["acc-all"] and notice.reserved == ["res-pub-ser"] and notice.reserved_execution
        assert label("social-objective", "acc-all", "da") == "Adgangsmuligheder for alle"
    if name == "cn-social_25.xml":
        assert set(notice.social_objectives) == {"acc-all", "opp"}
        assert facts.value_dkk is None  # a currency without a known rate is not guessed
    if name == "pin-cfc-social_24.xml":
        assert notice.reserved == ["res-ws"]


def test_eforms_refuses_entities(tmp_path: Path) -> None:
    from clausecheck.errors import InputError
    from clausecheck.readers.eforms import read_notice

    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><ContractNotice>&b;</ContractNotice>')
    with pytest.raises(InputError, match="DTD or entities"):
        read_notice(bomb)
    xxe = tmp_path / "xxe.xml"
    xxe.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ContractNotice>&e;</ContractNotice>')
    with pytest.raises(InputError, match="DTD or entities"):
        read_notice(xxe)


def test_generated_corpus_with_broken_files(tmp_path: Path) -> None:
    """The benchmark's generator: variations of the samples plus broken files, audited end to end."""
    from benchmarks.synthetic_corpus import generate

    corpus = tmp_path / "corpus"
    tenders = generate(corpus, documents=14, seed=3, broken=0.3)
    expected = json.loads((corpus / "expected.json").read_text(encoding="utf-8"))
    assert expected["broken"] and expected["documents"] == 14
    again = tmp_path / "again"
    generate(again, documents=14, seed=3, broken=0.3)  # deterministic: same files, same bytes
    files = lambda root: {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*.*")}  # noqa: E731
    assert files(corpus) == files(again)

    db = tmp_path / "audit.sqlite"
    stats = run_audit([corpus], db, jobs=1, manifest=corpus / "manifest.csv")
    assert stats.tenders == len(tenders)  # manifest.csv and expected.json are not tenders
    assert stats.errors == len(expected["broken"]) and stats.analysed == 14 - len(expected["broken"])
    status = dict(_table(db, "SELECT name, status FROM tenders"))
    assert {n for n, s in status.items() if s == "failed"} == set(expected["broken"])
    buyers = dict(_table(db, "SELECT name, buyer FROM tenders"))
    assert all(buyers[t.name] == t.buyer for t in tenders)  # from the manifest
    # the variations differ: not every working tender has the same social clauses
    counts = {c for (c,) in _table(db, "SELECT social_clauses FROM tenders WHERE status = 'done'")}
    assert len(counts) > 1
