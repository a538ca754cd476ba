"""Every rule's own examples (rules are data): the violating example raises the rule, the OK
example does not, in Danish and in English. Plus the check engine's package-level behaviour."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausecheck.analysis import analyse_package
from clausecheck.checks import all_rules

EXAMPLES = [(r.code, lang, kind) for r in all_rules() for lang in ("da", "en") for kind in ("ok", "bad") if r.examples.get(f"{lang}_{kind}")]


def _codes(tmp_path: Path, text: str, profile: str = "national") -> set[str]:
    path = tmp_path / "example.md"
    path.write_text(text + "\n", encoding="utf-8")
    return {f.code for f in analyse_package([path], profile=profile).findings}


NOTICE_KINDS = ("notice_not_implemented", "notice_not_declared")  # fixtures: tests/test_notice_checks.py


def test_every_rule_has_ok_and_bad_examples_in_both_languages() -> None:
    for r in all_rules():
        if r.kind in NOTICE_KINDS:
            continue
        for key in ("da_ok", "da_bad", "en_ok", "en_bad"):
            assert r.examples.get(key), f"{r.code} has no {key} example"


@pytest.mark.parametrize("code,lang,kind", EXAMPLES, ids=[f"{c}-{l}-{k}" for c, l, k in EXAMPLES])
def test_rule_examples(tmp_path: Path, code: str, lang: str, kind: str) -> None:
    r = next(r for r in all_rules() if r.code == code)
    profile = r.params.get("profile_for_examples", "national")
    codes = _codes(tmp_path, r.examples[f"{lang}_{kind}"], profile)
    if kind == "bad":
        assert code in codes, f"{code} not raised on its violating example; got {sorted(codes)}"
    else:
        assert code not in codes, f"{code} raised on its OK example"
