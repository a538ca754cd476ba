"""Segmentation: Document -> Clause[].

A clause is the body of the innermost (sub)section: the blocks between one heading and the next.
Numbered paragraphs ("12.3 The Supplier shall ...") start clauses of their own; list items stay
with their lead-in sentence; table rows that state a requirement become clauses of their own, with
the table's header row kept as context. A long section is split into parts at paragraph
boundaries, never inside a paragraph or between a lead-in and its list. Headings whose number is
drawn but not in the text layer (some PDFs draw "9.3" as a picture) get the number the outline
implies.

Every clause's text is ``document.text[clause.start:clause.end]``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from clausecheck.document import Block, Clause, Document
from clausecheck.languages import all_words
from clausecheck.numbering import parse_number, plausible_after

MAX_CLAUSE_CHARS = 1500


@dataclass
class _Section:
    number: str | None
    heading: str | None
    path: tuple[str, ...]
    kind: str
    blocks: list[int] = field(default_factory=list)


def _requirement_re() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in all_words("requirement_words"))
    return re.compile(rf"(?<!\w)({words})(?!\w)", re.IGNORECASE)


class _Outline:
    """The current position in the document's decimal outline, for numbers drawn as pictures."""

    def __init__(self) -> None:
        self.parts: list[int] = []
        self.hidden_depth: int | None = None

    def follow(self, number) -> None:
        """Move to an explicit number; letters, roman numerals and annexes restart the decimals."""
        if number is None:
            return
        if number.kind == "decimal" or (number.kind == "section" and number.word == "§"):
            self.parts = list(number.parts)
            self.hidden_depth = self.hidden_depth if number.kind == "decimal" else None
        elif number.kind in ("roman", "upper", "section"):
            self.parts = []

    def infer(self) -> str:
        depth = self.hidden_depth or min(len(self.parts) + 1, 2)
        self.hidden_depth = depth
        base = self.parts[: depth - 1] + [0] * max(0, depth - 1 - len(self.parts))
        current = self.parts[depth - 1] if len(self.parts) >= depth else 0
        self.parts = base + [current + 1]
        return ".".join(map(str, self.parts))


def _stable_id(number: str | None, text: str, seen: dict[str, int]) -> str:
    slug = re.sub(r"[^\w.]+", "", (number or "p").replace("§", "s")) or "p"
    digest = hashlib.sha1(f"{number}|{' '.join(text.split())}".encode()).hexdigest()[:6]
    key = f"{slug}-{digest}"
    seen[key] = seen.get(key, 0) + 1
    return key if seen[key] == 1 else f"{key}-{seen[key]}"


def _pages(blocks: list[Block]) -> tuple[int, ...]:
    pages: set[int] = set()
    for b in blocks:
        if b.page is not None:
            pages.update(range(b.page, (b.page_end or b.page) + 1))
    return tuple(sorted(pages))


def _heading_title(block: Block) -> str:
    if block.number and block.text.startswith(block.number):
        return block.text[len(block.number) :].lstrip(" .:–-\t") or block.text
    number = parse_number(block.text)
    if number is not None and number.rest and number.display == block.number:
        return number.rest
    return block.text


def segment(doc: Document, max_chars: int = MAX_CLAUSE_CHARS) -> list[Clause]:
    blocks = doc.blocks
    requirement = _requirement_re()
    clauses: list[Clause] = []
    seen: dict[str, int] = {}
    stack: list[tuple[int, str, str | None]] = []  # (level, heading as displayed, number kind)
    outline = _Outline()
    last_numbered_level = 0
    section = _Section(None, None, (), "preamble")

    def emit(indices: list[int], kind: str, part: int | None) -> None:
        if not indices:
            return
        first, last = blocks[indices[0]], blocks[indices[-1]]
        text = doc.text[first.start : last.end]
        clauses.append(
            Clause(
                id=_stable_id(section.number, text, seen),
                number=section.number,
                heading=section.heading,
                heading_path=section.path,
                text=text,
                start=first.start,
                end=last.end,
                pages=_pages([blocks[i] for i in indices]),
                blocks=tuple(indices),
                kind=kind,
                part=part,
                paragraph=first.paragraph,
            )
        )

    def flush() -> None:
        """Emit the pending blocks of the current section, in parts of at most max_chars."""
        units: list[list[int]] = []
        for i in section.blocks:
            if blocks[i].kind == "list_item" and units:
                units[-1].append(i)
            else:
                units.append([i])
        chunks: list[list[int]] = []
        size = 0
        for unit in units:
            length = blocks[unit[-1]].end - blocks[unit[0]].start
            if chunks and size + length > max_chars:
                chunks.append([])
                size = 0
            if not chunks:
                chunks.append([])
            chunks[-1].extend(unit)
            size += length
        for n, chunk in enumerate(chunks, start=1):
            emit(chunk, section.kind, n if len(chunks) > 1 else None)
        section.blocks = []
        section.kind = "section" if section.kind == "numbered_paragraph" and section.number is None else section.kind

    def emit_rows(index: int, block: Block) -> None:
        header = block.rows[0] if len(block.rows) > 1 else None
        for r, (row, start) in enumerate(zip(block.rows, block.row_starts)):
            if header is not None and r == 0:
                continue
            line = " | ".join(row)
            if not requirement.search(line):
                continue
            text_start = block.start + start
            clauses.append(
                Clause(
                    id=_stable_id(section.number, line, seen),
                    number=section.number,
                    heading=section.heading,
                    heading_path=section.path,
                    text=line,
                    start=text_start,
                    end=text_start + len(line),
                    pages=_pages([block]),
                    blocks=(index,),
                    kind="table_row",
                    table_header=header,
                    paragraph=block.row_paragraphs[r] if block.row_paragraphs else block.paragraph,
                )
            )

    for i, block in enumerate(blocks):
        if block.kind in ("toc", "title"):
            flush()
            continue
        if block.kind == "heading":
            flush()
            number = block.number
            display = block.text
            if number is None and block.number_hidden:
                number = outline.infer()
                display = f"{number} {block.text}"
            elif number is not None:
                parsed = parse_number(number + " x")
                if parsed is not None and parsed.kind == "decimal" and doc.format != "docx" and outline.parts and not _plausible(outline, parsed.parts):
                    section.blocks.append(i)  # "100 Roscommon Drive": a bold line, not a heading
                    continue
                outline.follow(parsed)
            if number is not None:
                level = block.level or number.count(".") + 1
                last_numbered_level = level
            else:
                level = block.level or last_numbered_level + 1
            while stack and stack[-1][0] >= level:
                stack.pop()
            parsed = parse_number(number + " x") if number else None
            stack.append((level, display, parsed.kind if parsed else None))
            title = _heading_title(block) if not block.number_hidden else block.text
            section.number, section.heading, section.path, section.kind = number, title, tuple(d for _, d, _ in stack), "section"
            continue
        if block.kind == "table":
            flush()
            if block.rows:
                emit_rows(i, block)
            continue
        if block.kind == "paragraph" and block.number is not None and _starts_numbered_clause(block, outline, doc.format):
            flush()
            parsed = parse_number(block.text)
            depth = parsed.depth if parsed is not None else 99
            kind = parsed.kind if parsed is not None else None
            # A number closes the open item of its own kind and everything opened inside it:
            # "II. SCOPE OF SERVICES. The Proposer shall ..." closes section I; "D." closes "C." and "6.".
            same = [j for j, (level, _, k) in enumerate(stack) if k == kind and (kind != "decimal" or level >= depth)]
            if same:
                del stack[same[0] if kind == "roman" else same[-1] :]
            title = _run_in_title(parsed.rest if parsed is not None else "")
            if title:  # "A. Purpose. This request ..." has a heading of its own
                stack.append((depth, f"{block.number} {title}", kind))
            section.path = tuple(d for _, d, _ in stack)
            section.heading = title or (_heading_title_of(stack[-1][1]) if stack else None)
            section.number = block.number
            section.kind = "numbered_paragraph"
            outline.follow(parse_number(block.text))
        section.blocks.append(i)
    flush()
    return clauses


def _run_in_title(rest: str) -> str | None:
    """The run-in title of a numbered paragraph: a short first sentence followed by more text."""
    m = re.match(r"^([^.:;]{2,60})[.:]\s+(\S.*)$", rest, re.DOTALL)
    if m and len(m.group(1).split()) <= 8 and m.group(1)[:1].isupper():
        return m.group(1).strip()
    return None


def _heading_title_of(display: str) -> str:
    parsed = parse_number(display)
    return parsed.rest if parsed is not None and parsed.rest else display


def _starts_numbered_clause(block: Block, outline: _Outline, fmt: str) -> bool:
    parsed = parse_number(block.text)
    if parsed is None:
        return False
    if parsed.kind != "decimal" or fmt == "docx":
        return True
    return not outline.parts or _plausible(outline, parsed.parts)


def _plausible(outline: _Outline, parts: tuple[int, ...]) -> bool:
    return plausible_after(tuple(outline.parts), parts) or parts[:-1] == tuple(outline.parts[: len(parts) - 1])
