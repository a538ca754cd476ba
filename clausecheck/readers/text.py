"""Plain text and Markdown reader: UTF-8 (with BOM or UTF-16) first, then cp1252, then latin-1.

Paragraphs are separated by blank lines; lines inside a paragraph are joined. Markdown headings
("# 4 Arbejdsklausul"), list markers ("- ", "* ", "a) ") and short numbered lines without a final
full stop ("4.2 Arbejdsklausul") become headings and list items, as a reader would see them.
"""

from __future__ import annotations

import re
from pathlib import Path

from clausecheck.document import Block
from clausecheck.errors import InputError
from clausecheck.normalise import clean, join_lines
from clausecheck.numbering import looks_like_amount, parse_number
from clausecheck.readers import ReadResult

FORMAT = "text"
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^\s*[-*•–+]\s+(.*)$")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Text and, when it was not UTF-8, a warning naming the encoding used."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            raise InputError(f"{name} claims to be UTF-16 but cannot be decoded as such.") from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), f"{name} is not UTF-8; read as Windows-1252 (cp1252)."
    except UnicodeDecodeError:
        return data.decode("latin-1"), f"{name} is not UTF-8; read as Latin-1 (ISO 8859-1)."


def _heading_number(line: str):
    number = parse_number(line)
    if number is None or number.kind == "lower" or looks_like_amount(number):
        return None
    if len(line) > 120 or line.rstrip().endswith((".", ",", ";")) and number.kind == "decimal" and len(number.rest) > 40:
        return None
    return number


def read(path: Path, data: bytes) -> ReadResult:
    text, warning = decode(data, path.name)
    if "\x00" in text:
        raise InputError(f"{path.name} is a binary file, not text.")
    return ReadResult(blocks=parse(text), warnings=[warning] if warning else [])


def parse(text: str) -> list[Block]:
    """Blocks of a plain text; each block's `paragraph` is the 1-based line it starts on."""
    text = clean(text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[Block] = []
    paragraph: list[str] = []
    line_no = 0
    para_line = 0

    def flush() -> None:
        if paragraph:
            joined = join_lines(paragraph)
            number = parse_number(joined)
            if number is not None and number.kind == "decimal" and len(number.parts) >= 2 and number.rest[:1].isupper() and not looks_like_amount(number):
                blocks.append(Block(kind="paragraph", text=joined, raw="\n".join(paragraph), number=number.display, level=number.depth, paragraph=para_line))
            else:
                blocks.append(Block(kind="paragraph", text=joined, raw="\n".join(paragraph), paragraph=para_line))
            paragraph.clear()

    table: list[list[str]] = []

    def flush_table() -> None:
        from clausecheck.readers import table_block

        if table:
            block = table_block(table, paragraph=para_line)
            if block is not None:
                blocks.append(block)
            table.clear()

    for line_no, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            flush()
            if not table:
                para_line = line_no
            if not _MD_TABLE_RULE.match(stripped):
                table.append([c.strip() for c in stripped.strip("|").split("|")])
            continue
        flush_table()
        if not stripped:
            flush()
            continue
        md = _MD_HEADING.match(stripped)
        bullet = _BULLET.match(line)
        number = parse_number(stripped)
        if md:
            flush()
            title = md.group(2)
            n = _heading_number(title)
            blocks.append(Block(kind="heading", text=title, raw=line, level=len(md.group(1)), number=n.display if n else None, paragraph=line_no))
        elif bullet:
            flush()
            para_line = line_no
            paragraph.append(bullet.group(1))
            blocks.append(Block(kind="list_item", text=bullet.group(1), raw=line, level=0, paragraph=line_no))
            paragraph.clear()
        elif number is not None and number.kind == "lower" and number.rest:
            flush()
            blocks.append(Block(kind="list_item", text=stripped, raw=line, number=number.display, level=1, paragraph=line_no))
        elif not paragraph and (n := _heading_number(stripped)) is not None and len(stripped) <= 100 and not stripped.endswith((".", ",", ";", ":")):
            blocks.append(Block(kind="heading", text=stripped, raw=line, level=n.depth, number=n.display, paragraph=line_no))
        else:
            if not paragraph:
                para_line = line_no
            paragraph.append(stripped)
    flush()
    flush_table()
    return blocks
