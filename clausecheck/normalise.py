"""Text clean-up shared by the readers: whitespace, ligatures, line-end hyphens, broken glyphs."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from clausecheck.languages import all_words

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean(text: str) -> str:
    """Unicode NFC, ligature code points spelled out, soft hyphens and control characters removed,
    runs of spaces collapsed. Newlines are kept."""
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES).translate(_INVISIBLE)
    text = _CONTROL.sub(" ", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, rejoining words hyphenated at a line end ("arbejds-" +
    "klausul") but keeping hyphens of suspended compounds ("løn- og ansættelsesvilkår")."""
    keep = set(all_words("hyphen_keep_before"))
    # Built as a list of pieces with a short tail for the end-of-line test, so a paragraph of
    # 100,000 lines is joined in linear time (string concatenation and a regex over the whole
    # joined text made it quadratic).
    parts: list[str] = []
    tail = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not parts:
            parts.append(line)
            tail = line[-_TAIL:]
            continue
        m = _HYPHEN_END.search(tail) if tail.endswith("-") else None
        nxt = line.split(" ", 1)[0]
        if (
            m
            and len(m.group(1)) >= 2
            and m.group(1)[-1].islower()
            and nxt[:1].islower()
            and nxt.strip(",.;:").lower() not in keep
        ):
            parts[-1] = parts[-1][:-1]
            parts.append(line)
            tail = (tail[:-1] + line)[-_TAIL:]
        elif m and m.group(1).isupper() and len(m.group(1)) <= 3:
            parts.append(line)  # "E-" + "indkomst" -> "E-indkomst"
            tail = (tail + line)[-_TAIL:]
        else:
            parts.append(" " + line)
            tail = (tail + " " + line)[-_TAIL:]
    return "".join(parts)


_TAIL = 256  # enough of the joined text's end to see its last word (longer words only need len > 3)
_HYPHEN_END = re.compile(r"(\w+)-$")


# --- broken ligature glyphs ---------------------------------------------------------------------
# Some PDF producers map ligature glyphs ("ti", "tt", "ft", "fi" ...) to a wrong character, so the
# text layer says "EducaFon" or "submi?ed". Where a character keeps turning up between lowercase
# letters, we try each ligature in its place and keep the one that turns most of those words into
# words of the lexicon. Only repairs that win clearly are applied.
_CANDIDATES = ("ti", "tt", "ft", "fi", "fl", "ff", "ffi", "ffl", "tf", "th")
_SUSPECT = re.compile(r"(?<=[a-zæøå])([A-Z?!#$%&*+/<=>@^_|~])(?=[a-zæøå])")


@lru_cache(maxsize=4)
def _lexicon(lang: str) -> frozenset[str]:
    spec = find_spec("spacy_lookups_data")
    if spec is None or not spec.origin:
        return frozenset()
    path = Path(spec.origin).parent / "data" / f"{lang}_lemma_lookup.json.gz"
    if not path.exists():
        return frozenset()
    table = json.loads(gzip.open(path).read())
    return frozenset(w.lower() for pair in table.items() for w in pair)


def repair_glyphs(texts: list[str], min_count: int = 3) -> tuple[list[str], dict[str, str]]:
    """Repair glyphs that stand for a ligature in every text. Returns the texts and the repairs made."""
    suspects = Counter(m.group(1) for t in texts for m in _SUSPECT.finditer(t))
    suspects = {ch: n for ch, n in suspects.items() if n >= min_count}
    if not suspects:
        return texts, {}
    repairs: dict[str, str] = {}
    for ch in suspects:
        words = {
            m.group(0)
            for t in texts
            for m in re.finditer(rf"\w*[a-zæøå]{re.escape(ch)}[a-zæøå]\w*", t)
        }
        best, best_hits = None, 0
        for lang in ("en", "da"):
            lexicon = _lexicon(lang)
            if not lexicon:
                continue
            for cand in _CANDIDATES:
                hits = sum(
                    all(part.lower() in lexicon for part in w.replace(ch, cand).split())
                    for w in words
                )
                if hits > best_hits:
                    best, best_hits = cand, hits
        if best and best_hits >= max(2, 0.5 * len(words)):
            repairs[ch] = best
    if not repairs:
        return texts, {}
    chars = "".join(map(re.escape, repairs))
    inner = re.compile(rf"(?<=[A-Za-zæøåÆØÅ])([{chars}])(?=[a-zæøå])")
    initial = re.compile(rf"^([{chars}])(?=[a-zæøå]{{2,}})")
    lexicon = _lexicon("en") | _lexicon("da")

    def fix_word(match: re.Match[str]) -> str:
        word = inner.sub(lambda m: repairs[m.group(1)], match.group(0))
        # A word-initial capital is usually a real capital ("For"); repair it only if that makes a word.
        fixed = initial.sub(lambda m: repairs[m.group(1)], word)
        if fixed != word and fixed.lower() in lexicon and word.lower() not in lexicon:
            return fixed
        return word

    word_re = re.compile(r"[\w?!#$%&*+/<=>@^_|~]+")
    return [word_re.sub(fix_word, t) for t in texts], repairs
