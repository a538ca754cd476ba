"""Readers: one module per input format behind one small interface.

Each reader module has ``FORMAT`` and ``read(path, data) -> list[Block]`` (plus optional metadata
and warnings, returned as a `ReadResult`). `read_document` checks the file, decides its real format
from its bytes (not only its extension), calls the reader and assembles the `Document`: the blocks'
text joined into one string, each block with its span in it. Every failure a user can cause is an
`InputError` with one clear sentence.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from clausecheck.document import Block, Document
from clausecheck.errors import InputError
from clausecheck.normalise import clean

MAX_INPUT_BYTES = 512 * 1024 * 1024
BLOCK_SEPARATOR = "\n\n"


@dataclass
class ReadResult:
    blocks: list[Block]
    pages: int | None = None
    metadata: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def sniff_format(path: Path, head: bytes) -> str:
    """The real format of a file from its first bytes and its extension: pdf, docx or text."""
    suffix = path.suffix.lower()
    name = path.name
    if b"%PDF-" in head[:1024]:
        if suffix in (".docx", ".txt", ".md"):
            raise InputError(f"{name} has a {suffix} extension but is a PDF; rename it to .pdf.")
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if suffix == ".pdf":
            raise InputError(f"{name} has a .pdf extension but is a ZIP archive, not a PDF.")
        if suffix in (".docx", ".docm", ".dotx"):
            return "docx"
        if suffix == ".zip":
            raise InputError(f"{name} is a ZIP archive; give it to `clausecheck check` as a tender package.")
        return "docx"  # the DOCX reader says clearly if the archive is not a Word document
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{name} is a legacy Word .doc (or another OLE) file; save it as .docx and try again.")
    if suffix == ".pdf":
        raise InputError(f"{name} is not a PDF: it does not start with a %PDF header (truncated or mislabelled).")
    if suffix in (".docx", ".docm", ".dotx"):
        raise InputError(f"{name} is not a valid DOCX file: it is not a ZIP archive (corrupt or mislabelled).")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name} is a binary file of an unsupported format; clausecheck reads PDF, DOCX and text.")
    return "text"


def read_document(path: str | Path, fast_pdf: bool = False) -> Document:
    """Read a PDF, DOCX or text file into a Document. Raises InputError for anything unreadable.
    `fast_pdf` reads PDFs with pypdfium2's plain text layer instead of the layout reader."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist.")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a document.")
    try:
        size = path.stat().st_size
        if size == 0:
            raise InputError(f"{path.name} is empty (0 bytes).")
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{path.name} is {size // 2**20} MB; the limit is {MAX_INPUT_BYTES // 2**20} MB.")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path} cannot be read (permission denied).") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a document.") from None
    fmt = sniff_format(path, data[:2048])
    reader = _reader("pdf_fast" if fmt == "pdf" and fast_pdf else fmt)
    result = reader.read(path, data)
    blocks = [b for b in result.blocks if b.text.strip()]
    if not blocks:
        raise InputError(f"{path.name} contains no text.")
    text, blocks = assemble(blocks)
    return Document(
        path=str(path),
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        blocks=tuple(blocks),
        text=text,
        pages=result.pages,
        metadata=result.metadata,
        warnings=tuple(result.warnings),
    )


def _reader(fmt: str):
    if fmt == "pdf_fast":
        from clausecheck.readers import pdf_fast as reader
    elif fmt == "pdf":
        from clausecheck.readers import pdf as reader
    elif fmt == "docx":
        from clausecheck.readers import docx as reader
    else:
        from clausecheck.readers import text as reader
    return reader


def table_text(rows: tuple[tuple[str, ...], ...]) -> tuple[str, tuple[int, ...]]:
    """A table as text (cells joined by " | ", rows by newlines) and each row's start offset."""
    lines, starts, pos = [], [], 0
    for row in rows:
        line = " | ".join(cell.replace("\n", " ").strip() for cell in row)
        starts.append(pos)
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines), tuple(starts)


def table_block(rows: list[list[str | None]], **provenance) -> Block | None:
    """A table Block from raw rows: cells cleaned, empty rows dropped."""
    clean_rows = tuple(
        tuple(clean(cell or "").replace("\n", " ") for cell in row)
        for row in rows
        if any((cell or "").strip() for cell in row)
    )
    if not clean_rows:
        return None
    text, starts = table_text(clean_rows)
    return Block(kind="table", text=text, raw=text, rows=clean_rows, row_starts=starts, **provenance)


def assemble(blocks: list[Block]) -> tuple[str, list[Block]]:
    """Join block texts into the document text and give each block its span."""
    out, parts, pos = [], [], 0
    for block in blocks:
        if parts:
            parts.append(BLOCK_SEPARATOR)
            pos += len(BLOCK_SEPARATOR)
        parts.append(block.text)
        out.append(replace(block, start=pos, end=pos + len(block.text)))
        pos += len(block.text)
    return "".join(parts), out
