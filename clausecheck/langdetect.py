"""Language detection for documents and clauses: light, dependency-free, driven by data.

Each language file in clausecheck/data/lang/ lists frequent function words ([detection] stopwords)
and words that tell it from close neighbours (distinctive). A text's score for a language is the
share of its tokens found in those lists; the best language wins if it covers enough of the text.
Languages with ``supported = false`` in their file are recognised only to say they are not supported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from clausecheck.languages import LANG_DIR, languages

UNDETERMINED = "und"
MIN_SHARE = 0.12  # below this share of function words, we do not trust any language
MIN_TOKENS = 3
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Detection:
    lang: str  # an ISO 639-1 code, or "und"
    share: float  # share of tokens that are function words of that language
    supported: bool


@lru_cache(maxsize=1)
def _profiles() -> dict[str, tuple[frozenset[str], frozenset[str], bool]]:
    import tomllib

    profiles = {}
    for path in sorted(LANG_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        detection = data.get("detection", {})
        code = data["language"]["code"]
        profiles[code] = (
            frozenset(w.lower() for w in detection.get("stopwords", ())),
            frozenset(w.lower() for w in detection.get("distinctive", ())),
            bool(data["language"].get("supported", True)),
        )
    return profiles


@lru_cache(maxsize=1)
def _word_index() -> dict[str, tuple[tuple[int, int, int], ...]]:
    """Per listed word: (profile number, 1 if a stopword, 1 if distinctive) for each profile
    listing it, so that a text's tokens are looked up once rather than once per language."""
    index: dict[str, list[tuple[int, int, int]]] = {}
    for k, (stop, distinctive, _) in enumerate(_profiles().values()):
        for word in stop | distinctive:
            index.setdefault(word, []).append((k, int(word in stop), int(word in distinctive)))
    return {word: tuple(entries) for word, entries in index.items()}


def supported_languages() -> tuple[str, ...]:
    return tuple(code for code, (_, _, ok) in _profiles().items() if ok and code in languages())


def detect(text: str, max_chars: int = 20_000) -> Detection:
    tokens = [t.lower() for t in _TOKEN.findall(text[:max_chars])]
    if len(tokens) < MIN_TOKENS:
        return Detection(UNDETERMINED, 0.0, False)
    profiles = _profiles()
    hits, bonus = [0] * len(profiles), [0] * len(profiles)  # per profile: stopwords, distinctive words
    index = _word_index()
    for t in tokens:
        for k, stop, distinctive in index.get(t, ()):
            hits[k] += stop
            bonus[k] += distinctive
    best, best_score, best_share = UNDETERMINED, 0.0, 0.0
    for k, code in enumerate(profiles):
        share = hits[k] / len(tokens)
        score = share + 0.5 * bonus[k] / len(tokens)
        if score > best_score:
            best, best_score, best_share = code, score, share
    if best_share < MIN_SHARE:
        return Detection(UNDETERMINED, best_share, False)
    return Detection(best, round(best_share, 3), profiles[best][2])
