"""The core types of the first pipeline stages: Block, Document and Clause (DESIGN.md §3).

A reader turns a file into a `Document`: an ordered tuple of `Block`s, each with its provenance
(page and bounding box for PDF, body paragraph index for DOCX) and its character span in
`Document.text`. Segmentation turns a Document into `Clause`s, whose spans index the same text:
``document.text[clause.start:clause.end] == clause.text`` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

BLOCK_KINDS = ("title", "heading", "paragraph", "list_item", "table", "toc")

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of the document as a reader sees it: a heading, paragraph, list item or table."""

    kind: str
    text: str  # normalised text, as placed in Document.text (tables: cells " | ", rows "\n")
    raw: str = ""  # the text as extracted, before normalisation
    start: int = 0  # span in Document.text
    end: int = 0
    level: int | None = None  # heading level (1 = top) or list level (0 = top)
    number: str | None = None  # the number a reader sees: "4.2.1", "§ 5", "Bilag 3", "a)"
    number_hidden: bool = False  # PDF: a number is drawn (e.g. as an image) but has no text
    page: int | None = None  # 1-based page (PDF; DOCX when known)
    page_end: int | None = None  # PDF: last page when a paragraph runs on to the next page
    bbox: BBox | None = None  # PDF points: x0, top, x1, bottom
    paragraph: int | None = None  # DOCX: index of the first w:p among all body paragraphs
    rows: tuple[tuple[str, ...], ...] | None = None  # tables only
    row_starts: tuple[int, ...] | None = None  # tables: offset of each row within `text`
    row_paragraphs: tuple[int | None, ...] | None = None  # DOCX tables: first w:p of each row
    style: str | None = None  # DOCX style name, PDF font name of the first word

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: v for k, v in data.items() if v not in (None, False, "")}


@dataclass(frozen=True, slots=True)
class Document:
    """A read document: its blocks and full text, with where it came from."""

    path: str
    format: str  # "pdf" | "docx" | "text"
    sha256: str
    blocks: tuple[Block, ...]
    text: str
    pages: int | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        from pathlib import PurePath

        return PurePath(self.path).name


@dataclass(frozen=True, slots=True)
class Clause:
    """A unit of obligation: the body of a (sub)section, a numbered paragraph, or a table row."""

    id: str  # stable: derived from number and text, not from position
    number: str | None  # as the reader sees it: "9.3", "§ 7", "Bilag 6", None before any number
    heading: str | None  # the title of the innermost heading ("Arbejdsklausul")
    heading_path: tuple[str, ...]  # outer to inner: ("9 Leverandørens personale", "9.3 Arbejdsklausul")
    text: str
    start: int
    end: int
    pages: tuple[int, ...]
    blocks: tuple[int, ...]  # indices into Document.blocks
    kind: str = "section"  # "section" | "numbered_paragraph" | "table_row" | "preamble"
    part: int | None = None  # 1, 2, ... when a long section is split into several clauses
    table_header: tuple[str, ...] | None = None  # table rows: the header cells, for context
    paragraph: int | None = None  # DOCX: first body paragraph of the clause (comment anchor)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["heading_path"] = list(self.heading_path)
        data["pages"] = list(self.pages)
        data["blocks"] = list(self.blocks)
        if self.table_header is not None:
            data["table_header"] = list(self.table_header)
        return data
