"""The rule signal of the classifier: lexicon patterns per label, from data files.

A lexicon (clausecheck/data/lexicon/<lang>.toml) lists patterns: terms with wildcards, words
that must be near for a match to count, and words near which a match is cancelled. Matching runs
over spaCy tokens, comparing each term with the token's lowercase text and lemma. Every match
explains itself: the pattern id, the words matched, their character span, and the context word
that allowed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from clausecheck import datafile
from clausecheck.resources import DATA_DIR
from clausecheck.taxonomy import taxonomy

DEFAULT_WINDOW = 8


@dataclass(frozen=True)
class Part:
    """One token of a term: kind is exact, prefix ("lærling*"), suffix ("*klausul") or infix."""

    kind: str
    value: str

    def matches(self, word: str) -> bool:
        if self.kind == "exact":
            return word == self.value
        if self.kind == "prefix":
            return word.startswith(self.value)
        if self.kind == "suffix":
            return word.endswith(self.value)
        return self.value in word


@dataclass(frozen=True)
class Term:
    parts: tuple[Part, ...]  # one per token
    text: str


@dataclass(frozen=True)
class Pattern:
    id: str
    label: str
    terms: tuple[Term, ...]
    unless_near: tuple[Term, ...]
    requires_near: tuple[Term, ...]
    window: int
    weight: float


@dataclass(frozen=True)
class Match:
    pattern: str
    label: str
    text: str  # the words matched, as written
    start: int  # character span in the analysed text
    end: int
    weight: float
    context: str | None = None  # the near word that allowed the match (requires_near)

    def to_dict(self) -> dict:
        data = {"source": "rule", "pattern": self.pattern, "label": self.label, "text": self.text, "start": self.start, "end": self.end, "weight": self.weight}
        if self.context:
            data["context"] = self.context
        return data


def _part(part: str) -> Part:
    value = part.strip("*").lower()
    lead, trail = part.startswith("*"), part.endswith("*") and len(part) > 1
    kind = "infix" if lead and trail else "suffix" if lead else "prefix" if trail else "exact"
    return Part(kind, value)


def compile_term(term: str, tokenizer) -> Term:
    parts: list[Part] = []
    for chunk in term.split():
        lead, trail = chunk.startswith("*"), chunk.endswith("*") and len(chunk) > 1
        tokens = [t.text for t in tokenizer(chunk.strip("*"))] or [chunk.strip("*")]
        for i, tok in enumerate(tokens):
            star_before = "*" if lead and i == 0 else ""
            star_after = "*" if trail and i == len(tokens) - 1 else ""
            parts.append(_part(f"{star_before}{tok}{star_after}"))
    return Term(tuple(parts), term)


@dataclass(frozen=True)
class Lexicon:
    lang: str
    patterns: tuple[Pattern, ...]
    path: Path
    # caches, not compared (a Lexicon stays hashable): the terms that can start at a word, so
    # that tokens matching nothing are skipped fast; the same for unless_near / requires_near
    # terms, keyed (pattern number, "unless_near" or "requires_near")
    first: "_FirstIndex" = field(compare=False)
    near: "_FirstIndex" = field(compare=False)


class _FirstIndex(dict):
    """Which (key, term) pairs can start at a word: index[(lowercase, lemma)] gives them in the
    order of `entries`. Prefixes and suffixes are bucketed by their first/last three letters,
    infixes screened by one regular expression. A dict computing each word's entry on first use
    (__missing__), so that the lookup for a word already seen, done for every token, is a plain
    dict lookup."""

    def __init__(self, entries: list[tuple]) -> None:
        super().__init__()
        self.entries = entries
        self.exact: dict[str, list[int]] = {}
        self.prefix: dict[str, list[int]] = {}
        self.suffix: dict[str, list[int]] = {}
        self.short: list[int] = []  # prefixes/suffixes under three letters
        self.infix: list[int] = []
        for e, (_, term) in enumerate(self.entries):
            first = term.parts[0]
            if first.kind == "exact":
                self.exact.setdefault(first.value, []).append(e)
            elif first.kind in ("prefix", "suffix") and len(first.value) >= 3:
                bucket = self.prefix if first.kind == "prefix" else self.suffix
                key = first.value[:3] if first.kind == "prefix" else first.value[-3:]
                bucket.setdefault(key, []).append(e)
            elif first.kind == "infix":
                self.infix.append(e)
            else:
                self.short.append(e)
        values = sorted({self.entries[e][1].parts[0].value for e in self.infix})
        self.infix_screen = re.compile("|".join(map(re.escape, values))) if values else None

    def _ids(self, word: str) -> set[int]:
        ids = set(self.exact.get(word, ()))
        maybe = self.prefix.get(word[:3], []) + self.suffix.get(word[-3:], []) + self.short
        if self.infix_screen is not None and self.infix_screen.search(word):
            maybe = maybe + self.infix
        ids.update(e for e in maybe if self.entries[e][1].parts[0].matches(word))
        return ids

    def __missing__(self, word: tuple[str, str]) -> tuple[tuple, ...]:
        text, lemma = word
        ids = self._ids(text) | (self._ids(lemma) if lemma != text else set())
        if len(self) > 200_000:  # bound the memory of very long runs
            self.clear()
        found = self[word] = tuple(self.entries[e] for e in sorted(ids))
        return found


def _any_first(patterns: list[Pattern]) -> _FirstIndex:
    return _FirstIndex([(k, term) for k, p in enumerate(patterns) for term in p.terms])


def _any_near(patterns: list[Pattern]) -> _FirstIndex:
    return _FirstIndex([((k, key), term) for k, p in enumerate(patterns) for key in ("unless_near", "requires_near") for term in getattr(p, key)])


def load_lexicon(path: str | Path, lang: str) -> Lexicon:
    from clausecheck.nlp import tokenizer_only

    f = datafile.load(path)
    tokenizer = tokenizer_only(lang).tokenizer
    labels = taxonomy().ids
    patterns, seen = [], set()
    for i, entry in enumerate(f.data.get("pattern", [])):
        line = f.table_line("pattern", i)
        f.require(entry, ("id", "label", "terms"), f"pattern #{i + 1}", line)
        if entry["id"] in seen:
            raise f.error(line, f"pattern id {entry['id']!r} is used twice.")
        seen.add(entry["id"])
        f.check_choice(entry["label"], labels, f"pattern {entry['id']!r}: label", f.key_line("label", line))
        weight = entry.get("weight", 0.7)
        if not isinstance(weight, (int, float)) or not 0 < weight <= 1:
            raise f.error(f.key_line("weight", line), f"pattern {entry['id']!r}: weight must be a number in (0, 1], not {weight!r}.")
        for key in ("terms", "unless_near", "requires_near"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
                raise f.error(f.key_line(key, line), f"pattern {entry['id']!r}: {key} must be a list of non-empty strings.")
        if not entry["terms"]:
            raise f.error(f.key_line("terms", line), f"pattern {entry['id']!r}: terms is empty.")
        unknown = set(entry) - {"id", "label", "terms", "unless_near", "requires_near", "window", "weight"}
        if unknown:
            raise f.error(line, f"pattern {entry['id']!r}: unknown key(s) {', '.join(sorted(unknown))}; allowed: id, label, terms, unless_near, requires_near, window, weight.")
        patterns.append(
            Pattern(
                id=entry["id"],
                label=entry["label"],
                terms=tuple(compile_term(t, tokenizer) for t in entry["terms"]),
                unless_near=tuple(compile_term(t, tokenizer) for t in entry.get("unless_near", [])),
                requires_near=tuple(compile_term(t, tokenizer) for t in entry.get("requires_near", [])),
                window=int(entry.get("window", DEFAULT_WINDOW)),
                weight=float(weight),
            )
        )
    return Lexicon(lang, tuple(patterns), f.path, _any_first(patterns), _any_near(patterns))


@lru_cache(maxsize=8)
def lexicon(lang: str) -> Lexicon:
    return load_lexicon(DATA_DIR / "lexicon" / f"{lang}.toml", lang)


def _matches_at(term: Term, words: list[tuple[str, str]], i: int) -> int:
    """Number of tokens term matches starting at token i (0 if it does not)."""
    n = len(term.parts)
    if i + n > len(words):
        return 0
    for k, part in enumerate(term.parts):
        text, lemma = words[i + k]
        if not (part.matches(text) or part.matches(lemma)):
            return 0
    return n


def _near(index: _FirstIndex, owner: tuple[int, str], words: list[tuple[str, str]], start: int, end: int, window: int) -> str | None:
    """The words of the first term of `owner` (a pattern's unless_near or requires_near) found
    within `window` tokens of start:end, the first term in its list winning at a token."""
    lo, hi = max(0, start - window), min(len(words), end + window)
    for i in range(lo, hi):
        if start <= i < end:
            continue
        for key, term in index[words[i]]:
            if key == owner:
                n = 1 if len(term.parts) == 1 else _matches_at(term, words, i)
                if n:
                    return " ".join(w for w, _ in words[i : i + n])
    return None


def match(doc, lang: str, suppressed: list | None = None) -> list[Match]:
    """All pattern matches in a text's tokens (nlp.Tokens, or a spaCy Doc), in text order.
    Matches cancelled by their context (unless_near, or requires_near missing) are appended to
    `suppressed` when it is given: they are evidence *against* a label (e.g. "elever" next to
    "skole")."""
    from clausecheck.nlp import Tokens

    tokens = doc if isinstance(doc, Tokens) else Tokens.from_doc(doc)
    lex = lexicon(lang)
    words = tokens.words
    # longest match per (start word, pattern), from the terms that can start at that word
    best: dict[int, dict[int, int]] = {}
    first = lex.first
    for i, word in enumerate(words):
        for k, term in first[word]:
            n = 1 if len(term.parts) == 1 else _matches_at(term, words, i)
            if n and n > best.setdefault(k, {}).get(i, 0):
                best[k][i] = n
    found: list[Match] = []
    for k, at in best.items():
        pattern = lex.patterns[k]
        taken = -1
        for i in sorted(at):
            n = at[i]
            if i < taken:
                continue
            taken = i + n
            context = None
            blocked = pattern.unless_near and _near(lex.near, (k, "unless_near"), words, i, i + n, pattern.window)
            if not blocked and pattern.requires_near:
                context = _near(lex.near, (k, "requires_near"), words, i, i + n, pattern.window)
                blocked = context is None
            start, end = tokens.span(i, n)
            if blocked:
                if suppressed is not None:
                    suppressed.append(Match(pattern.id, pattern.label, tokens.text[start:end], start, end, pattern.weight))
                continue
            found.append(Match(pattern.id, pattern.label, tokens.text[start:end], start, end, pattern.weight, context))
    found.sort(key=lambda m: (m.start, m.pattern))
    return found


def label_scores(matches: list[Match]) -> dict[str, float]:
    """Noisy-or of the match weights per label: several independent signals add up."""
    scores: dict[str, float] = {}
    for label in {m.label for m in matches}:
        miss = 1.0
        for m in matches:
            if m.label == label:
                miss *= 1 - m.weight
        scores[label] = round(1 - miss, 4)
    return scores
