"""Quality elements E1-E16 of a social clause (DOMAIN.md §3), each with its evidence span.

Patterns live in clausecheck/data/elements/<lang>.toml. E15 (announced in the procurement
documents) and E16 (neutral wording) are not text patterns: E15 holds for every clause read from
the tender package itself, and E16 is the absence of the nationality/residence/local-agreement
risks found by the legal checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from clausecheck import datafile
from clausecheck.errors import DataFileError
from clausecheck.resources import DATA_DIR

ELEMENTS = {
    "E1": ("quantified target", "kvantificeret mål"),
    "E2": ("unit of measure", "måleenhed"),
    "E3": ("target group defined", "målgruppe defineret"),
    "E4": ("foreign equivalence", "udenlandsk ligestilling"),
    "E5": ("scope (tasks or trades)", "omfang (opgaver eller fag)"),
    "E6": ("new vs existing staff", "nye eller eksisterende ansatte"),
    "E7": ("period", "periode"),
    "E8": ("subcontractors", "underleverandører"),
    "E9": ("documentation duty", "dokumentationspligt"),
    "E10": ("reporting", "rapportering"),
    "E11": ("control", "kontrol"),
    "E12": ("sanctions", "sanktioner"),
    "E13": ("remedy", "afhjælpning (efterbetaling)"),
    "E14": ("fallback", "alternativ opfyldelse"),
    "E15": ("announced", "annonceret"),
    "E16": ("neutral wording", "neutral formulering"),
}
TEXT_ELEMENTS = tuple(code for code in ELEMENTS if code not in ("E15", "E16"))


@dataclass(frozen=True)
class ElementHit:
    code: str
    text: str
    start: int  # span in the text given to detect()
    end: int

    def to_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "start": self.start, "end": self.end}


def load_element_patterns(path) -> dict[str, tuple[re.Pattern[str], ...]]:
    f = datafile.load(path)
    out: dict[str, tuple[re.Pattern[str], ...]] = {}
    for i, entry in enumerate(f.data.get("element", [])):
        line = f.table_line("element", i)
        f.require(entry, ("code", "patterns"), f"element #{i + 1}", line)
        f.check_choice(entry["code"], TEXT_ELEMENTS, "element code", f.key_line("code", line))
        compiled = []
        for pattern in entry["patterns"]:
            try:
                compiled.append(re.compile(_run_start(pattern), re.IGNORECASE))
            except re.error as exc:
                raise f.error(f.key_line("patterns", line), f"element {entry['code']}: invalid regular expression {pattern!r} ({exc}).") from None
        out[entry["code"]] = tuple(compiled)
    return out


def _run_start(pattern: str) -> str:
    """A pattern that opens with a run of digits or word characters ("\\d+", "\\d[\\d.]*", "\\w*")
    only tried where such a run starts. Matches are the same (the leftmost match never starts inside
    the run: it could always start one character earlier), but a search over a long run of digits
    (an adversarial document) takes linear instead of quadratic time."""
    if re.match(r"\\d(?:\+|\[\\d)", pattern):
        return r"(?<!\d)" + pattern
    if re.match(r"\\w[*+]", pattern):
        return r"(?<!\w)" + pattern
    return pattern


@lru_cache(maxsize=8)
def patterns(lang: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    path = DATA_DIR / "elements" / f"{lang}.toml"
    if not path.exists():
        raise DataFileError(f"no element patterns for language {lang!r} ({path}).")
    return load_element_patterns(path)


def detect(text: str, lang: str) -> dict[str, ElementHit]:
    """The text elements present in a clause, each with its first evidence."""
    found: dict[str, ElementHit] = {}
    for code, compiled in patterns(lang).items():
        best = None
        for pattern in compiled:
            m = pattern.search(text)
            if m and (best is None or m.start() < best.start()):
                best = m
        if best is not None:
            found[code] = ElementHit(code, best.group(0), best.start(), best.end())
    return found
