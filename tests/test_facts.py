"""Contract facts: a table of cases (tests/cases/facts.csv) in Danish and English."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from clausecheck.facts import extract_facts, override, parse_number

CASES = list(csv.DictReader((Path(__file__).parent / "cases" / "facts.csv").open(encoding="utf-8")))


def _actual(text: str, field: str):
    facts = extract_facts(text)
    if field == "total_months":
        return facts.total_months
    if field == "cpv":
        return [f.value for f in facts.cpv]
    fact = getattr(facts, field)
    return None if fact is None else fact.value


def _expected(field: str, raw: str):
    if raw == "":
        return [] if field == "cpv" else None
    if field == "cpv":
        return raw.split(";")
    if field == "value_range_dkk":
        low, high = raw.split("-")
        return (int(low), int(high))
    if field in ("vat_included", "framework", "light_regime", "performed_in_denmark"):
        return raw == "True"
    if field in ("value_dkk", "duration_months", "extension_months", "total_months"):
        return float(raw)
    return raw


def test_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[f"{c['field']}:{c['text'][:40]}" for c in CASES])
def test_fact_extraction(case: dict) -> None:
    assert _actual(case["text"], case["field"]) == _expected(case["field"], case["expected"])


def test_every_fact_has_evidence_pointing_into_the_text() -> None:
    text = "Ordregiver er Egeskov Kommune. Den anslåede kontraktværdi er 14,5 mio. kr. ekskl. moms. Kontraktperioden er 4 år. CPV: 90911200-8."
    facts = extract_facts(text)
    for fact in (facts.value_dkk, facts.duration_months, facts.cpv[0], facts.buyer, facts.contract_type):
        ev = fact.evidence
        assert text[ev.start : ev.end] == ev.text and ev.text in ev.context
    assert facts.value_dkk.evidence.text == "14,5 mio. kr."


def test_overrides_win_and_say_so() -> None:
    facts = override(extract_facts("Den anslåede værdi er 2 mio. kr."), value=60_000_000, duration_months=20, contract_type="works", cpv=["45214200-2"])
    assert facts.value_dkk.value == 60_000_000 and facts.value_dkk.evidence.source == "override"
    assert facts.duration_months.value == 20 and facts.contract_type.value == "works" and facts.cpv[0].value == "45214200-2"


@pytest.mark.parametrize("raw,value", [("5.000.000", 5e6), ("5,000,000", 5e6), ("14,5", 14.5), ("5.4", 5.4), ("41.212.688", 41212688), ("1.924", 1924), ("2 500 000", 2.5e6), ("1.234,50", 1234.5), ("1,234.50", 1234.5)])
def test_number_notation(raw: str, value: float) -> None:
    assert parse_number(raw) == value
