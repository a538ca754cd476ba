"""DOCX reader (python-docx + the underlying XML): the body in order, with Word's numbers.

Reads paragraphs and tables in body order (content controls included; headers, footers,
comments, footnotes and text boxes excluded), accepts tracked changes (insertions kept, deletions
dropped), takes heading levels from styles and outline levels, and reconstructs Word's automatic
numbering ("4.2.1", "Kapitel II", "a)") from numbering.xml so that clause numbers match what a
reader sees in Word. Each block keeps the index of its first ``w:p`` among all body paragraphs,
which later anchors Word comments.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from clausecheck.document import Block
from clausecheck.errors import InputError
from clausecheck.normalise import clean
from clausecheck.numbering import looks_like_amount, parse_number
from clausecheck.readers import ReadResult, table_block

FORMAT = "docx"
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # zip-bomb guard: total declared size of all parts
MAX_ENTRIES = 10_000

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


_SKIP = {q("del"), q("moveFrom"), q("txbxContent"), q("instrText"), q("delText"), f"{{{MC}}}Fallback", q("footnoteReference"), q("endnoteReference"), q("pPr"), q("rPr")}
_HEADING_STYLE = re.compile(r"^(heading|overskrift|rubrik)\s*(\d)$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(toc|indholdsfortegnelse|innehållsförteckning)\s*\d*$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(title|titel|subtitle|undertitel)$", re.IGNORECASE)


def check_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Open a ZIP safely: refuse archives that would decompress to more than the limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise InputError(f"{name} is not a valid DOCX file: the ZIP archive is damaged or truncated.") from None
    if len(infos) > MAX_ENTRIES:
        raise InputError(f"{name} has {len(infos)} parts inside; the limit is {MAX_ENTRIES} (possible zip bomb).")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            f"{name} would decompress to {total // 2**20} MB, over the {MAX_UNCOMPRESSED // 2**20} MB limit (possible zip bomb)."
        )
    return archive


_ELEMENT_START = re.compile(rb"<[A-Za-z_:]")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def refuse_dtd(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse XML parts that declare a DTD: Word never writes one, and one is how external entities
    (XXE) and entity-expansion bombs are smuggled in. python-docx's parser does not expand entities,
    but it would silently drop the text around them; better to say what is wrong."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(info) as part:
                head = b""
                while len(head) < (1 << 20):  # the prolog: everything before the root element
                    chunk = part.read(1 << 16)
                    head += chunk
                    if not chunk or _ELEMENT_START.search(head):
                        break
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError, zlib.error):
            raise InputError(f"{name} is not a valid DOCX file: the part {info.filename} is damaged.") from None
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head.decode("utf-16", "ignore").encode("utf-8")
        start = _ELEMENT_START.search(head)
        if _DTD.search(head[: start.start()] if start else head):
            raise InputError(
                f"{name} declares a DTD or entities in {info.filename}, which Word documents never do; "
                "refusing to read it (possible XML attack)."
            )


def paragraph_text(p) -> str:
    """Visible text of a w:p: insertions accepted, deletions, field codes and text boxes skipped."""
    parts: list[str] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == q("t"):
                parts.append(child.text or "")
            elif tag == q("tab"):
                parts.append("\t")
            elif tag in (q("br"), q("cr")):
                parts.append("\n")
            elif tag == q("noBreakHyphen"):
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _val(el, tag: str) -> str | None:
    child = el.find(q(tag)) if el is not None else None
    return child.get(q("val")) if child is not None else None


@dataclass
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None


def _styles(doc) -> dict[str, _Style]:
    styles: dict[str, _Style] = {}
    root = doc.styles.element
    for st in root.findall(q("style")):
        sid = st.get(q("styleId"))
        ppr = st.find(q("pPr"))
        numpr = ppr.find(q("numPr")) if ppr is not None else None
        ilvl = _val(numpr, "ilvl")
        outline = _val(ppr, "outlineLvl")
        styles[sid] = _Style(
            name=_val(st, "name") or sid,
            based_on=_val(st, "basedOn"),
            num_id=_val(numpr, "numId"),
            ilvl=int(ilvl) if ilvl is not None else None,
            outline=int(outline) if outline is not None else None,
        )
    return styles


def _style_attr(styles: dict[str, _Style], sid: str | None, attr: str):
    seen = set()
    while sid and sid in styles and sid not in seen:
        seen.add(sid)
        value = getattr(styles[sid], attr)
        if value is not None:
            return value
        sid = styles[sid].based_on
    return None


# --- automatic numbering -------------------------------------------------------------------------


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    style: str | None = None
    legal: bool = False


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


def _to_roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letters(n: int) -> str:
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_counter(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _to_roman(n).lower()
    if fmt == "upperRoman":
        return _to_roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Word's list counters, replayed paragraph by paragraph in document order."""

    def __init__(self, doc, styles: dict[str, _Style]) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.links: dict[str, str] = {}  # abstractNum -> numbering style it links to
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.styles = styles
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for ab in root.findall(q("abstractNum")):
            aid = ab.get(q("abstractNumId"))
            link = _val(ab, "numStyleLink")
            if link:
                self.links[aid] = link
            self.abstract[aid] = {int(l.get(q("ilvl"), "0")): self._level(l) for l in ab.findall(q("lvl"))}
        for num in root.findall(q("num")):
            nid = num.get(q("numId"))
            entry = _Num(abstract=_val(num, "abstractNumId") or "")
            for ov in num.findall(q("lvlOverride")):
                ilvl = int(ov.get(q("ilvl"), "0"))
                start = _val(ov, "startOverride")
                if start is not None:
                    entry.starts[ilvl] = int(start)
                lvl = ov.find(q("lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = self._level(lvl)
            self.nums[nid] = entry

    @staticmethod
    def _level(l) -> _Level:
        start = _val(l, "start")
        ppr_style = l.find(q("pStyle"))
        return _Level(
            start=int(start) if start is not None else 1,
            fmt=_val(l, "numFmt") or "decimal",
            text=_val(l, "lvlText") if l.find(q("lvlText")) is not None else "",
            style=ppr_style.get(q("val")) if ppr_style is not None else None,
            legal=l.find(q("isLgl")) is not None,
        )

    def _levels(self, num: _Num) -> tuple[str, dict[int, _Level]]:
        aid = num.abstract
        if aid in self.links:  # numStyleLink -> the style's own numbering
            style_num = _style_attr(self.styles, self.links[aid], "num_id")
            if style_num in self.nums and self.nums[style_num].abstract != aid:
                aid = self.nums[style_num].abstract
        levels = dict(self.abstract.get(aid, {}))
        levels.update(num.levels)
        return aid, levels

    def level_for_style(self, num_id: str, style_id: str | None) -> int:
        num = self.nums.get(num_id)
        if num is None:
            return 0
        _, levels = self._levels(num)
        for ilvl, level in levels.items():
            if level.style == style_id:
                return ilvl
        return 0

    def label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """The label Word shows for the next paragraph of list `num_id` at level `ilvl`, and its format."""
        num = self.nums.get(num_id)
        if num is None or num_id == "0":
            return None
        aid, levels = self._levels(num)
        level = levels.get(ilvl)
        if level is None:
            return None
        key = f"num{num_id}" if num.starts else f"abs{aid}"
        counters = self.counters.get(key)
        if counters is None:
            counters = self.counters[key] = [None] * 10
            for lvl, start in num.starts.items():
                if 0 <= lvl < 10:
                    counters[lvl] = start - 1
        current = counters[ilvl]
        counters[ilvl] = (levels[ilvl].start if current is None else current + 1)
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        if level.fmt == "bullet":
            return "•", "bullet"

        def repl(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            value = counters[k] if counters[k] is not None else lv.start
            return format_counter(value, "decimal" if level.legal and lv.fmt != "none" else lv.fmt)

        text = re.sub(r"%(\d)", repl, level.text or "")
        return text.strip(), level.fmt


# --- reading --------------------------------------------------------------------------------------


def _iter_body(el):
    """Body-level w:p and w:tbl in order, looking inside content controls (w:sdt)."""
    for child in el:
        if child.tag in (q("p"), q("tbl")):
            yield child
        elif child.tag == q("sdt"):
            content = child.find(q("sdtContent"))
            if content is not None:
                yield from _iter_body(content)
        elif child.tag in (q("customXml"), q("ins"), q("moveTo")):
            yield from _iter_body(child)


class _Reader:
    def __init__(self, doc) -> None:
        self.doc = doc
        self.styles = _styles(doc)
        self.numbering = Numbering(doc, self.styles)
        body = doc.element.body
        # keyed by the element itself: holding the proxies keeps their identity stable in lxml
        self.index = {p: i for i, p in enumerate(body.iter(q("p")))}
        self.body = body

    def numbered(self, p, style_id: str | None) -> tuple[str, str, int] | None:
        ppr = p.find(q("pPr"))
        numpr = ppr.find(q("numPr")) if ppr is not None else None
        num_id = _val(numpr, "numId")
        ilvl = _val(numpr, "ilvl")
        if num_id is None:
            num_id = _style_attr(self.styles, style_id, "num_id")
            if num_id is None:
                return None
            ilvl_i = _style_attr(self.styles, style_id, "ilvl")
            if ilvl_i is None:
                ilvl_i = self.numbering.level_for_style(num_id, style_id)
        else:
            ilvl_i = int(ilvl) if ilvl is not None else self.numbering.level_for_style(num_id, style_id)
        label = self.numbering.label(num_id, ilvl_i)
        return (label[0], label[1], ilvl_i) if label else None

    def paragraph(self, p) -> Block | None:
        ppr = p.find(q("pPr"))
        style_id = _val(ppr, "pStyle") or "Normal"
        style = self.styles.get(style_id)
        style_name = style.name if style else style_id
        label = self.numbered(p, style_id)
        raw = paragraph_text(p)
        text = clean(raw.replace("\t", " ")).replace("\n", " ").strip()
        if not text:
            return None
        index = self.index.get(p)
        outline = _val(ppr, "outlineLvl")
        outline_i = int(outline) if outline is not None else _style_attr(self.styles, style_id, "outline")
        m = _HEADING_STYLE.match(style_name)
        heading_level = int(m.group(2)) if m else (outline_i + 1 if outline_i is not None and outline_i < 9 else None)
        common = dict(raw=raw, paragraph=index, style=style_name)
        if _TITLE_STYLE.match(style_name):
            return Block(kind="title", text=text, **common)
        if _TOC_STYLE.match(style_name):
            return Block(kind="toc", text=text, **common)
        shown = label[0] if label and label[1] not in ("bullet", "none") and label[0] else None
        if heading_level is not None:
            if shown:
                number = shown.rstrip(".)")
                return Block(kind="heading", text=f"{shown} {text}", level=heading_level, number=number, **common)
            manual = parse_number(text)
            number = manual.display if manual and manual.kind != "lower" and not looks_like_amount(manual) else None
            return Block(kind="heading", text=text, level=heading_level, number=number, **common)
        if label:
            if label[1] == "bullet" or not shown:
                return Block(kind="list_item", text=text, level=label[2], **common)
            if re.fullmatch(r"\d+(\.\d+)+\.?", shown) and len(text) > 60:
                return Block(kind="paragraph", text=f"{shown} {text}", number=shown.rstrip("."), level=shown.count(".") + 1, **common)
            return Block(kind="list_item", text=f"{shown} {text}", number=shown, level=label[2], **common)
        manual = parse_number(text)
        if manual is not None and manual.rest:
            if manual.kind == "lower":
                return Block(kind="list_item", text=text, number=manual.display, level=1, **common)
            if manual.kind == "decimal" and len(manual.parts) >= 2 and manual.rest[:1].isupper() and not looks_like_amount(manual):
                return Block(kind="paragraph", text=text, number=manual.display, level=manual.depth, **common)
        return Block(kind="paragraph", text=text, **common)

    def table(self, tbl) -> Block | None:
        rows, anchors = [], []
        for tr in tbl.iter(q("tr")):
            if tr.getparent() is not tbl:
                continue  # nested tables are read as part of their cell's text
            cells, anchor = [], None
            for tc in tr.findall(q("tc")):
                paras = list(tc.iter(q("p")))
                if anchor is None and paras:
                    anchor = self.index.get(paras[0])
                texts = []
                for p in paras:
                    label = self.numbered(p, _val(p.find(q("pPr")), "pStyle"))
                    t = paragraph_text(p).strip()
                    if t:
                        texts.append(f"{label[0]} {t}" if label and label[1] not in ("bullet", "none") and label[0] else t)
                cells.append(" ".join(texts))
            rows.append(cells)
            anchors.append(anchor)
        first = next((a for a in anchors if a is not None), None)
        keep = [(r, a) for r, a in zip(rows, anchors) if any(c.strip() for c in r)]
        block = table_block([r for r, _ in keep], paragraph=first, style="table")
        if block is None:
            return None
        from dataclasses import replace

        return replace(block, row_paragraphs=tuple(a for _, a in keep))

    def blocks(self) -> list[Block]:
        out = []
        for el in _iter_body(self.body):
            block = self.paragraph(el) if el.tag == q("p") else self.table(el)
            if block is not None:
                out.append(block)
        return out


def read(path: Path, data: bytes) -> ReadResult:
    import docx

    name = path.name
    archive = check_zip(data, name)
    if "word/document.xml" not in archive.namelist():
        raise InputError(f"{name} is a ZIP archive but not a Word document (no word/document.xml).")
    refuse_dtd(archive, name)
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx/lxml raise many types for damaged packages
        raise InputError(f"{name} is a damaged Word document and cannot be read ({type(exc).__name__}).") from None
    try:
        blocks = _Reader(doc).blocks()
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{name} has a Word structure clausecheck cannot read ({type(exc).__name__}).") from None
    props = doc.core_properties
    metadata = {k: str(v) for k, v in (("title", props.title), ("author", props.author), ("modified", props.modified)) if v}
    return ReadResult(blocks=blocks, pages=None, metadata=metadata)
