"""Per-language data (clausecheck/data/lang/*.toml): adding a language is adding a file.

The readers and the segmenter run before the language is known, so they use the union of every
language's words; later stages pick one language's data.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clausecheck.errors import DataFileError

LANG_DIR = Path(__file__).parent / "data" / "lang"
_SEGMENTATION_KEYS = (
    "section_words",
    "page_number_patterns",
    "requirement_words",
    "hyphen_keep_before",
    "number_followers",
)


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    english_name: str
    segmentation: dict[str, tuple[str, ...]]
    supported: bool = True


def _load(path: Path) -> Language:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: invalid TOML ({exc}).") from None
    try:
        meta, seg = data["language"], data.get("segmentation", {})
        words = {key: tuple(seg.get(key, ())) for key in _SEGMENTATION_KEYS}
        for pattern in words["page_number_patterns"]:
            re.compile(pattern)
        return Language(meta["code"], meta["name"], meta.get("english_name", meta["name"]), words, bool(meta.get("supported", True)))
    except KeyError as exc:
        raise DataFileError(f"{path}: missing required key {exc}; expected [language] with code and name.") from None
    except re.error as exc:
        raise DataFileError(f"{path}: invalid regular expression in page_number_patterns ({exc}).") from None


@lru_cache(maxsize=1)
def languages() -> dict[str, Language]:
    """All supported languages by code."""
    return {lang.code: lang for lang in map(_load, sorted(LANG_DIR.glob("*.toml")))}


@lru_cache(maxsize=None)
def all_words(key: str) -> tuple[str, ...]:
    """The union over all languages of one segmentation word list, longest first."""
    words = {w for lang in languages().values() for w in lang.segmentation[key]}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))
