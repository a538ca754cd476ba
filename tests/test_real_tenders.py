"""Third-party tender documents from ../shared/real-tenders (skipped when the folder is absent)."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest

from clausecheck.readers import read_document
from clausecheck.segment import segment
from tests.conftest import real_document

pytestmark = pytest.mark.real

REGION = "region-sjaelland-kontrakt-juridisk-raadgivning.pdf"
ERST = "erst-da2-leverancekontrakt-konsulentydelser.docx"


@lru_cache(maxsize=None)
def _read(name: str):
    doc = read_document(real_document(name))
    return doc, segment(doc)


def test_region_sjaelland_social_sections_have_number_heading_and_page() -> None:
    _, clauses = _read(REGION)
    by_heading = {c.heading: c for c in clauses}
    social = by_heading["Samfundsansvar"]
    assert (social.number, social.pages) == ("7", (13,))
    assert social.text.startswith("Kontrakten skal i henhold til nedenstående")
    responsibility = by_heading["Socialt ansvar"]
    assert (responsibility.number, responsibility.pages) == ("7.2", (13,))
    assert responsibility.heading_path == ("7 Samfundsansvar", "7.2 Socialt ansvar")
    labour = by_heading["Arbejdsklausul"]
    assert (labour.number, labour.pages) == ("9.3", (15,))  # the "9.3" is drawn as a picture in this PDF
    assert labour.heading_path == ("9 Leverandørens personale", "9.3 Arbejdsklausul")
    assert "Kontraktbilag 11" in labour.text


def test_region_sjaelland_numbers_follow_the_document() -> None:
    _, clauses = _read(REGION)
    numbers = [c.number for c in clauses if c.number]
    # Numbers seen in the rendered PDF (checked by eye against the page images).
    for expected in ("1.1", "2.5", "3.2.1", "4.4.1.2", "9.7", "10.3.1", "11.4.3", "15.3.4"):
        assert expected in numbers
    decimal = [tuple(map(int, n.split("."))) for n in numbers if re.fullmatch(r"\d+(\.\d+)*", n)]
    assert decimal == sorted(decimal)  # in document order, never backwards


def test_region_sjaelland_running_headers_footers_and_stamps_are_gone() -> None:
    doc, clauses = _read(REGION)
    assert doc.pages == 30
    for clause in clauses:
        assert not re.search(r"Side \d+ af 30", clause.text)
        assert "Sagsnr.:" not in clause.text and "journalsystem]" not in clause.text
        assert not re.search(r"\bisre\b|Version 1-12|\b2-\s*1\s*2-", clause.text)  # rotated margin stamp
    assert "Side 15 af 30" not in doc.text


def test_region_sjaelland_hyphenation_and_bullets() -> None:
    doc, _ = _read(REGION)
    assert "løn- og feriekrav" in doc.text  # a suspended compound keeps its hyphen
    items = [b for b in doc.blocks if b.kind == "list_item"]
    assert items and not any(b.text.startswith("•") for b in items)


def test_erst_docx_numbers_match_what_word_shows() -> None:
    """Word's own table of contents lists the numbers Word renders: every one must be ours too."""
    doc, clauses = _read(ERST)
    headings = {b.number: b.text for b in doc.blocks if b.kind == "heading" and b.number}
    toc = [b.text for b in doc.blocks if b.kind == "toc"]
    checked = 0
    for entry in toc:
        m = re.match(r"^(Kapitel [IVX]+|\d+(?:\.\d+)*) (.+?) \d+$", entry)
        if not m:
            continue
        number, title = m.groups()
        assert number in headings, entry
        assert headings[number].startswith(f"{number} {title.strip()[:20]}")
        checked += 1
    assert checked >= 40
    numbered = [c for c in clauses if c.number and c.kind == "section"]
    assert {"1.1", "4.3.1", "12.1.2", "13.3"} <= {c.number for c in numbered}
    assert all(c.paragraph is not None for c in clauses)  # every clause can anchor a Word comment


def test_serc_broken_ligatures_are_repaired() -> None:
    doc, clauses = _read("serc-rfp-legal-services.pdf")
    assert "State Education Resource Center" in doc.text and "EducaFon" not in doc.text
    assert "attorneys" in doc.text and "a?orneys" not in doc.text.lower()
    assert any("repaired broken ligature glyphs" in w for w in doc.warnings)
    headings = {c.heading for c in clauses}
    assert {"Purpose", "Who May Respond"} <= headings


@pytest.mark.parametrize("name", ["erst-da2-miniudbudsbetingelser.docx", "erst-da2-bilag1-kundens-behov.docx", "erst-da2-bilag2-leverandoerens-besvarelse.docx", "erst-da2-bilag2.1-cv-skabelon.docx", "erst-da2-persondataunderretning.docx"])
def test_every_real_docx_reads_and_segments(name: str) -> None:
    doc, clauses = _read(name)
    assert doc.format == "docx" and len(doc.text) > 500 and clauses
    for clause in clauses:
        assert doc.text[clause.start : clause.end] == clause.text


def _labelled(name: str) -> dict[str, list[str]]:
    from clausecheck.analysis import analyse_package

    analysis = analyse_package([real_document(name)])
    return {f"{c.clause.number} {c.clause.heading}": c.labels for c in analysis.clauses if c.labels}


def test_region_social_responsibility_and_labour_clause_are_labelled() -> None:
    labelled = _labelled(REGION)
    assert "human_rights" in labelled["7 Samfundsansvar"] and "human_rights" in labelled["7.2 Socialt ansvar"]
    assert "labour_conditions" in labelled["9.3 Arbejdsklausul"]
    assert len(labelled) <= 5  # measured: 4 (9.2, replacing staff, labelled equality, is the one false positive)


@pytest.mark.parametrize("name", [ERST, "erst-da2-miniudbudsbetingelser.docx", "erst-da2-bilag1-kundens-behov.docx", "erst-da2-bilag2-leverandoerens-besvarelse.docx", "erst-da2-bilag2.1-cv-skabelon.docx", "erst-da2-persondataunderretning.docx"])
def test_erst_documents_without_social_clauses_get_at_most_two(name: str) -> None:
    assert len(_labelled(name)) <= 2  # measured: 0 in all six
