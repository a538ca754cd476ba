#!/usr/bin/env python3
"""Build the clausecheck sample tender documents (DOCX and PDF) from ``samples/src/*.txt``.

Usage::

    python samples/build_samples.py               # rebuild every .docx and .pdf
    python samples/build_samples.py --no-pdf      # DOCX only (LibreOffice not needed)
    python samples/build_samples.py it-supply-da  # only the sources whose name contains the word

Every ``samples/src/<path>.txt`` becomes ``samples/<path>.docx`` and ``samples/<path>.pdf``
(``src/construction-da/kontrakt.txt`` -> ``construction-da/kontrakt.docx`` / ``.pdf``).
The PDF is made by LibreOffice (``soffice --headless --convert-to pdf``) from the DOCX, so both
carry the same content. The DOCX is byte-identical between runs (fixed core properties, fixed zip
entry timestamps); the PDF is not (LibreOffice stamps creation dates into it).

Source markup (one line = one paragraph; blank lines are ignored)
-----------------------------------------------------------------
``@title TEXT``         document title (style Title); also the DOCX core property "title"
``@subtitle TEXT``      optional subtitle (style Subtitle)
``@header TEXT``        running page header on every page
``@footer da|en``       footer "Side N af M" / "Page N of M" built from Word PAGE and NUMPAGES fields;
                        also sets the document language (da-DK / en-GB)
``@numbering auto``     headings get Word automatic multilevel numbering "1", "1.1", "1.1.1"; the
                        numbering is linked from the Heading 1-3 *styles* (w:numPr in styles.xml)
``@numbering auto paragraph``
                        same numbers, but w:numPr is written on each heading *paragraph* instead
``@numbering manual``   no automatic heading numbers: the author types them into the heading text
``# T`` / ``## T`` / ``### T``
                        Heading 1 / 2 / 3
``#* T`` / ``##* T`` / ``###* T``
                        the same heading level, but without automatic number (paragraph numId 0);
                        used for annexes ("Bilag 1 ...") in documents with automatic numbering
``- T``                 bullet list item (style List Bullet)
``+ T``                 lettered list item a), b), c) with automatic numbering (lowerLetter "%1)");
                        every run of consecutive ``+`` lines is its own list and restarts at a)
``| a | b | c |``       consecutive lines form a table (style Table Grid); the first row is the
                        header row (bold, repeated on each page); a row of dashes is ignored
``@pagebreak``          page break
anything else           a Normal paragraph

Nothing here is random: the same sources always give the same DOCX bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

try:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor
except ImportError:  # pragma: no cover - environment problem, explained to the user
    sys.exit("build_samples: python-docx is not installed; run it with the project virtualenv "
             "(e.g. /work/venv/bin/python samples/build_samples.py) or `pip install python-docx`.")

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"

AUTHOR = "clausecheck samples"
FIXED_TIME = dt.datetime(2026, 1, 15, 9, 0, 0, tzinfo=dt.timezone.utc)
ZIP_TIME = (2026, 1, 15, 9, 0, 0)
FONT = "Arial"  # LibreOffice renders it with the metric-compatible Liberation Sans

HEADING_NUM_ID = 90  # w:num for automatic heading numbering
HEADING_ABSTRACT_ID = 90
LETTER_ABSTRACT_ID = 91
FIRST_LETTER_NUM_ID = 100  # one w:num per lettered list, 100, 101, ...

FOOTER_WORDS = {"da": ("Side", "af", "da-DK"), "en": ("Page", "of", "en-GB")}


class MarkupError(Exception):
    """A problem in a source file, reported with file and line."""


# --------------------------------------------------------------------------- parsing


@dataclass
class Block:
    kind: str  # heading | para | bullet | letter | table | pagebreak
    line: int
    text: str = ""
    level: int = 0
    numbered: bool = True
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Spec:
    source: Path
    title: str = ""
    subtitle: str = ""
    header: str = ""
    footer: str = ""
    numbering: str = ""
    numbering_mode: str = "style"  # style | paragraph (only for auto)
    blocks: list[Block] = field(default_factory=list)


HEADING_RE = re.compile(r"^(#{1,3})(\*?)\s+(.*\S)\s*$")


def parse(path: Path) -> Spec:
    spec = Spec(source=path)
    lines = path.read_text(encoding="utf-8").splitlines()
    table: Block | None = None

    def fail(n: int, msg: str) -> MarkupError:
        return MarkupError(f"{path}:{n}: {msg}")

    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if table is not None and not line.startswith("|"):
            spec.blocks.append(table)
            table = None
        if not line:
            continue
        if line.startswith("|"):
            if not line.endswith("|"):
                raise fail(n, "a table row must start and end with '|'")
            cells = [c.strip() for c in line[1:-1].split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue  # markdown-style separator row
            if table is None:
                table = Block("table", n)
            elif len(cells) != len(table.rows[0]):
                raise fail(n, f"table row has {len(cells)} cells, the header row has {len(table.rows[0])}")
            table.rows.append(cells)
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            value = value.strip()
            if key in ("title", "subtitle", "header"):
                setattr(spec, key, value)
            elif key == "footer":
                if value not in FOOTER_WORDS:
                    raise fail(n, f"@footer must be one of {sorted(FOOTER_WORDS)}, got {value!r}")
                spec.footer = value
            elif key == "numbering":
                parts = value.split()
                if parts == ["manual"] or parts == ["auto"]:
                    spec.numbering = parts[0]
                elif parts == ["auto", "paragraph"]:
                    spec.numbering, spec.numbering_mode = "auto", "paragraph"
                else:
                    raise fail(n, f"@numbering must be 'auto', 'auto paragraph' or 'manual', got {value!r}")
            elif key == "pagebreak":
                spec.blocks.append(Block("pagebreak", n))
            else:
                raise fail(n, f"unknown directive @{key}; allowed: @title @subtitle @header @footer "
                              "@numbering @pagebreak")
            continue
        m = HEADING_RE.match(line)
        if m:
            spec.blocks.append(Block("heading", n, m.group(3), level=len(m.group(1)),
                                     numbered=not m.group(2)))
        elif line.startswith("- "):
            spec.blocks.append(Block("bullet", n, line[2:].strip()))
        elif line.startswith("+ "):
            spec.blocks.append(Block("letter", n, line[2:].strip()))
        elif line.startswith("#"):
            raise fail(n, "a heading is '#', '##' or '###' (optionally followed by '*') and a space")
        else:
            spec.blocks.append(Block("para", n, line))
    if table is not None:
        spec.blocks.append(table)
    for key in ("title", "header", "footer", "numbering"):
        if not getattr(spec, key):
            raise MarkupError(f"{path}: missing required directive @{key}")
    return spec


# --------------------------------------------------------------------------- DOCX helpers


def _el(tag: str, **attrs: str) -> OxmlElement:
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k), str(v))
    return e


def _set_font(style, size: float | None = None, bold: bool | None = None) -> None:
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        rpr.remove(fonts)
    rpr.insert(0, _el("w:rFonts", **{"w:ascii": FONT, "w:hAnsi": FONT, "w:cs": FONT, "w:eastAsia": FONT}))
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold


def _lvl(ilvl: int, fmt: str, text: str, left: int, hanging: int, style: str | None = None) -> OxmlElement:
    lvl = _el("w:lvl", **{"w:ilvl": ilvl})
    lvl.append(_el("w:start", **{"w:val": 1}))
    lvl.append(_el("w:numFmt", **{"w:val": fmt}))
    if style:
        lvl.append(_el("w:pStyle", **{"w:val": style}))
    lvl.append(_el("w:lvlText", **{"w:val": text}))
    lvl.append(_el("w:lvlJc", **{"w:val": "left"}))
    ppr = _el("w:pPr")
    tabs = _el("w:tabs")
    tabs.append(_el("w:tab", **{"w:val": "num", "w:pos": left}))
    ppr.append(tabs)
    ppr.append(_el("w:ind", **{"w:left": left, "w:hanging": hanging}))
    lvl.append(ppr)
    return lvl


class Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.doc = docx.Document()
        self.numbering = self.doc.part.numbering_part.element
        self.next_letter_num = FIRST_LETTER_NUM_ID
        self.lang = FOOTER_WORDS[spec.footer][2]

    # -- document setup
    def setup(self) -> None:
        sec = self.doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(25), Mm(22)
        sec.left_margin, sec.right_margin = Mm(25), Mm(20)
        sec.header_distance, sec.footer_distance = Mm(12), Mm(10)
        styles = self.doc.styles
        # document language and default font
        rpr = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = _el("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), self.lang)
        normal = styles["Normal"]
        _set_font(normal, 10.5)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.1
        for name, size in (("Title", 20), ("Subtitle", 13)):
            _set_font(styles[name], size)
            styles[name].font.italic = False
        for name, size in (("Heading 1", 13.5), ("Heading 2", 11.5), ("Heading 3", 10.5)):
            _set_font(styles[name], size, bold=True)
            pf = styles[name].paragraph_format
            pf.space_before, pf.space_after = Pt(14 if name == "Heading 1" else 10), Pt(4)
        for name in ("Header", "Footer"):
            _set_font(styles[name], 8)
        self._add_abstract_nums()
        if self.spec.numbering == "auto" and self.spec.numbering_mode == "style":
            for ilvl, name in enumerate(("Heading 1", "Heading 2", "Heading 3")):
                numpr = styles[name].element.get_or_add_pPr().get_or_add_numPr()
                numpr.get_or_add_ilvl().val = ilvl
                numpr.get_or_add_numId().val = HEADING_NUM_ID
        self._header_footer(sec)
        cp = self.doc.core_properties
        cp.author = AUTHOR
        cp.last_modified_by = AUTHOR
        cp.title = self.spec.title
        cp.subject = self.spec.subtitle
        cp.language = self.lang
        cp.comments = "Fictional sample document for clausecheck; generated by samples/build_samples.py"
        cp.created = FIXED_TIME
        cp.modified = FIXED_TIME
        cp.revision = 1

    def _add_abstract_nums(self) -> None:
        auto_style = self.spec.numbering == "auto" and self.spec.numbering_mode == "style"
        heading = _el("w:abstractNum", **{"w:abstractNumId": HEADING_ABSTRACT_ID})
        heading.append(_el("w:multiLevelType", **{"w:val": "multilevel"}))
        for ilvl, (text, left) in enumerate((("%1", 567), ("%1.%2", 709), ("%1.%2.%3", 851))):
            style = f"Heading{ilvl + 1}" if auto_style else None
            heading.append(_lvl(ilvl, "decimal", text, left, left, style))
        letter = _el("w:abstractNum", **{"w:abstractNumId": LETTER_ABSTRACT_ID})
        letter.append(_el("w:multiLevelType", **{"w:val": "singleLevel"}))
        letter.append(_lvl(0, "lowerLetter", "%1)", 720, 360))
        existing = self.numbering.findall(qn("w:abstractNum"))
        anchor = existing[-1] if existing else None
        for new in (heading, letter):
            if anchor is None:
                self.numbering.insert(0, new)
            else:
                anchor.addnext(new)
            anchor = new
        num = _el("w:num", **{"w:numId": HEADING_NUM_ID})
        num.append(_el("w:abstractNumId", **{"w:val": HEADING_ABSTRACT_ID}))
        self.numbering.append(num)

    def _new_letter_list(self) -> int:
        num_id = self.next_letter_num
        self.next_letter_num += 1
        num = _el("w:num", **{"w:numId": num_id})
        num.append(_el("w:abstractNumId", **{"w:val": LETTER_ABSTRACT_ID}))
        override = _el("w:lvlOverride", **{"w:ilvl": 0})
        override.append(_el("w:startOverride", **{"w:val": 1}))
        num.append(override)
        self.numbering.append(num)
        return num_id

    def _field(self, paragraph, instr: str) -> None:
        for kind, extra in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
            run = paragraph.add_run()
            if kind == "instr":
                t = _el("w:instrText")
                t.set(qn("xml:space"), "preserve")
                t.text = f" {extra} \\* MERGEFORMAT "
                run._r.append(t)
            elif kind == "text":
                run.text = extra
            else:
                run._r.append(_el("w:fldChar", **{"w:fldCharType": kind}))

    def _header_footer(self, sec) -> None:
        head = sec.header.paragraphs[0]
        head.text = self.spec.header
        head.style = self.doc.styles["Header"]
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        page, of, _ = FOOTER_WORDS[self.spec.footer]
        foot = sec.footer.paragraphs[0]
        foot.style = self.doc.styles["Footer"]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot.add_run(f"{page} ")
        self._field(foot, "PAGE")
        foot.add_run(f" {of} ")
        self._field(foot, "NUMPAGES")

    # -- blocks
    def _numpr(self, paragraph, num_id: int, ilvl: int = 0) -> None:
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = ilvl
        numpr.get_or_add_numId().val = num_id

    def body(self) -> None:
        d = self.doc
        d.add_paragraph(self.spec.title, style="Title")
        if self.spec.subtitle:
            d.add_paragraph(self.spec.subtitle, style="Subtitle")
        letter_num: int | None = None
        for b in self.spec.blocks:
            if b.kind != "letter":
                letter_num = None
            if b.kind == "heading":
                p = d.add_paragraph(b.text, style=f"Heading {b.level}")
                if self.spec.numbering == "auto":
                    if not b.numbered:
                        self._numpr(p, 0)
                    elif self.spec.numbering_mode == "paragraph":
                        self._numpr(p, HEADING_NUM_ID, b.level - 1)
            elif b.kind == "para":
                d.add_paragraph(b.text)
            elif b.kind == "bullet":
                d.add_paragraph(b.text, style="List Bullet")
            elif b.kind == "letter":
                if letter_num is None:
                    letter_num = self._new_letter_list()
                p = d.add_paragraph(b.text, style="List Paragraph")
                self._numpr(p, letter_num)
                p.paragraph_format.space_after = Pt(3)
            elif b.kind == "pagebreak":
                d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            elif b.kind == "table":
                self._table(b)

    def _table(self, b: Block) -> None:
        rows, cols = len(b.rows), len(b.rows[0])
        table = self.doc.add_table(rows=rows, cols=cols)
        table.style = self.doc.styles["Table Grid"]
        for r, row in enumerate(b.rows):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                para = cell.paragraphs[0]
                run = para.add_run(text)
                run.font.size = Pt(9.5)
                para.paragraph_format.space_after = Pt(2)
                if r == 0:
                    run.bold = True
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(_el("w:tblHeader"))
        # a little air between the table and the next paragraph
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def save(self, out: Path) -> None:
        self.setup()
        self.body()
        buf = io.BytesIO()
        self.doc.save(buf)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(normalise_zip(buf.getvalue()))


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a DOCX zip with fixed entry timestamps and attributes, so equal input gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.create_system = 0
            new.external_attr = 0
            dst.writestr(new, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- PDF


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("build_samples: LibreOffice (`soffice`) was not found on PATH; it is needed to make the "
                     "PDFs. Install it (Debian: apt-get install libreoffice-writer-nogui) or run with --no-pdf.")


def to_pdf(soffice: str, docx_path: Path) -> Path:
    """Convert one DOCX to PDF next to it; each conversion gets its own LibreOffice profile."""
    target = docx_path.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="lo-clausecheck-") as tmp:
        tmp_path = Path(tmp)
        profile = tmp_path / "profile"
        outdir = tmp_path / "out"
        outdir.mkdir()
        cmd = [soffice, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(outdir),
               str(docx_path), f"-env:UserInstallation={profile.as_uri()}"]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            raise SystemExit(f"build_samples: LibreOffice timed out converting {docx_path}")
        produced = outdir / (docx_path.stem + ".pdf")
        if proc.returncode != 0 or not produced.exists() or produced.stat().st_size == 0:
            raise SystemExit(
                f"build_samples: LibreOffice produced no PDF for {docx_path} (exit code {proc.returncode}).\n"
                f"command: {' '.join(cmd)}\nstdout: {proc.stdout.strip()}\nstderr: {proc.stderr.strip()}")
        shutil.move(str(produced), target)
    return target


def page_count(pdf: Path) -> int | None:
    try:
        import pypdfium2  # type: ignore
    except ImportError:
        pdfinfo = shutil.which("pdfinfo")
        if not pdfinfo:
            return None
        out = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
        return int(m.group(1)) if m else None
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("only", nargs="*", help="build only sources whose relative path contains one of these words")
    ap.add_argument("--no-pdf", action="store_true", help="write the DOCX files only")
    args = ap.parse_args(argv)

    sources = sorted(SRC.rglob("*.txt"))
    if args.only:
        sources = [s for s in sources if any(w in str(s.relative_to(SRC)) for w in args.only)]
    if not sources:
        print(f"build_samples: no source files found under {SRC}", file=sys.stderr)
        return 1
    soffice = None if args.no_pdf else find_soffice()
    for src in sources:
        rel = src.relative_to(SRC).with_suffix("")
        out = HERE / rel.with_suffix(".docx")
        try:
            Builder(parse(src)).save(out)
        except MarkupError as exc:
            print(f"build_samples: {exc}", file=sys.stderr)
            return 1
        line = f"{out.relative_to(HERE)}"
        if soffice:
            pdf = to_pdf(soffice, out)
            pages = page_count(pdf)
            line += f"  +  {pdf.relative_to(HERE)}" + (f"  ({pages} pages)" if pages else "")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
