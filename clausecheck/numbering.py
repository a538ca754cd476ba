"""Clause numbers as a reader sees them: "4.2.1", "§ 5", "Punkt 7", "Bilag 3", "I.", "a)".

`parse_number` recognises a number at the start of a line; `Number.depth` gives its level in the
document's outline; `plausible_after` tells whether a number can follow the previous ones, which
keeps amounts such as "3 mio. kr." at the start of a line from being read as clause numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from clausecheck.languages import all_words

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(text: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(text.upper()):
        value = _ROMAN.get(ch)
        if value is None:
            return None
        total += -value if value < prev else value
        prev = max(prev, value)
    return total or None


@dataclass(frozen=True, slots=True)
class Number:
    display: str  # as written, without trailing punctuation: "4.2.1", "§ 5", "Bilag 3", "a)"
    kind: str  # "decimal" | "section" | "roman" | "upper" | "lower"
    parts: tuple[int, ...]  # decimal parts, or (n,) for the other kinds
    rest: str  # the text after the number
    word: str | None = None  # "§", "Bilag", "Section" ...

    @property
    def depth(self) -> int:
        if self.kind == "decimal":
            return len(self.parts)
        return {"section": 1, "roman": 1, "upper": 2, "lower": 3}[self.kind]

    @property
    def is_list_marker(self) -> bool:
        return self.kind == "lower"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    words = "|".join(re.escape(w) for w in all_words("section_words"))
    return {
        "section": re.compile(
            rf"^(?P<word>{words})\s*(?P<n>\d{{1,3}}(?:\.\d{{1,3}}){{0,4}}|[A-Z]\b|[IVX]{{1,5}}\b)[.:]?(?:\s+(?P<rest>.*)|$)",
            re.IGNORECASE,
        ),
        "decimal": re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,3}){0,5})\.?(?:[ \t\u00a0]+(?P<rest>\S.*)|$)"),
        "roman": re.compile(r"^(?P<n>[IVX]{1,5})\.(?:\s+(?P<rest>\S.*)|$)"),
        "upper": re.compile(r"^(?P<n>[A-Z])[.)](?:\s+(?P<rest>\S.*)|$)"),
        "lower": re.compile(r"^\(?(?P<n>[a-zæøå]|[ivx]{1,4})\)(?:\s+(?P<rest>\S.*)|$)|^(?P<n2>[a-z])\.\s+(?P<rest2>\S.*)$"),
    }


def _letter_value(letter: str) -> int:
    order = "abcdefghijklmnopqrstuvwxyzæøå"
    return order.index(letter.lower()) + 1 if letter.lower() in order else 0


def parse_number(text: str) -> Number | None:
    """The number at the start of `text`, or None. Numbers alone on a line (rest "") are allowed."""
    text = text.lstrip()
    if not text or len(text) > 10_000:
        return None
    pats = _patterns()
    m = pats["section"].match(text)
    if m and (m.group("word") == "§" or m.group("word")[0].isupper()):
        word = m.group("word")
        n = m.group("n")
        display = f"{word} {n}"
        value = tuple(int(p) for p in n.split(".")) if n[0].isdigit() else (roman_to_int(n) or _letter_value(n),)
        return Number(display, "section", value, (m.group("rest") or "").strip(), word)
    m = pats["decimal"].match(text)
    if m:
        n = m.group("n")
        parts = tuple(int(p) for p in n.split("."))
        if parts[0] == 0 or parts[0] > 300:
            return None
        return Number(n, "decimal", parts, (m.group("rest") or "").strip())
    m = pats["roman"].match(text)
    if m and roman_to_int(m.group("n")):
        return Number(m.group("n") + ".", "roman", (roman_to_int(m.group("n")),), (m.group("rest") or "").strip())
    m = pats["upper"].match(text)
    if m:
        return Number(m.group(0).split()[0], "upper", (_letter_value(m.group("n")),), (m.group("rest") or "").strip())
    m = pats["lower"].match(text)
    if m:
        letter = m.group("n") or m.group("n2")
        rest = m.group("rest") if m.group("n") else m.group("rest2")
        marker = text[: text.index(letter) + len(letter) + 1]
        value = roman_to_int(letter) if len(letter) > 1 else _letter_value(letter)
        return Number(marker.strip(), "lower", (value or 0,), (rest or "").strip())
    return None


def looks_like_amount(number: Number) -> bool:
    """True when a leading number is an amount or a figure, not a heading number: the word after it
    shows an amount ("3 mio. kr.", "14 dage"), it is written with a thousands separator ("3.850"),
    or another digit group follows it ("77 66", a phone or CVR number broken over lines)."""
    if number.kind != "decimal":
        return False
    if len(number.parts) == 1 and number.parts[0] > 100:
        return True
    if len(number.parts) >= 2 and re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", number.display):
        return True
    if number.rest[:1].isdigit():
        return True
    first = re.split(r"[\s,;:]+", number.rest, maxsplit=1)[0].strip(".")
    return not first[:1].isupper() and first.lower() in all_words("number_followers")


def plausible_after(previous: tuple[int, ...] | None, candidate: tuple[int, ...]) -> bool:
    """Can decimal number `candidate` follow `previous` in an outline? (1 -> 1.1, 1.2 -> 1.3 or 2 ...)."""
    if previous is None:
        return candidate[0] <= 3 and all(p <= 3 for p in candidate[1:])
    if len(candidate) == len(previous) + 1 and candidate[:-1] == previous:
        return candidate[-1] <= 2  # first child
    for depth in range(1, len(previous) + 1):
        if len(candidate) == depth and candidate[:-1] == previous[: depth - 1]:
            return previous[depth - 1] < candidate[-1] <= previous[depth - 1] + 3
    if len(candidate) == len(previous) + 1 and candidate[:-2] == previous[:-1]:
        return candidate[-2] == previous[-1] + 1 and candidate[-1] == 1  # 1.2 -> 2.1? no: 3 -> 4.1 (skipped)
    return False
