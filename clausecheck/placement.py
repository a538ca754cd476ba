"""Where a clause sits: contract condition, award criterion, selection criterion, technical
specification or reservation, read from its heading path (nearest heading first) and, failing
that, from its own first sentence. Words per placement live in the language files ([placement])."""

from __future__ import annotations

import re
from functools import lru_cache

from clausecheck.languages import LANG_DIR

ORDER = ("reservation", "selection_criterion", "award_criterion", "technical_specification", "contract_condition")


def _regex(words: list[str]) -> re.Pattern[str] | None:
    if not words:
        return None
    parts = []
    for w in words:
        body = re.escape(w.strip("*")).replace(r"\ ", r"\s+")
        parts.append((r"\w*" if w.startswith("*") else "") + body + (r"\w*" if w.endswith("*") else r"(?!\w)"))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


@lru_cache(maxsize=8)
def _words(lang: str) -> dict[str, re.Pattern[str] | None]:
    import tomllib

    path = LANG_DIR / f"{lang}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    table = data.get("placement", {})
    return {p: _regex(table.get(p, [])) for p in ORDER}


def detect_placement(heading_path: tuple[str, ...], text: str, lang: str, document_hint: str | None = None) -> tuple[str, str | None]:
    """The placement and the words that decided it (None when unknown)."""
    words = _words(lang)
    first_sentence = re.split(r"(?<=[.:;])\s", text.strip(), maxsplit=1)[0][:300]
    for source in [*reversed(heading_path), first_sentence, document_hint or ""]:
        for placement in ORDER:
            pattern = words.get(placement)
            m = pattern.search(source) if pattern and source else None
            if m:
                return placement, m.group(0)
    return "unknown", None
