"""`--fast-pdf`: pypdfium2's text layer instead of the layout reader (issue 7/7). It must find
nearly the same numbered sections, drop running headers, keep pages, and fail as cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clausecheck.readers import read_document
from clausecheck.segment import segment
from tests.conftest import FIXTURES, SAMPLES, real_document

SAMPLE_PDFS = sorted(SAMPLES.rglob("*.pdf"))


def _numbers(path: Path, fast: bool) -> set[str]:
    return {c.number for c in segment(read_document(path, fast)) if c.number}


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=lambda p: p.name)
def test_fast_path_finds_the_numbered_sections(pdf: Path) -> None:
    layout, fast = _numbers(pdf, False), _numbers(pdf, True)
    assert len(layout & fast) / len(layout) >= 0.9  # measured 0.90-1.00 on the samples
    doc = read_document(pdf, True)
    assert doc.format == "pdf" and doc.metadata["reader"] == "pypdfium2"
    assert all(b.page is not None and 1 <= b.page <= doc.pages for b in doc.blocks)
    assert "Side 1 af" not in doc.text and "Page 1 of" not in doc.text  # running footers removed
    assert doc.metadata["running_lines_removed"] >= doc.pages  # a footer on every page at least


def test_fast_path_keeps_the_social_clauses_and_findings(run, tmp_path: Path) -> None:
    reviews = {}
    for flag in ("", "--fast-pdf"):
        out = tmp_path / f"review{flag}.json"
        result = run("check", str(SAMPLES / "cleaning-da.pdf"), *([flag] if flag else []), "-o", str(out))
        assert result.exit_code == 0, result.output
        reviews[flag] = json.loads(out.read_text(encoding="utf-8"))
    labelled = {k: {c["number"] for c in r["clauses"] if c["labels"]} for k, r in reviews.items()}
    assert {"7.1.1", "7.1.2", "7.2.1", "7.3"} <= labelled["--fast-pdf"]  # apprentices, labour clause, human rights
    assert len(labelled[""] & labelled["--fast-pdf"]) >= 0.9 * len(labelled[""])
    # the fast path has no tables: an annex table is one paragraph there, so its findings differ
    tables = {c["number"] for c in reviews[""]["clauses"] if c["kind"] == "table_row"}
    assert "Bilag 2" in tables  # the documentation table

    def codes(review: dict) -> set[str]:
        number = {c["id"]: c["number"] for c in review["clauses"]}
        return {f["code"] for f in review["findings"] if number.get(f["clause_id"]) not in tables}

    assert codes(reviews[""]) == codes(reviews["--fast-pdf"])


def test_fast_path_bad_pdfs_are_one_sentence_errors(run, tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((FIXTURES / "small.pdf").read_bytes()[:1500])
    for path, words in ((FIXTURES / "encrypted.pdf", "encrypted with a password"), (cut, "damaged or truncated")):
        result = run("extract", str(path), "--fast-pdf")
        assert result.exit_code == 3 and words in result.output and "Traceback" not in result.output


@pytest.mark.real
def test_region_numbers_drawn_as_pictures_come_from_the_bookmarks() -> None:
    pdf = real_document("region-sjaelland-kontrakt-juridisk-raadgivning.pdf")
    clauses = {c.number: c for c in segment(read_document(pdf, True)) if c.number}
    for number, heading, page in (("7", "Samfundsansvar", 13), ("7.2", "Socialt ansvar", 13), ("9.3", "Arbejdsklausul", 15)):
        assert heading in clauses[number].heading and page in clauses[number].pages
