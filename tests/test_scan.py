"""Opportunity scan: ranking on crafted tenders, filters, formats."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def tenders(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("open")
    (root / "reserved-lot.md").write_text(
        "1 Delaftaler\n\nDelaftale 2 er reserveret beskyttede værksteder og virksomheder, hvor mindst 30 % af de ansatte er handicappede eller dårligt stillede, jf. direktivets artikel 20.\n\n"
        "2 Beskæftigelse\n\nLeverandøren skal i kontraktperioden beskæftige mindst 2 langtidsledige og kan opfylde kravet gennem partnerskab med en socialøkonomisk virksomhed.\n\n"
        "3 Frister\n\nTilbudsfristen er den 12. marts 2027 kl. 12.00.\n",
        encoding="utf-8",
    )
    (root / "partner-only.md").write_text(
        "1 Beskæftigelse\n\nLeverandøren skal i kontraktperioden beskæftige mindst 2 langtidsledige og kan opfylde kravet gennem underleverandører.\n", encoding="utf-8"
    )
    (root / "nothing.md").write_text("1 Levering\n\nLeverandøren skal levere kontorartikler franko inden 5 arbejdsdage.\n", encoding="utf-8")
    shutil.copy(SAMPLES / "it-supply-da.docx", root / "it.docx")
    return root


def test_ranking_evidence_and_deadline(tenders: Path) -> None:
    from clausecheck.scan import scan

    found = scan([tenders])
    names = [o.tender for o in found]
    assert names[:2] == ["reserved-lot", "partner-only"]
    assert found[0].score > found[1].score > 0
    assert {"nothing", "it"} <= set(names[2:]) and all(o.score == 0 for o in found[2:])
    top = found[0]
    assert top.deadline == "12. marts 2027" and {"O401", "O402"} <= {e["code"] for e in top.evidence}


def test_filters_and_csv(tenders: Path, run) -> None:
    result = run("scan", str(tenders), "--min-score", "1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["tender"] for r in rows] == ["reserved-lot", "partner-only"] and rows[0]["rank"] == "1"
    reserved_only = run("scan", str(tenders), "--label", "reserved", "--format", "csv").stdout
    assert [r["tender"] for r in csv.DictReader(io.StringIO(reserved_only))] == ["reserved-lot"]
    html = run("scan", str(tenders), "--format", "html").stdout
    assert "<table>" in html and "reserved-lot" in html
