"""Fast PDF text (`--fast-pdf`): pypdfium2's text layer, no layout analysis.

About ten times faster than the layout reader (clausecheck.readers.pdf) and meant for bulk runs.
What it gives up: no font sizes or weights (headings are found only by their numbers), no tables,
no rotated-text filter, no ligature repair; section numbers drawn as pictures are restored only
from the PDF's bookmarks. Running headers and
page numbers are still removed: lines that recur, digits aside, at the top or bottom of most pages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from statistics import median

from clausecheck.errors import InputError
from clausecheck.languages import all_words
from clausecheck.readers import ReadResult
from clausecheck.readers.text import _BULLET, _heading_number, parse

FORMAT = "pdf"
MARGIN_LINES = 6  # lines at the top and bottom of a page that may be running headers or footers
_PAGE_NUMBER = re.compile(r"^(side|page|s\.)?\s*\d+\s*((af|of|/)\s*\d+)?$", re.IGNORECASE)


def _page_texts(name: str, data: bytes) -> tuple[list[str], dict[int, list[str]]]:
    """Each page's text, and the PDF's bookmark titles by 0-based page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(f"{name} is encrypted with a password; remove the password and try again.") from None
        raise InputError(f"{name} is damaged or truncated and cannot be read as a PDF.") from None
    texts: list[str] = []
    bookmarks: dict[int, list[str]] = {}
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        for mark in pdf.get_toc(max_depth=8):
            dest = mark.get_dest()
            title = (mark.get_title() or "").strip()
            if dest is not None and dest.get_index() is not None and title:
                bookmarks.setdefault(dest.get_index(), []).append(title)
    except pdfium.PdfiumError:
        raise InputError(f"{name} is damaged or truncated and cannot be read as a PDF.") from None
    finally:
        pdf.close()
    return texts, bookmarks


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _number_headings(lines: list[str], titles: list[str]) -> list[str]:
    """Give a heading line the number its bookmark title has: some PDFs draw section numbers as
    pictures, so the text layer has "Socialt ansvar" where the outline says "7.2 Socialt ansvar"."""
    wanted = {}
    for title in titles:
        number = _heading_number(title)
        if number is not None and number.rest:
            wanted.setdefault(_squash(number.rest), title)
            wanted.setdefault(_squash(title), title)
    if not wanted:
        return lines
    return [wanted.get(_squash(line), line) if len(line) <= 120 else line for line in lines]


def _running(pages: list[list[str]]) -> set[str]:
    """Keys of lines that recur in the margins of at least half the pages (three at least)."""
    counts: Counter[str] = Counter()
    for lines in pages:
        margin = lines[:MARGIN_LINES] + lines[-MARGIN_LINES:]
        counts.update({re.sub(r"\d+", "#", line) for line in margin})
    floor = max(3, len(pages) // 2)
    return {key for key, n in counts.items() if n >= floor}


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines where a paragraph plausibly ends: around numbered headings, before bullets and
    after a short line that ends a sentence."""
    if not lines:
        return []
    full = median(len(line) for line in lines)
    references = {w.lower().rstrip(".") for w in all_words("section_words")}
    out: list[str] = []
    for i, line in enumerate(lines):
        # "… punkt" + "7.2 Lønsedler …": a cross-reference broken over lines, not a heading
        previous = lines[i - 1].split() if i else []
        after_reference = bool(previous) and previous[-1].lower().rstrip(".") in references
        heading = len(line) <= 100 and not line.endswith((".", ",", ";", ":")) and not after_reference and _heading_number(line) is not None
        if heading or _BULLET.match(line) or line.startswith("•"):
            out.append("")
        out.append(line.replace("•", "-", 1) if line.startswith("•") else line)
        if heading or (line.endswith((".", ":", ";")) and len(line) < 0.75 * full):
            out.append("")
    return out


def read(path: Path, data: bytes) -> ReadResult:
    texts, bookmarks = _page_texts(path.name, data)
    pages = [[line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()] for text in texts]
    if not pages:
        raise InputError(f"{path.name} has no pages.")
    if not any(pages):
        raise InputError(f"{path.name} has no text layer (it may be scanned) and OCR is not available; run OCR first (e.g. ocrmypdf).")
    running = _running(pages)
    lines: list[str] = []
    page_of_line: list[int] = []
    removed = 0
    for number, page in enumerate(pages, start=1):
        kept = [l for l in page if re.sub(r"\d+", "#", l) not in running and not _PAGE_NUMBER.match(l)]
        kept = _number_headings(kept, bookmarks.get(number - 1, []))
        removed += len(page) - len(kept)
        for line in _paragraphs(kept):
            lines.append(line)
            page_of_line.append(number)
        lines.append("")
        page_of_line.append(number)
    blocks = [replace(b, page=page_of_line[(b.paragraph or 1) - 1], paragraph=None) for b in parse("\n".join(lines))]
    empty = [n for n, page in enumerate(pages, start=1) if not page]
    warnings = [f"pages without a text layer (scanned?): {', '.join(map(str, empty[:20]))}"] if empty else []
    return ReadResult(blocks=blocks, pages=len(pages), metadata={"reader": "pypdfium2", "running_lines_removed": removed}, warnings=warnings)
