"""PDF reader (pdfplumber): text in reading order with page and bounding box per block.

Per page: rotated text (margin version stamps) is dropped; tables are found and kept as table
blocks; the remaining lines are grouped into headings, paragraphs and list items by font weight,
size and vertical gaps. Across pages: lines that recur in the top or bottom margin on many pages
(running headers, "Side 3 af 30") are removed, paragraphs broken by a page break are rejoined, and
ligature glyphs that the PDF maps to wrong characters are repaired. Each page is closed after use
so memory stays flat on long documents.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from clausecheck.document import Block
from clausecheck.errors import InputError
from clausecheck.languages import all_words
from clausecheck.normalise import clean, join_lines, repair_glyphs
from clausecheck.numbering import looks_like_amount, parse_number
from clausecheck.readers import ReadResult, table_block

FORMAT = "pdf"
MARGIN = 0.10  # top and bottom share of the page where running headers and footers live
BULLETS = "•●▪■◦○‣∙·-–—*\uf0b7\uf0a7\uf0d8"
_TOC_LINE = re.compile(r"(\.{4,}|…{2,}|(\. ){4,}|_{4,})\s*\d+\s*$")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    font: str
    page: int
    glyph_left: bool = False  # a small picture sits just left of the line (a number drawn as an image)


@dataclass
class Page:
    number: int
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[tuple[float, Block]] = field(default_factory=list)  # (top, block)
    chars: int = 0
    image_cover: float = 0.0


def _upright(obj: dict) -> bool:
    if obj.get("object_type") != "char":
        return True
    a, b, c, d, *_ = obj.get("matrix", (1, 0, 0, 1))
    return abs(b) < 0.1 and abs(c) < 0.1 and a > 0 and d > 0


def _line(raw: dict, page: int, glyphs: list[tuple[float, float, float, float]]) -> Line | None:
    chars = [c for c in raw.get("chars", []) if c.get("text", "").strip()]
    if not chars:
        return None
    sizes = [round(c.get("size", 0), 1) for c in chars]
    bold = sum(bool(_BOLD.search(c.get("fontname", ""))) for c in chars) >= 0.8 * len(chars)
    x0, top, bottom = raw["x0"], raw["top"], raw["bottom"]
    glyph = any(gx1 <= x0 + 2 and gx1 >= x0 - 45 and gtop < bottom and gbottom > top for gx0, gtop, gx1, gbottom in glyphs)
    return Line(
        text=clean(raw["text"]),
        x0=x0,
        x1=raw["x1"],
        top=top,
        bottom=bottom,
        size=statistics.median(sizes),
        bold=bold,
        font=chars[0].get("fontname", ""),
        page=page,
        glyph_left=glyph,
    )


def _read_page(page, number: int) -> Page:
    out = Page(number=number, height=float(page.height))
    area = float(page.width * page.height) or 1.0
    images = page.images
    out.image_cover = sum((i["x1"] - i["x0"]) * (i["bottom"] - i["top"]) for i in images) / area
    glyphs = [
        (i["x0"], i["top"], i["x1"], i["bottom"])
        for i in images
        if i["x1"] - i["x0"] < 40 and i["bottom"] - i["top"] < 20
    ]
    upright = page.filter(_upright)
    out.chars = sum(1 for c in upright.chars if c.get("text", "").strip())
    if out.chars == 0:
        return out
    rest = upright
    for table in upright.find_tables():
        rows = table.extract()
        block = table_block(rows, page=number, bbox=tuple(round(v, 1) for v in table.bbox))
        if block is not None and len(block.rows) >= 1 and max(len(r) for r in block.rows) >= 2:
            out.tables.append((table.bbox[1], block))
            rest = rest.outside_bbox(table.bbox, strict=False)
    for raw in rest.extract_text_lines(return_chars=True, strip=True):
        line = _line(raw, number, glyphs)
        if line is not None and line.text:
            out.lines.append(line)
    return out


def _margin_key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower()).strip()


def _remove_running_lines(pages: list[Page]) -> int:
    """Drop lines in the top/bottom margins that recur on many pages, and page numbers anywhere
    in the margins. Returns the number of lines removed."""
    page_patterns = [re.compile(p) for p in all_words("page_number_patterns")]

    def in_margin(line: Line, page: Page) -> bool:
        return line.bottom < page.height * MARGIN * 1.3 or line.top > page.height * (1 - MARGIN * 1.3)

    counts = Counter()
    for page in pages:
        counts.update({_margin_key(l) for l in page.lines if in_margin(l, page)})
    threshold = max(2, int(0.4 * len(pages) + 0.5))
    removed = 0
    for page in pages:
        keep = []
        for line in page.lines:
            if in_margin(line, page):
                key = _margin_key(line)
                if (len(pages) >= 2 and counts[key] >= threshold) or any(p.match(line.text.lower()) for p in page_patterns):
                    removed += 1
                    continue
            keep.append(line)
        page.lines = keep
    return removed


def _body_size(pages: list[Page]) -> float:
    sizes = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _heading_like(line: Line, body: float, left: float = 0.0) -> bool:
    """Bold or larger than body text, short, and at the left margin unless numbered or large
    (centred bold lines are usually addresses or emphasis, not headings)."""
    if len(line.text) > 160 or _TOC_LINE.search(line.text):
        return False
    if line.size >= body + 1.0:
        return True
    return line.bold and (line.x0 <= left + 45 or parse_number(line.text) is not None)


def _starts_item(text: str) -> bool:
    if text[:1] in BULLETS and (len(text) == 1 or text[1:2] == " "):
        return True
    number = parse_number(text)
    return number is not None and number.kind in ("lower", "upper", "roman") and bool(number.rest)


def _group(pages: list[Page], body: float) -> list[list[Line] | Block]:
    """Group lines into paragraphs (lists of lines) and keep tables in place, in reading order."""
    groups: list[list[Line] | Block] = []
    left = _left_margin(pages)
    for page in pages:
        items: list[tuple[float, object]] = [(l.top, l) for l in page.lines] + list(page.tables)
        items.sort(key=lambda item: item[0])
        gaps = [
            b.top - a.bottom
            for a, b in zip(page.lines, page.lines[1:])
            if 0 <= b.top - a.bottom < 2 * a.size
        ]
        normal_gap = statistics.median(gaps) if gaps else body * 0.3
        current: list[Line] | None = None
        for _, item in items:
            if isinstance(item, Block):
                groups.append(item)
                current = None
                continue
            line = item
            heading = _heading_like(line, body, left)
            if current:
                prev = current[-1]
                prev_heading = _heading_like(prev, body, left)
                gap = line.top - prev.bottom
                if heading and not prev_heading and gap <= normal_gap * 1.8 and not re.search(r"[.:;!?]$", prev.text):
                    heading = prev_heading  # bold words continuing a sentence are emphasis, not a heading
                new = (
                    gap > max(normal_gap * 1.8, line.size * 0.45)
                    or heading != prev_heading
                    or _starts_item(line.text)
                    or parse_number(line.text) is not None and heading
                    or bool(_TOC_LINE.search(prev.text))
                    or line.glyph_left
                    or (prev_heading and abs(line.size - prev.size) > 0.6)
                )
                if not new:
                    current.append(line)
                    continue
            current = [line]
            groups.append(current)
    return groups


def _left_margin(pages: list[Page]) -> float:
    xs = sorted(l.x0 for p in pages for l in p.lines)
    return xs[len(xs) // 20] if xs else 0.0  # 5th percentile: robust to stray text in the margin


def _to_block(lines: list[Line], body: float, left: float) -> Block:
    first = lines[0]
    text = join_lines([l.text for l in lines])
    bbox = (
        round(min(l.x0 for l in lines), 1),
        round(first.top, 1),
        round(max(l.x1 for l in lines), 1),
        round(max(l.bottom for l in lines if l.page == first.page), 1),
    )
    last_page = lines[-1].page
    provenance = dict(page=first.page, page_end=last_page if last_page != first.page else None, bbox=bbox, style=first.font)
    if _TOC_LINE.search(first.text):
        return Block(kind="toc", text=text, raw=text, **provenance)
    number = parse_number(text)
    if _heading_like(first, body, left) and len(text) <= 200 and all(_heading_like(l, body, left) for l in lines):
        if number is not None and looks_like_amount(number):
            number = None
        level = number.depth if number is not None and number.kind != "lower" else None
        return Block(
            kind="heading",
            text=text,
            raw=text,
            level=level,
            number=number.display if number is not None and number.kind != "lower" else None,
            number_hidden=first.glyph_left and number is None,
            **provenance,
        )
    if text[:1] in BULLETS and text[1:2] == " ":
        return Block(kind="list_item", text=text[2:].strip(), raw=text, level=0, **provenance)
    if number is not None and number.kind in ("lower", "upper", "roman") and number.rest:
        kind = "list_item" if number.kind == "lower" else "paragraph"
        return Block(kind=kind, text=text, raw=text, number=number.display, level=number.depth if kind == "paragraph" else 1, **provenance)
    if number is not None and number.kind == "decimal" and number.rest[:1].isupper() and (len(number.parts) >= 2 or text.startswith(number.display + ".")) and not looks_like_amount(number):
        return Block(kind="paragraph", text=text, raw=text, number=number.display, level=number.depth, **provenance)
    return Block(kind="paragraph", text=text, raw=text, **provenance)


def _join_across_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page break continues on the next page with a lowercase word."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and block.kind == "paragraph"
            and block.number is None
            and prev.kind in ("paragraph", "list_item")
            and prev.page != block.page
            and (prev.page_end or prev.page) + 1 == block.page
            and not re.search(r"[.:;!?)]\s*$", prev.text)
            and block.text[:1].islower()
        ):
            text = join_lines([prev.text, block.text])
            out[-1] = replace(prev, text=text, raw=text, page_end=block.page)
            continue
        out.append(block)
    return out


class _LogCollector(logging.Handler):
    """Holds pdfminer's log records during a read, so a damaged PDF gives one document warning
    instead of lines of library logging on stderr (which Python prints when nothing handles them)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.first is None:
            self.first = " ".join(record.getMessage().split())[:160]


def read(path: Path, data: bytes) -> ReadResult:
    logger = logging.getLogger("pdfminer")
    collector = _LogCollector()
    propagate = logger.propagate
    logger.addHandler(collector)
    logger.propagate = False
    try:
        result = _read(path, data)
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate
    if collector.count:
        result.warnings.append(
            f"{path.name} is damaged or malformed: the PDF parser reported {collector.count} problem(s), "
            f"the first: {collector.first!r}; some text may be missing."
        )
    return result


def _read(path: Path, data: bytes) -> ReadResult:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    name = path.name
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise InputError(f"{name} is encrypted with a password; remove the password and try again.") from None
    except Exception as exc:  # pdfminer raises many types for damaged files
        if "password" in str(exc).lower() or "PDFPasswordIncorrect" in repr(exc):
            raise InputError(f"{name} is encrypted with a password; remove the password and try again.") from None
        raise InputError(f"{name} is damaged or truncated and cannot be read as a PDF ({type(exc).__name__}).") from None
    pages: list[Page] = []
    try:
        with pdf:
            metadata = {k: str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
            for number, page in enumerate(pdf.pages, start=1):
                try:
                    pages.append(_read_page(page, number))
                finally:
                    page.close()
    except InputError:
        raise
    except Exception as exc:
        if "password" in str(exc).lower() or "PDFPasswordIncorrect" in repr(exc):
            raise InputError(f"{name} is encrypted with a password; remove the password and try again.") from None
        raise InputError(f"{name} is damaged or truncated and cannot be read as a PDF ({type(exc).__name__}).") from None
    if not pages:
        raise InputError(f"{name} has no pages.")
    warnings: list[str] = []
    if sum(p.chars for p in pages) == 0:
        if max(p.image_cover for p in pages) > 0.3:
            raise InputError(f"{name} has no text layer (it looks scanned) and OCR is not available; run OCR first (e.g. ocrmypdf).")
        raise InputError(f"{name} contains no extractable text.")
    empty = [p.number for p in pages if p.chars == 0]
    if empty:
        warnings.append(f"pages without a text layer (scanned?): {', '.join(map(str, empty[:20]))}{' ...' if len(empty) > 20 else ''}")
    removed = _remove_running_lines(pages)
    body = _body_size(pages)
    left = _left_margin(pages)
    blocks = [g if isinstance(g, Block) else _to_block(g, body, left) for g in _group(pages, body)]
    blocks = _join_across_pages(blocks)
    texts, repairs = repair_glyphs([b.text for b in blocks])
    if repairs:
        warnings.append("repaired broken ligature glyphs: " + ", ".join(f"{k!r}→{v!r}" for k, v in sorted(repairs.items())))
        blocks = [replace(b, text=t) if b.kind != "table" else _repair_table(b, repairs) for b, t in zip(blocks, texts)]
    metadata["running_lines_removed"] = removed
    return ReadResult(blocks=blocks, pages=len(pages), metadata=metadata, warnings=warnings)


def _repair_table(block: Block, repairs: dict[str, str]) -> Block:
    from clausecheck.readers import table_text

    rows = tuple(tuple(repair_glyphs([c], min_count=1)[0][0] if any(k in c for k in repairs) else c for c in row) for row in block.rows)
    text, starts = table_text(rows)
    return replace(block, text=text, rows=rows, row_starts=starts)
