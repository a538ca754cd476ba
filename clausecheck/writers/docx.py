"""DOCX output of a Review.

For a tender whose only Word document is the input: a copy of that document with native Word
comments anchored at each social or flagged clause (labels, strength, findings, suggested wording)
and, optionally, highlighting. The input file is never modified: the copy is made in memory and
written atomically. For other inputs (PDF, text, several documents): a review document with the
same clauses in order, commented the same way.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from clausecheck.errors import ClauseCheckError
from clausecheck.taxonomy import taxonomy
from clausecheck.writers.i18n import UI

AUTHOR, INITIALS = "clausecheck", "CC"


def comment_text(clause: dict | None, findings: list[dict], t: dict, lang: str) -> str:
    tax = taxonomy()
    lines = []
    if clause is not None and clause.get("labels"):
        names = ", ".join(tax.label(l).name[lang] for l in clause["labels"])
        placement = tax.placement_names[clause["placement"]][lang]
        lines.append(f"{names} · {t['strength']}: {t['strengths'][clause['strength']]} · {t['placement']}: {placement}")
    elif clause is None:
        lines.append(t["package_findings"])
    for f in findings:
        lines.append(f"[{t['severities'][f['severity']]}] {f['code']}: {f['message']}")
        lines.append(f"  {t['why']}: {f['why']}")
        for s in f.get("suggestions", [])[:1]:
            lines.append(f"  {t['suggestion']} ({s['title']}):")
            lines.append(s["text"])
    return "\n".join(lines)


def _anchor_runs(paragraph):
    """The runs to anchor a comment on; adds an empty run to a paragraph that has none."""
    runs = [r for r in paragraph.runs]
    if not runs:
        runs = [paragraph.add_run("")]
    return runs


def _flagged(review: dict) -> tuple[dict[str, list[dict]], list[dict]]:
    by_clause: dict[str, list[dict]] = {}
    package = []
    for f in review["findings"]:
        (by_clause.setdefault(f["clause_id"], []) if f["clause_id"] else package).append(f)
    return by_clause, package


def annotate_copy(review: dict, source: Path, ui_lang: str | None = None, highlight: bool = False) -> bytes:
    """A copy of the DOCX `source` with a comment at each social or flagged clause."""
    import docx
    from docx.enum.text import WD_COLOR_INDEX
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    data = source.read_bytes()
    doc_info = next((d for d in review["documents"] if d["name"] == source.name), None)
    if doc_info is None or hashlib.sha256(data).hexdigest() != doc_info["sha256"]:
        raise ClauseCheckError(f"{source.name} changed after it was reviewed; run the review again.")
    lang = ui_lang or (review["lang"] if review["lang"] in UI else "en")
    t = UI[lang]
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    paragraphs = list(body.iter(qn("w:p")))
    by_clause, package = _flagged(review)
    count = 0
    for clause in review["clauses"]:
        if clause["document"] != source.name:
            continue
        findings = by_clause.get(clause["id"], [])
        if not clause.get("labels") and not findings:
            continue
        index = clause.get("paragraph")
        if index is None or index >= len(paragraphs):
            continue
        paragraph = Paragraph(paragraphs[index], document._body)
        runs = _anchor_runs(paragraph)
        document.add_comment(runs, text=comment_text(clause, findings, t, lang), author=AUTHOR, initials=INITIALS)
        count += 1
        if highlight:
            for run in runs:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if package:
        first = next((p for p in paragraphs if "".join(p.itertext()).strip()), paragraphs[0] if paragraphs else None)
        if first is not None:
            document.add_comment(_anchor_runs(Paragraph(first, document._body)), text=comment_text(None, package, t, lang), author=AUTHOR, initials=INITIALS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def review_document(review: dict, ui_lang: str | None = None, highlight: bool = False) -> bytes:
    """A new DOCX with the review's summary and every clause in order, commented."""
    import docx
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import Mm, Pt

    lang = ui_lang or (review["lang"] if review["lang"] in UI else "en")
    t = UI[lang]
    tax = taxonomy()
    document = docx.Document()
    for section in document.sections:  # A4, as Danish documents are
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(22)
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(f"{t['title']}: {review['tender']}", level=0)
    s = review["summary"]
    document.add_paragraph(f"{t['documents']}: " + ", ".join(d["name"] for d in review["documents"]) + f" · {t['profile']}: {review['profile']}")
    document.add_heading(t["summary"], level=1)
    document.add_paragraph(f"{s['social_clauses']} {t['social_clauses']} / {s['clauses']} {t['clauses'].lower()}")
    for label, n in s["labels"].items():
        document.add_paragraph(f"{tax.label(label).name[lang]}: {n}", style="List Bullet")
    if s["quality_score"] is not None:
        document.add_paragraph(f"{t['quality']}: {s['quality_score']:.0f} / 100")
    by_clause, package = _flagged(review)
    if package:
        document.add_heading(t["package_findings"], level=1)
        for f in package:
            p = document.add_paragraph(f"{t['severities'][f['severity']]} {f['code']}: {f['message']}")
            document.add_comment(p.runs, text=comment_text(None, [f], t, lang), author=AUTHOR, initials=INITIALS)
    document.add_heading(t["clauses"], level=1)
    current_doc = None
    for clause in review["clauses"]:
        if clause["document"] != current_doc:
            current_doc = clause["document"]
            document.add_heading(current_doc, level=2)
        title = " ".join(x for x in (clause["number"], clause["heading"]) if x)
        if title:
            pages = f" ({t['page']} {clause['pages'][0]})" if clause["pages"] else ""
            document.add_heading(title + pages, level=3)
        p = document.add_paragraph(clause["text"])
        findings = by_clause.get(clause["id"], [])
        if clause.get("labels") or findings:
            document.add_comment(p.runs, text=comment_text(clause, findings, t, lang), author=AUTHOR, initials=INITIALS)
            if highlight:
                for run in p.runs:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    document.core_properties.author = AUTHOR
    document.core_properties.title = f"{t['title']}: {review['tender']}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(review: dict, sources: dict[str, Path], ui_lang: str | None = None, highlight: bool = False) -> bytes:
    """An annotated copy when the tender's one document is a DOCX; a review document otherwise."""
    docx_docs = [d for d in review["documents"] if d["format"] == "docx"]
    if len(review["documents"]) == 1 and len(docx_docs) == 1 and docx_docs[0]["name"] in sources:
        return annotate_copy(review, sources[docx_docs[0]["name"]], ui_lang, highlight)
    return review_document(review, ui_lang, highlight)
