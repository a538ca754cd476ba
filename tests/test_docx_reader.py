"""DOCX reader: Word's automatic numbering, styles, tracked changes, tables, anchors."""

from __future__ import annotations

from pathlib import Path

from clausecheck.readers import read_document
from clausecheck.segment import segment
from tests.docx_builder import build, p, table


def _blocks(tmp_path: Path, body: str):
    doc = read_document(build(tmp_path / "t.docx", body))
    return doc, [(b.kind, b.number, b.text) for b in doc.blocks]


def test_heading_numbering_from_styles_and_lists(tmp_path: Path) -> None:
    body = (
        p("Kontrakt", style="Title")
        + p("Indhold 2", style="TOC1")
        + p("Generelt", style="Heading1")
        + p("Baggrund", style="Heading2")
        + p("Omfang", style="Heading2")
        + p("Sociale krav", style="Heading1")
        + p("Leverandøren skal:")
        + p("beskæftige lærlinge", num=(2, 0))
        + p("med uddannelsesaftale", num=(2, 1))
        + p("dokumentere det", num=(2, 0))
        + p("Løn", style="Heading2")
        + p("Ny liste:")
        + p("første punkt", num=(4, 0))  # startOverride: a new list restarts at a)
        + p("en punktopstilling", num=(5, 0))
        + p("Social ansvarlighed", style="Annex")
    )
    _, blocks = _blocks(tmp_path, body)
    assert blocks == [
        ("title", None, "Kontrakt"),
        ("toc", None, "Indhold 2"),
        ("heading", "1", "1 Generelt"),
        ("heading", "1.1", "1.1 Baggrund"),
        ("heading", "1.2", "1.2 Omfang"),
        ("heading", "2", "2 Sociale krav"),
        ("paragraph", None, "Leverandøren skal:"),
        ("list_item", "a)", "a) beskæftige lærlinge"),
        ("list_item", "i.", "i. med uddannelsesaftale"),
        ("list_item", "b)", "b) dokumentere det"),
        ("heading", "2.1", "2.1 Løn"),
        ("paragraph", None, "Ny liste:"),
        ("list_item", "a)", "a) første punkt"),
        ("list_item", None, "en punktopstilling"),
        ("heading", "Bilag A", "Bilag A Social ansvarlighed"),
    ]


def test_tracked_changes_fields_and_excluded_parts(tmp_path: Path) -> None:
    runs = (
        '<w:r><w:t xml:space="preserve">Leverandøren </w:t></w:r>'
        '<w:del w:id="1" w:author="x"><w:r><w:delText>bør </w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="x"><w:r><w:t xml:space="preserve">skal </w:t></w:r></w:ins>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF x </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>ansætte</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t xml:space="preserve"> lærlinge.</w:t></w:r>'
    )
    doc, blocks = _blocks(tmp_path, p("Krav", style="Heading1") + p(runs=runs))
    assert blocks[1] == ("paragraph", None, "Leverandøren skal ansætte lærlinge.")
    assert "RUNNING HEADER TEXT" not in doc.text


def test_tables_rows_and_paragraph_anchors(tmp_path: Path) -> None:
    body = p("Krav", style="Heading1") + p("Indledning.") + table([["Krav", "Frist"], ["Leverandøren skal dokumentere løn", "10 arbejdsdage"], ["Pris", "100"]]) + p("Efter tabellen.")
    doc = read_document(build(tmp_path / "t.docx", body))
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert tables[0].rows == (("Krav", "Frist"), ("Leverandøren skal dokumentere løn", "10 arbejdsdage"), ("Pris", "100"))
    # body paragraphs: 0 heading, 1 intro, 2-7 the six cells, 8 after
    assert tables[0].paragraph == 2 and tables[0].row_paragraphs == (2, 4, 6)
    clauses = segment(doc)
    assert [(c.kind, c.paragraph, c.text) for c in clauses] == [
        ("section", 1, "Indledning."),
        ("table_row", 4, "Leverandøren skal dokumentere løn | 10 arbejdsdage"),
        ("section", 8, "Efter tabellen."),
    ]
    assert clauses[1].table_header == ("Krav", "Frist")


def test_manual_numbers_in_heading_text(tmp_path: Path) -> None:
    body = p("§ 7 Sociale forpligtelser", style="Heading1") + p("7.1 Lærlinge") + p("Entreprenøren bør tilstræbe at beskæftige lærlinge i hele perioden.")
    # a heading style with automatic numbering would add "1"; use a plain style with outline level instead
    body = body.replace('<w:pStyle w:val="Heading1"/>', '<w:pStyle w:val="Normal"/><w:outlineLvl w:val="0"/>')
    doc, blocks = _blocks(tmp_path, body)
    assert blocks[0] == ("heading", "§ 7", "§ 7 Sociale forpligtelser")
