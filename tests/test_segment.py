"""Segmentation: numbers, heading paths, lead-ins, table rows, parts; spans as a property."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clausecheck.numbering import parse_number, plausible_after
from clausecheck.readers import read_document
from clausecheck.segment import segment


def _doc(tmp_path: Path, text: str, name: str = "doc.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_document(path)


def test_numbered_sections_paths_and_lead_in(tmp_path: Path) -> None:
    doc = _doc(
        tmp_path,
        "# Kontrakt\n\n1 Generelt\n\nLeverandøren skal levere ydelsen.\n\n"
        "2 Sociale krav\n\n2.1 Lærlinge\n\nLeverandøren skal beskæftige mindst 2 lærlinge:\n\n"
        "a) med uddannelsesaftale\nb) fra erhvervsskoler\n\n"
        "| Krav | Frist |\n|---|---|\n| Leverandøren skal dokumentere | 10 arbejdsdage |\n| Pris | 100 kr. |\n\n"
        "§ 5 Bod\n\nBod udgør 5.000 kr.\n",
    )
    clauses = segment(doc)
    by_kind = [(c.number, c.heading_path, c.kind) for c in clauses]
    assert by_kind == [
        ("1", ("1 Generelt",), "section"),  # "# Kontrakt" and "1 Generelt" are both level 1
        ("2.1", ("2 Sociale krav", "2.1 Lærlinge"), "section"),
        ("2.1", ("2 Sociale krav", "2.1 Lærlinge"), "table_row"),
        ("§ 5", ("§ 5 Bod",), "section"),
    ]
    lead_in = clauses[1]
    assert lead_in.text.startswith("Leverandøren skal beskæftige") and lead_in.text.endswith("b) fra erhvervsskoler")
    assert lead_in.heading == "Lærlinge"
    row = clauses[2]
    assert row.text == "Leverandøren skal dokumentere | 10 arbejdsdage" and row.table_header == ("Krav", "Frist")
    assert "Pris | 100 kr." not in [c.text for c in clauses]  # a price row states no requirement


def test_long_sections_split_at_paragraphs_and_ids_are_stable(tmp_path: Path) -> None:
    paragraph = "Leverandøren skal sikre at arbejdet udføres korrekt og til tiden. " * 8
    text = "3 Udførelse\n\n" + "\n\n".join(f"{paragraph} Afsnit {i}." for i in range(6))
    clauses = segment(_doc(tmp_path, text))
    assert len(clauses) > 1 and [c.part for c in clauses] == list(range(1, len(clauses) + 1))
    assert all(c.number == "3" for c in clauses)
    again = segment(_doc(tmp_path, "Indledende tekst foran.\n\n" + text, "other.md"))
    assert [c.id for c in clauses] == [c.id for c in again if c.number == "3"]  # ids do not move with position


def test_amounts_at_line_start_are_not_numbers() -> None:
    assert parse_number("3 mio. kr. er beløbet") is not None  # parsed, but ...
    from clausecheck.numbering import looks_like_amount

    assert looks_like_amount(parse_number("3 mio. kr. er beløbet"))
    assert looks_like_amount(parse_number("14 dage efter"))
    assert not looks_like_amount(parse_number("2.1 Lærlinge"))
    assert looks_like_amount(parse_number("3.850 Dagligt på skoledage"))  # square metres in a table row
    assert looks_like_amount(parse_number("77 66 (herefter Kommunen)"))  # the tail of a CVR number
    assert not looks_like_amount(parse_number("3.10 Dokumentation"))


def test_number_kinds_and_outline_plausibility() -> None:
    cases = {
        "4.2.1 Arbejdsklausul": ("4.2.1", "decimal", 3),
        "§ 7 Sociale forpligtelser": ("§ 7", "section", 1),
        "Punkt 7 Bod": ("Punkt 7", "section", 1),
        "Bilag 3 CSR": ("Bilag 3", "section", 1),
        "Schedule 2 Social value": ("Schedule 2", "section", 1),
        "II. SCOPE": ("II.", "roman", 1),
        "C. Instructions": ("C.", "upper", 2),
        "b) fra erhvervsskoler": ("b)", "lower", 3),
    }
    for text, (display, kind, depth) in cases.items():
        n = parse_number(text)
        assert (n.display, n.kind, n.depth) == (display, kind, depth), text
    assert plausible_after((9,), (9, 1)) and plausible_after((10, 3, 1), (10, 4)) and plausible_after((6, 3), (7,))
    assert not plausible_after((3,), (100,)) and not plausible_after((2, 1), (17, 4))


_word = st.sampled_from(["Leverandøren", "skal", "sikre", "lærlinge", "løn", "og", "3", "mio.", "kr.", "§", "a)", "|", "-", "#", "1.2", "II.", "Bilag", ":", "\t", "æøå"])
_line = st.lists(_word, min_size=0, max_size=12).map(" ".join)
_prefix = st.sampled_from(["", "", "# ", "## ", "1 ", "2.1 ", "§ 4 ", "a) ", "- ", "| ", "Bilag 2 ", "IV. "])
_text = st.lists(st.tuples(_prefix, _line, st.sampled_from(["\n", "\n\n", "\n\n\n"])), min_size=1, max_size=40).map(
    lambda parts: "".join(p + l + sep for p, l, sep in parts)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_text)
def test_clause_spans_index_the_document_in_order_without_overlap(tmp_path: Path, text: str) -> None:
    path = tmp_path / "prop.md"
    path.write_text(text + "\nslut.\n", encoding="utf-8")
    doc = read_document(path)
    clauses = segment(doc, max_chars=200)
    previous_end = -1
    for clause in clauses:
        assert doc.text[clause.start : clause.end] == clause.text
        assert clause.start >= previous_end and clause.end > clause.start
        previous_end = clause.end
    assert len({c.id for c in clauses}) == len(clauses)
    for block in doc.blocks:
        assert doc.text[block.start : block.end] == block.text
