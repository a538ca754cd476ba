"""The model-clause library: every entry loads, renders, and passes the tool's own classifier and
checks (self-consistency); search, rendering from facts, and the generated index."""

from __future__ import annotations

import pytest

from clausecheck.library import get, library, readme, render
from clausecheck.resources import shipped_dir

ENTRIES = sorted(library().items())
CATEGORY_PLACEMENT = {"contract_condition": "contract_condition", "award_criterion": "award_criterion", "technical_specification": "technical_specification", "reservation": "reservation"}


def test_all_eighteen_clauses_in_both_languages() -> None:
    ids = {i for i, _ in library()}
    assert len(ids) >= 18
    for entry_id in ids:
        assert (entry_id, "da") in library() and (entry_id, "en") in library(), entry_id


def test_index_is_current() -> None:
    assert (shipped_dir("clause_library") / "README.md").read_text(encoding="utf-8") == readme(library()), "run `clausecheck library index`"


@pytest.mark.parametrize("key", [k for k, _ in ENTRIES], ids=[f"{i}-{l}" for (i, l), _ in ENTRIES])
def test_entry_is_self_consistent(key) -> None:
    from clausecheck.analysis import ClauseAnalysis
    from clausecheck.checks import Context, run_checks, select_rules
    from clausecheck.classify import Item, default_classifier
    from clausecheck.document import Clause
    from clausecheck.elements import detect
    from clausecheck.facts import ContractFacts
    from clausecheck.policy import load_profile, thresholds

    entry = library()[key]
    text, sources = render(entry)
    assert "{" not in text and "}" not in text and set(sources.values()) == {"default"} | (set() if not entry.parameters else set())
    if entry.check_exempt:
        return  # the voluntary partnership and the comply-or-explain memo are not contract terms
    # pasted into a tender, a multi-part entry is segmented into its numbered paragraphs: its labels
    # are those of the whole text together with those of each paragraph
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    results = default_classifier().classify([Item(entry.id, f"{entry.title}\n{text}", entry.language)] + [Item(str(i), p, entry.language) for i, p in enumerate(paragraphs)])
    result = results[0]
    found = {label for r in results for label in r.labels}
    assert set(entry.labels) <= found, f"declared {entry.labels}, classified {sorted(found)}"
    elements = detect(text, entry.language)
    assert set(entry.elements) <= set(elements), f"missing elements {sorted(set(entry.elements) - set(elements))}"
    clause = Clause(entry.id, "1", entry.title, (entry.title,), text, 0, len(text), (), ())
    analysed = ClauseAnalysis(
        clause, "library", entry.language, result.labels, result.scores, result.strength, result.strength_scores,
        CATEGORY_PLACEMENT.get(entry.category, "unknown"), None, elements, [],
    )
    findings = run_checks(Context([analysed], ContractFacts(), load_profile("national"), thresholds(), entry.language), select_rules(["Q", "L"]))
    assert not findings, [f"{f.code}: {f.message}" for f in findings]


def test_search_finds_the_expected_entries_first(run) -> None:
    da = run("library", "search", "lærlinge").stdout.splitlines()
    assert da[0].split()[1] in ("training-fte-model", "apprentices-foreign-equivalence")
    en = run("library", "search", "fair wages").stdout.splitlines()
    assert en[0].split()[1] == "labour-clause-ilo94"


def test_render_with_facts_and_blanks() -> None:
    from clausecheck.facts import extract_facts
    from clausecheck.policy import load_profile

    entry = get("training-fte-model", "da")
    facts = extract_facts("Ordregiver er Fjordby Kommune. Den anslåede værdi er 62 mio. kr. Kontraktperioden er 20 måneder.")
    text, sources = render(entry, facts=facts, profile=load_profile("national"), use_defaults=False)
    assert sources.get("buyer") == "facts" and "Fjordby Kommune" in text
    if "trainee_fte" in sources:
        assert sources["trainee_fte"] == "facts"
    blank = [name for name, source in sources.items() if source == "blank"]
    for name in blank:
        assert f"[[{name}" in text  # unknown parameters stay visible, never invented


def test_render_cli_and_unknown_parameter(run) -> None:
    out = run("library", "render", "labour-clause-ilo94", "--lang", "en", "--param", "documentation_days=5")
    assert out.exit_code == 0 and "5 working days" in out.stdout
    bad = run("library", "render", "labour-clause-ilo94", "--param", "nonsense=1")
    assert bad.exit_code == 2 and "has no parameter nonsense" in bad.stderr


def test_construction_suggestions_use_the_sample_facts(run) -> None:
    """Each finding with a fix on the weak construction tender carries a suggestion filled in from
    that tender's facts (buyer, trainee target from value and duration)."""
    import json

    from tests.conftest import SAMPLES

    review = json.loads(run("check", str(SAMPLES / "construction-da"), "--format", "json").stdout)
    with_fix = [f for f in review["findings"] if f["fix"]]
    assert with_fix
    for f in with_fix:
        assert f["suggestions"], f["code"]
        s = f["suggestions"][0]
        assert "Fjordby Kommune" in s["text"] and s["parameters"]["buyer"] == "facts"
        assert "{" not in s["text"]
        if "trainee_fte" in s["parameters"]:
            assert s["parameters"]["trainee_fte"] == "facts"
        for name in {"hours_per_fte", "fine_per_week"} & set(s["parameters"]):
            assert s["parameters"][name] == "profile"  # policy settings, not facts of the tender
