"""An eForms notice in a tender package: its facts feed the checks, and the cross-checks C305
(declared but not implemented) and C306 (implemented but not declared) fire."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clausecheck.analysis import analyse_package
from tests.conftest import ROOT, SAMPLES

NOTICES = ROOT.parent / "shared" / "eforms" / "notices"


def _package(tmp_path: Path, notice: str, text: str) -> Path:
    src = NOTICES / notice
    if not src.exists():
        pytest.skip("../shared/eforms not available")
    folder = tmp_path / "tender"
    folder.mkdir()
    shutil.copy(src, folder / notice)
    (folder / "kontrakt.md").write_text(text, encoding="utf-8")
    return folder


def test_declared_objective_not_implemented(tmp_path: Path) -> None:
    folder = _package(tmp_path, "cn_24_maximal.xml", "1 Levering\n\nLeverandøren skal levere ydelsen efter kravspecifikationen og fakturere månedligt.\n")
    analysis = analyse_package([folder])
    c305 = [f for f in analysis.findings if f.code == "C305"]
    assert any("BT-775" in f.message for f in c305) and any("BT-71 " in f.message for f in c305)
    assert analysis.facts.contract_type.evidence.source == "notice" and analysis.facts.cpv[0].value == "79710000"


def test_implemented_objective_is_not_flagged_but_undeclared_clauses_are(tmp_path: Path) -> None:
    text = "1 Tilgængelighed\n\nBookingsystemet skal overholde WCAG 2.1 niveau AA, så det kan bruges af personer med handicap.\n"
    folder = _package(tmp_path, "cn_24_maximal.xml", text)
    codes = [f.message for f in analyse_package([folder]).findings if f.code == "C305"]
    assert not any("BT-775" in m for m in codes)  # acc-all is implemented by the accessibility clause
    folder2 = _package(tmp_path / "b", "cn_24_minimal.xml", "1 Lærlinge\n\nLeverandøren skal i hele kontraktperioden beskæftige mindst 2 lærlinge med uddannelsesaftale.\n") if (tmp_path / "b").mkdir() is None else None
    findings = analyse_package([folder2]).findings
    assert any(f.code == "C306" for f in findings)


def test_invalid_notice_is_recorded_and_the_documents_are_read(tmp_path: Path) -> None:
    folder = _package(tmp_path, "INVALID_cn_24_empty.xml", "1 Levering\n\nLeverandøren skal levere varerne.\n")
    analysis = analyse_package([folder])
    assert analysis.errors and "not a valid eForms notice" in analysis.errors[0]["error"]
    assert analysis.documents
