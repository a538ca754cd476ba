"""Output of `clausecheck extract`: clauses (or blocks) as text, JSON or JSON Lines."""

from __future__ import annotations

import json
import textwrap

from clausecheck.document import Clause, Document

SCHEMA = "clausecheck.extract"
SCHEMA_VERSION = 1


def document_info(doc: Document) -> dict:
    return {
        "path": doc.path,
        "name": doc.name,
        "format": doc.format,
        "sha256": doc.sha256,
        "pages": doc.pages,
        "characters": len(doc.text),
        "blocks": len(doc.blocks),
        "warnings": list(doc.warnings),
    }


def _pages(pages: tuple[int, ...]) -> str:
    if not pages:
        return ""
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}-{pages[-1]}"


def render(doc: Document, clauses: list[Clause], fmt: str, blocks: bool = False) -> str:
    items = [b.to_dict() for b in doc.blocks] if blocks else [c.to_dict() for c in clauses]
    if fmt == "json":
        key = "blocks" if blocks else "clauses"
        payload = {"schema": SCHEMA, "version": SCHEMA_VERSION, "document": document_info(doc), key: items}
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    lines = [f"{doc.name}: {doc.format}, {doc.pages or '?'} pages, {len(doc.blocks)} blocks, {len(clauses)} clauses"]
    if blocks:
        for i, b in enumerate(doc.blocks):
            where = f"p. {b.page}" if b.page else f"¶ {b.paragraph}" if b.paragraph is not None else ""
            lines.append(f"[{i}] {b.kind:<9} {b.number or '':<10} {where:<8} {b.text[:100]!r}")
        return "\n".join(lines) + "\n"
    for c in clauses:
        head = " > ".join(c.heading_path) or "(before the first heading)"
        label = c.number or "-"
        extra = f" (part {c.part})" if c.part else ""
        kind = "" if c.kind == "section" else f" [{c.kind.replace('_', ' ')}]"
        lines.append("")
        lines.append(f"{label}{extra}  {head}  {_pages(c.pages)}{kind}".rstrip())
        body = textwrap.shorten(" ".join(c.text.split()), width=400, placeholder=" …")
        lines.extend(textwrap.wrap(body, width=100, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(lines) + "\n"
