"""Writers: HTML in a real browser (headless Chromium), escaping, DOCX comments at the right
paragraphs, exit codes."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, real_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _comments(docx: Path) -> tuple[int, list[tuple[int, str]]]:
    """Number of comments, and for each comment anchor: (body paragraph index, comment id)."""
    from lxml import etree

    with zipfile.ZipFile(docx) as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
        body = etree.fromstring(z.read("word/document.xml")).find(f"{W}body")
    paragraphs = list(body.iter(f"{W}p"))
    anchors = []
    for i, p in enumerate(paragraphs):
        for start in p.iter(f"{W}commentRangeStart"):
            anchors.append((i, start.get(f"{W}id")))
    return len(comments.findall(f"{W}comment")), anchors


@pytest.mark.parametrize("source", sorted(SAMPLES.rglob("*.docx")) + ["erst"], ids=lambda s: s if isinstance(s, str) else s.stem)
def test_docx_copy_has_one_comment_per_flagged_clause_at_its_paragraph(source, tmp_path: Path, run) -> None:
    source = real_document("erst-da2-leverancekontrakt-konsulentydelser.docx") if source == "erst" else source
    original = source.read_bytes()
    out = tmp_path / "annotated.docx"
    assert run("check", str(source), "-o", str(out)).exit_code == 0
    assert source.read_bytes() == original  # the input is never modified
    review = json.loads(run("check", str(source), "--format", "json").stdout)
    flagged = [c for c in review["clauses"] if c["social"] or c["findings"]]
    package = [f for f in review["findings"] if not f["clause_id"]]
    count, anchors = _comments(out)
    assert count == len(flagged) + (1 if package else 0)
    anchored = {i for i, _ in anchors}
    for clause in flagged:
        assert clause["paragraph"] in anchored, clause["number"]
    from docx import Document

    texts = [c.text for c in Document(str(out)).comments]
    for clause in flagged:
        for code in clause["findings"]:
            assert any(code in t for t in texts)


def test_review_docx_for_pdf_input(tmp_path: Path, run) -> None:
    out = tmp_path / "review.docx"
    assert run("check", str(SAMPLES / "construction-da" / "kontrakt.pdf"), "-o", str(out)).exit_code == 0
    count, anchors = _comments(out)
    assert count >= 5 and len(anchors) == count


def test_html_escapes_document_text(tmp_path: Path, run) -> None:
    doc = tmp_path / "evil.md"
    doc.write_text('1 Sociale krav\n\nLeverandøren skal beskæftige mindst 2 lærlinge. <script>alert("x")</script> <b onmouseover="x()">fed</b> & "citat"\n', encoding="utf-8")
    out = tmp_path / "evil.html"
    assert run("check", str(doc), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and '<b onmouseover' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert html.count("<script>") == 1  # only the review's own script


def test_fail_on_exit_codes(run) -> None:
    sample = str(SAMPLES / "construction-da")
    assert run("check", sample, "--format", "json", "--fail-on", "error").exit_code == 1
    assert run("check", sample, "--format", "json").exit_code == 0
    assert run("check", str(SAMPLES / "it-supply-da.docx"), "--format", "json", "--fail-on", "warning", "--ignore", "C").exit_code == 0


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: .ci/setup installs the Debian package chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("package", ["cleaning-da.docx", "construction-da", "it-supply-da.docx", "services-en.docx"])
def test_html_review_loads_without_console_errors_and_filters(browser, package: str, tmp_path: Path, run) -> None:
    out = tmp_path / "review.html"
    assert run("check", str(SAMPLES / package), "-o", str(out)).exit_code == 0
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(out.as_uri())
    assert errors == [] and requests == []  # self-contained: no network, no errors
    social = page.locator("article.clause:not([hidden])")
    if social.count() == 0:
        return  # a tender with no social clause shows none; nothing to filter
    labels = {l for a in social.all() for l in a.get_attribute("data-labels").split()}
    target = sorted(labels)[0]
    for box in page.locator("input[name=label]").all():  # show only one label
        if (box.get_attribute("value") == target) != box.is_checked():
            box.click()
    visible = page.locator("article.clause:not([hidden])").all()
    assert visible and all(target in a.get_attribute("data-labels").split() for a in visible)
    hidden = page.locator("article.clause[hidden]").count()
    assert hidden > 0
    page.close()
