"""Golden files for the samples: extract output (clauses) and reviews (JSON, Markdown).

Regenerate with CLAUSECHECK_UPDATE_GOLDEN=1; `test_update_flag_is_off` fails while the flag is set,
so a regenerated run can never pass CI by accident.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, SAMPLES, UPDATE_GOLDEN

SAMPLE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".pdf", ".docx"))
PACKAGES = sorted([p for p in SAMPLES.iterdir() if p.is_dir() and p.name not in ("src",)] + [p for p in SAMPLES.glob("*.docx")]) if SAMPLES.exists() else []


def _compare(path: Path, actual: str) -> None:
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"golden file {path} is missing; run with CLAUSECHECK_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{path.name} differs from the golden file; if the change is intended, regenerate it"


def test_update_flag_is_off() -> None:
    assert os.environ.get("CLAUSECHECK_UPDATE_GOLDEN") != "1", "golden files are being regenerated; unset CLAUSECHECK_UPDATE_GOLDEN"


def test_there_are_samples() -> None:
    assert len(SAMPLE_FILES) >= 8 and any(p.suffix == ".pdf" for p in SAMPLE_FILES)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[str(p.relative_to(SAMPLES)) for p in SAMPLE_FILES])
def test_extract_golden(sample: Path, run) -> None:
    result = run("extract", str(sample), "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    data["document"]["path"] = str(sample.relative_to(SAMPLES))
    if sample.suffix == ".pdf":
        data["document"].pop("sha256")  # LibreOffice stamps dates into PDFs; content is what matters
    _compare(GOLDEN / "extract" / (str(sample.relative_to(SAMPLES)).replace("/", "__") + ".json"), json.dumps(data, ensure_ascii=False, indent=1) + "\n")


@pytest.mark.parametrize("sample", [p for p in SAMPLE_FILES if p.suffix == ".docx"], ids=lambda p: p.stem)
def test_docx_and_pdf_numbers_agree(sample: Path) -> None:
    """The same sample as DOCX (Word numbering replayed) and as PDF (numbers in the text layer)
    gives the same clause numbers and headings."""
    from clausecheck.readers import read_document
    from clausecheck.segment import segment

    pdf = sample.with_suffix(".pdf")
    a = [(c.number, c.heading) for c in segment(read_document(sample)) if c.kind == "section" and c.number]
    b = [(c.number, c.heading) for c in segment(read_document(pdf)) if c.kind == "section" and c.number]
    assert a and [n for n, _ in a] == [n for n, _ in b]
    assert [h for _, h in a] == [h for _, h in b]


REVIEW_PACKAGES = ["cleaning-da.docx", "construction-da", "it-supply-da.docx", "services-en.docx"]


@pytest.mark.parametrize("package", REVIEW_PACKAGES)
@pytest.mark.parametrize("fmt", ["json", "md"])
def test_review_golden(package: str, fmt: str, run) -> None:
    result = run("check", str(SAMPLES / package), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    _compare(GOLDEN / "review" / f"{Path(package).stem}.{fmt}", result.stdout)


def test_review_json_validates_against_the_shipped_schema(run) -> None:
    import jsonschema

    from clausecheck.resources import PACKAGE_DIR

    schema = json.loads((PACKAGE_DIR / "schema" / "review.schema.json").read_text())
    for package in REVIEW_PACKAGES:
        review = json.loads(run("check", str(SAMPLES / package), "--format", "json").stdout)
        jsonschema.validate(review, schema)
