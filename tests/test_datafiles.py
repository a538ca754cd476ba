"""Data files are validated on load; errors name the file, the line and the allowed values."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausecheck.checks import _load_file, all_rules, select_rules
from clausecheck.errors import DataFileError
from clausecheck.policy import builtin_profiles, load_profile, load_profile_file, thresholds
from clausecheck.rules import load_lexicon
from clausecheck.taxonomy import load_taxonomy, taxonomy


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_data_loads() -> None:
    assert taxonomy().ids == ("apprentices", "employment", "labour_conditions", "human_rights", "accessibility", "equality", "social_economy", "reserved")
    assert len(all_rules()) >= 20 and {r.code[0] for r in all_rules()} == {"Q", "L", "C", "O"}
    assert set(builtin_profiles()) >= {"national", "copenhagen", "aarhus"}
    assert thresholds().in_176_cpv_range("90911200-8") and not thresholds().in_176_cpv_range("79993000-1")


def test_lexicon_error_names_file_line_and_allowed_labels(tmp_path: Path) -> None:
    path = _write(tmp_path, "da.toml", '[[pattern]]\nid = "x"\nterms = ["lærling*"]\n\n[[pattern]]\nid = "y"\nlabel = "apprentice"\nterms = ["elev"]\n')
    with pytest.raises(DataFileError, match="label"):
        load_lexicon(path, "da")  # first pattern lacks a label
    path = _write(tmp_path, "da2.toml", '[[pattern]]\nid = "y"\nlabel = "apprentice"\nterms = ["elev"]\n')
    with pytest.raises(DataFileError) as err:
        load_lexicon(path, "da")
    message = str(err.value)
    assert f"{path}:3" in message and "'apprentice' is not allowed" in message and "apprentices" in message


def test_lexicon_rejects_bad_weight_and_unknown_keys(tmp_path: Path) -> None:
    path = _write(tmp_path, "w.toml", '[[pattern]]\nid = "y"\nlabel = "reserved"\nterms = ["x"]\nweight = 3\n')
    with pytest.raises(DataFileError, match=r"w\.toml:5: .*weight"):
        load_lexicon(path, "da")
    path = _write(tmp_path, "k.toml", '[[pattern]]\nid = "y"\nlabel = "reserved"\nterms = ["x"]\nnear = ["z"]\n')
    with pytest.raises(DataFileError, match=r"unknown key\(s\) near"):
        load_lexicon(path, "da")


def test_rule_file_errors(tmp_path: Path) -> None:
    base = 'code = "Q901"\nname = "n"\nseverity = "warning"\nmessage = {{ da = "m", en = "m" }}\nwhy = {{ da = "w", en = "w" }}\nlegal_basis = "b"\n{extra}'
    bad_kind = _write(tmp_path, "a.toml", "[[rule]]\n" + base.format(extra='kind = "magic"\n'))
    with pytest.raises(DataFileError, match=r"a\.toml:\d+: rule Q901: kind 'magic' is not allowed; use one of: missing_element"):
        _load_file(bad_kind)
    bad_sev = _write(tmp_path, "b.toml", "[[rule]]\n" + base.format(extra='kind = "soft_wording"\n').replace('"warning"', '"fatal"'))
    with pytest.raises(DataFileError, match="severity 'fatal' is not allowed"):
        _load_file(bad_sev)
    no_en = _write(tmp_path, "c.toml", "[[rule]]\n" + base.format(extra='kind = "soft_wording"\n').replace('message = { da = "m", en = "m" }', 'message = { da = "m" }'))
    with pytest.raises(DataFileError, match=r"c\.toml:5: rule Q901: message needs the languages en"):
        _load_file(no_en)
    bad_re = _write(tmp_path, "d.toml", "[[rule]]\n" + base.format(extra='kind = "text_pattern"\npatterns = { da = ["(unclosed"] }\n'))
    with pytest.raises(DataFileError, match="invalid regular expression"):
        _load_file(bad_re)


def test_select_and_ignore_by_code_or_prefix() -> None:
    assert {r.code for r in select_rules(["L2"])} == {r.code for r in all_rules() if r.code.startswith("L2")}
    assert "Q101" not in {r.code for r in select_rules(ignore=["Q101"])}
    with pytest.raises(DataFileError, match="no rule matches 'X9'"):
        select_rules(["X9"])


def test_profile_validation(tmp_path: Path) -> None:
    ok = _write(tmp_path, "mine.toml", 'id = "mine"\ndefault_buyer_type = "region"\n[csr_annex]\nmin_value_dkk = 500000\n')
    profile = load_profile(str(ok))
    assert profile.default_buyer_type == "region" and profile.csr_annex["min_value_dkk"] == 500000
    assert profile.training["hours_per_fte"] == 1924  # defaults fill what a profile leaves out
    bad = _write(tmp_path, "bad.toml", 'id = "b"\n[labour_clause]\nrequired_for = ["county"]\n')
    with pytest.raises(DataFileError, match=r"required_for value 'county' is not allowed; use one of: state, municipal, region"):
        load_profile_file(bad)
    typo = _write(tmp_path, "typo.toml", 'id = "b"\n[training]\ntrainee_ratio = 3\n')
    with pytest.raises(DataFileError, match=r"typo\.toml:3: \[training\] has unknown key 'trainee_ratio'"):
        load_profile_file(typo)
    with pytest.raises(DataFileError, match="unknown profile 'odense'"):
        load_profile("odense")


def test_taxonomy_needs_both_languages(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.toml", '[[label]]\nid = "x"\nname = { da = "X" }\ndescription = { da = "d", en = "d" }\nlegal_basis = "b"\ncolour = "#000000"\n')
    with pytest.raises(DataFileError, match=r"t\.toml:3: label 'x': name needs the languages en"):
        load_taxonomy(path)
