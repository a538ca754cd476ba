"""Contract facts from the text of a tender: type, value, duration, CPV, place, framework, light
regime and buyer. Every fact carries the evidence it was read from; command-line overrides win.

Amounts are read in Danish ("5.000.000 kr.", "14,5 mio. kr.", "kr. 5 mio.") and English
("DKK 9,800,000", "EUR 5.4 million") notation, ranges included. An amount only counts as the
contract value when a value word ("anslået", "kontraktsum", "estimated value" ...) stands close
before it and no exclusion word (fines, insurance, thresholds) does, so a "bod på 5.000 kr." is
never taken for the value.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from clausecheck import datafile
from clausecheck.resources import DATA_DIR

CONTRACT_TYPES = ("works", "services", "supplies")
BUYER_TYPES = ("state", "municipal", "region")
CONTEXT_CHARS = 90  # how far before an amount or duration we look for context words


@dataclass(frozen=True)
class Evidence:
    text: str  # exactly the words the fact was read from
    start: int  # their span in the document text
    end: int
    source: str = "document"  # "document" | "override" | "notice"
    document: str | None = None  # file name within a tender package
    context: str = ""  # the surrounding words, for people


@dataclass(frozen=True)
class Fact:
    value: Any
    evidence: Evidence | None = None
    confidence: float = 1.0

    def to_dict(self) -> dict:
        data = {"value": self.value, "confidence": round(self.confidence, 2)}
        if self.evidence is not None:
            data["evidence"] = asdict(self.evidence)
        return data


@dataclass
class ContractFacts:
    contract_type: Fact | None = None
    value_dkk: Fact | None = None  # a number, ex VAT when the text says so
    value_range_dkk: Fact | None = None  # (min, max) when a range is given
    vat_included: Fact | None = None
    duration_months: Fact | None = None  # the base period
    extension_months: Fact | None = None  # options to extend, in total
    cpv: list[Fact] = field(default_factory=list)
    performed_in_denmark: Fact | None = None
    framework: Fact | None = None
    light_regime: Fact | None = None
    buyer: Fact | None = None
    buyer_type: Fact | None = None

    @property
    def total_months(self) -> float | None:
        if self.duration_months is None:
            return None
        return self.duration_months.value + (self.extension_months.value if self.extension_months else 0)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, list):
                out[name] = [f.to_dict() for f in value]
            else:
                out[name] = value.to_dict() if value is not None else None
        out["total_months"] = self.total_months
        return out


# --- vocabulary -----------------------------------------------------------------------------------


def _words_regex(words: list[str]) -> re.Pattern[str]:
    parts = []
    for w in words:
        body = re.escape(w.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(body + (r"\w*" if w.endswith("*") else r"(?!\w)"))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, re.Pattern[str]]]:
    f = datafile.load(DATA_DIR / "facts.toml")
    return {
        section: {key: _words_regex(words) for key, words in entries.items() if isinstance(words, list)}
        for section, entries in f.data.items()
    }


# --- numbers -------------------------------------------------------------------------------------

_NUM = r"\d{1,3}(?:[.,\u00a0 ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_CUR = r"kr\.?|dkk|kroner|eur|euro|€|gbp|£"
_MULT = r"mio\.?|millioner|million|mill\.?|mia\.?|milliarder|milliard|billion|mn\b|m\b|t\.?\s?kr\.?"
# "(?<!\d)": a number is only tried where a run of digits starts (a match never starts inside one,
# it could always start a digit earlier), so a long run of digits costs linear, not quadratic, time.
AMOUNT = re.compile(
    rf"(?:(?P<cur1>{_CUR})\s*)?(?<!\d)(?P<num>{_NUM})(?:\s*(?:-|–|til|to|og|and)\s*(?P<num2>{_NUM}))?\s*(?P<mult>{_MULT})?\s*(?P<cur2>{_CUR})?(?!\w)",
    re.IGNORECASE,
)
_RATES = {"eur": 7.46, "euro": 7.46, "€": 7.46, "gbp": 8.6, "£": 8.6}  # rough, for comparison only


def parse_number(text: str) -> float | None:
    """A number in Danish or English notation: 5.000.000 / 5,000,000 / 14,5 / 5.4 / 5 000 000."""
    s = text.replace("\u00a0", " ").strip()
    if re.fullmatch(r"\d{1,3}( \d{3})+", s):
        return float(s.replace(" ", ""))
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        decimal = "." if s.rfind(".") > s.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        s = s.replace(thousands, "").replace(decimal, ".")
    elif has_dot or has_comma:
        sep = "." if has_dot else ","
        groups = s.split(sep)
        if len(groups) > 2 or (len(groups) == 2 and len(groups[1]) == 3 and not (sep == "." and groups[0] == "0")):
            s = s.replace(sep, "")  # thousands separators
        else:
            s = s.replace(sep, ".")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None  # "999…9" (hundreds of digits) is no amount


def _multiplier(mult: str | None) -> float:
    if not mult:
        return 1.0
    m = mult.lower().rstrip(".")
    if m.startswith(("mio", "million", "mill", "mn")) or m == "m":
        return 1e6
    if m.startswith(("mia", "milliard", "billion")):
        return 1e9
    if m.startswith("t"):
        return 1e3
    return 1.0


@dataclass(frozen=True)
class Amount:
    low: float
    high: float
    currency: str
    start: int
    end: int
    text: str

    @property
    def dkk(self) -> tuple[float, float]:
        rate = _RATES.get(self.currency, 1.0)
        return self.low * rate, self.high * rate


def amounts(text: str) -> list[Amount]:
    found = []
    for m in AMOUNT.finditer(text):
        currency = (m.group("cur1") or m.group("cur2") or "").lower().rstrip(".")
        if not currency:
            continue
        low = parse_number(m.group("num"))
        high = parse_number(m.group("num2")) if m.group("num2") else low
        if low is None or high is None:
            continue
        factor = _multiplier(m.group("mult"))
        if not math.isfinite(high * factor * max(_RATES.values())):
            continue  # too large for a float even before conversion to DKK
        currency = "dkk" if currency in ("kr", "kroner", "dkk") else currency
        start = m.start() if m.group("cur1") else m.start("num")
        found.append(Amount(low * factor, high * factor, currency, start, m.end(), text[start : m.end()].strip()))
    return found


# --- durations ------------------------------------------------------------------------------------

_WORD_NUMBERS = {
    "et": 1, "en": 1, "én": 1, "ét": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10,
    "tolv": 12, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12,
}
_NUMWORD = r"\d+(?:[.,]5)?|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_UNIT = r"års?|år|måneders|måneder|måned|mdr\.?|months?|years?|uger|ugers|weeks?"
DURATION = re.compile(
    rf"(?<![\w.])(?:(?P<times>\d+|to|tre|fire|two|three|four)\s*(?:×|x|gange|times)\s*(?:med|af|by|of)?\s*)?(?P<n>{_NUMWORD})\s*(?:\(\d+\)\s*)?(?P<unit>{_UNIT})(?!\w)",
    re.IGNORECASE,
)
_MONTHS_DA = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
_MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_MONTH_RE = "|".join(_MONTHS_DA + _MONTHS_EN)
_DATE = rf"(?:\d{{1,2}}\.\s*(?:{_MONTH_RE})\s+\d{{4}}|\d{{1,2}}\s+(?:{_MONTH_RE})\s+\d{{4}}|\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{4}})"
DATE_RANGE = re.compile(rf"(?P<a>{_DATE})\s*(?:-|–|til og med|til|to|until)\s*(?P<b>{_DATE})", re.IGNORECASE)


def _number_word(s: str) -> float:
    s = s.lower()
    return float(_WORD_NUMBERS[s]) if s in _WORD_NUMBERS else float(s.replace(",", "."))


def _months(n: float, unit: str) -> float:
    u = unit.lower()
    if u.startswith(("år", "year")):
        return n * 12
    if u.startswith(("uge", "week")):
        return round(n * 12 / 52, 1)
    return n


def _parse_date(s: str) -> date | None:
    s = s.lower().strip()
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", s)
    if m:
        d, mo, y = map(int, m.groups())
    else:
        m = re.fullmatch(rf"(\d{{1,2}})\.?\s*({_MONTH_RE})\s+(\d{{4}})", s)
        if not m:
            return None
        d, y = int(m.group(1)), int(m.group(3))
        name = m.group(2)
        mo = (_MONTHS_DA.index(name) if name in _MONTHS_DA else _MONTHS_EN.index(name)) + 1
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def _months_between(a: date, b: date) -> float:
    months = (b.year - a.year) * 12 + (b.month - a.month) + (b.day - a.day + 1) / 30.4
    return round(months)


# --- extraction ------------------------------------------------------------------------------------


def _before(text: str, start: int, chars: int = CONTEXT_CHARS) -> str:
    window = text[max(0, start - chars) : start]
    cut = max(window.rfind(". "), window.rfind("\n"))  # stay within the sentence
    return window[cut + 1 :] if cut >= 0 else window


def _evidence(text: str, start: int, end: int, document: str | None) -> Evidence:
    lo = max(0, text.rfind("\n", 0, start) + 1, start - 70)
    hi = min(len(text), end + 50)
    nl = text.find("\n", end)
    if nl != -1:
        hi = min(hi, nl)
    if lo > 0 and text[lo - 1] not in " \n":  # snap the context to whole words
        space = text.find(" ", lo, start)
        lo = space + 1 if space != -1 else lo
    if hi < len(text) and text[hi : hi + 1] not in (" ", "\n", ""):
        space = text.rfind(" ", end, hi)
        hi = space if space != -1 else hi
    context = ("…" if lo > 0 and text[lo - 1] != "\n" else "") + text[lo:hi].strip() + ("…" if hi < len(text) and text[hi] != "\n" else "")
    return Evidence(text[start:end], start, end, "document", document, context)


def find_value(text: str, document: str | None = None) -> tuple[Fact | None, Fact | None, Fact | None]:
    vocab = vocabulary()["value"]
    best = None
    for amount in amounts(text):
        if not all(math.isfinite(x) for x in amount.dkk) or amount.high <= 0:
            continue  # hundreds of digits, or nothing: no contract value
        before = _before(text, amount.start)
        after = text[amount.end : amount.end + 40]
        if vocab["exclude"].search(before[-45:]) or vocab["exclude"].search(after[:25]):
            continue
        if not vocab["context"].search(before):
            continue
        score = 2.0 if vocab["strong"].search(before) else 1.0
        score += min(amount.high, 1e12) / 1e13  # among equals, the larger amount
        if best is None or score > best[0]:
            best = (score, amount)
    if best is None:
        return None, None, None
    amount = best[1]
    low, high = amount.dkk
    evidence = _evidence(text, amount.start, amount.end, document)
    confidence = 0.9 if best[0] >= 2 else 0.6
    value = Fact(round(high), evidence, confidence)
    value_range = Fact((round(low), round(high)), evidence, confidence) if low != high else None
    tail = text[amount.end : amount.end + 30].lower()
    vat = None
    if re.search(r"ekskl\.?\s*moms|eksklusiv[e]? moms|excl\.?\s*vat|excluding vat|ex\.? vat|uden moms", tail):
        vat = Fact(False, evidence)
    elif re.search(r"inkl\.?\s*moms|inklusiv[e]? moms|incl\.?\s*vat|including vat", tail):
        vat = Fact(True, evidence)
    return value, value_range, vat


def find_duration(text: str, document: str | None = None) -> tuple[Fact | None, Fact | None]:
    vocab = vocabulary()["duration"]
    base, extension = None, None
    extension_total = 0.0
    extension_evidence = None
    for m in DATE_RANGE.finditer(text):
        a, b = _parse_date(m.group("a")), _parse_date(m.group("b"))
        if a and b and b > a and vocab["context"].search(_before(text, m.start(), 140)):
            base = base or Fact(_months_between(a, b), _evidence(text, m.start(), m.end(), document), 0.8)
    for m in DURATION.finditer(text):
        n = _number_word(m.group("n"))
        months = _months(n, m.group("unit"))
        if m.group("times"):
            months *= _number_word(m.group("times"))
        if not math.isfinite(months):
            continue  # hundreds of digits: no duration
        if vocab["deadline"].match(text[m.end() : m.end() + 30].lstrip()):
            continue  # "6 måneder før kontraktudløb": a deadline, not the contract's length
        if vocab["notice"].search(text[max(0, m.start() - 25) : m.start()]):
            continue  # "opsigelse efter 12 måneder": a notice period
        if vocab["window"].search(text[max(0, m.start() - 35) : m.start()]):
            continue  # "70 dage i en periode på 1 år": the window of a count
        before = _before(text, m.start())
        if vocab["extension"].search(before[-70:]) or m.group("times"):
            if extension_evidence is None or extension_evidence.start != m.start():
                extension_total += months
                extension_evidence = extension_evidence or _evidence(text, m.start(), m.end(), document)
            continue
        if base is None and vocab["context"].search(before) and 1 <= months <= 240:
            base = Fact(months, _evidence(text, m.start(), m.end(), document), 0.8)
    if extension_total:
        extension = Fact(extension_total, extension_evidence, 0.7)
    return base, extension


CPV = re.compile(r"(?<!\d)(?P<code>\d{8})(?:\s*-\s*(?P<check>\d))?(?!\d)")


def find_cpv(text: str, document: str | None = None) -> list[Fact]:
    found, seen = [], set()
    for m in CPV.finditer(text):
        code = m.group("code")
        context = text[max(0, m.start() - 40) : m.start()].lower()
        if not m.group("check") and "cpv" not in context:
            continue
        if code in seen or code.startswith("0000"):
            continue
        seen.add(code)
        display = f"{code}-{m.group('check')}" if m.group("check") else code
        found.append(Fact(display, _evidence(text, m.start(), m.end(), document), 0.95))
    return found


def cpv_type(code: str) -> str | None:
    head = int(code[:2])
    if head == 45:
        return "works"
    if head >= 50:
        return "services"
    return "supplies"


def find_contract_type(text: str, cpv: list[Fact], document: str | None = None) -> Fact | None:
    if cpv:
        kind = cpv_type(cpv[0].value)
        return Fact(kind, cpv[0].evidence, 0.9)
    vocab = vocabulary()["contract_type"]
    counts = {kind: list(vocab[kind].finditer(text)) for kind in CONTRACT_TYPES}
    kind = max(CONTRACT_TYPES, key=lambda k: len(counts[k]))
    if not counts[kind]:
        return None
    first = counts[kind][0]
    total = sum(len(v) for v in counts.values())
    return Fact(kind, _evidence(text, first.start(), first.end(), document), round(len(counts[kind]) / total, 2))


_NEGATION = re.compile(r"(?:\bikke|\bingen|\bnot|\bno|\bnon-?)\s*(?:\w+\s+){0,2}$", re.IGNORECASE)


def _flag(section: str, key: str, text: str, document: str | None, value: Any = True) -> Fact | None:
    """A yes/no fact; "Kontrakten er ikke en rammeaftale" / "is not a framework" gives the opposite."""
    m = vocabulary()[section][key].search(text)
    if not m:
        return None
    negated = bool(_NEGATION.search(text[max(0, m.start() - 30) : m.start()]))
    return Fact((not value) if negated else value, _evidence(text, m.start(), m.end(), document), 0.8)


BUYER = re.compile(
    r"\b(?P<muni>[A-ZÆØÅ][\wæøåÆØÅ\-]+(?:[ -][A-ZÆØÅ][\wæøåÆØÅ\-]+)?) Kommune\b|\b(?P<region>Region [A-ZÆØÅ][\wæøå]+)\b|\b(?P<state>[A-ZÆØÅ][\wæøå]+(?:styrelsen|ministeriet|styrelse))\b"
    r"|\b(?P<council>[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Council|Municipality))\b"
)


def find_buyer(text: str, document: str | None = None) -> tuple[Fact | None, Fact | None]:
    counts: dict[tuple[str, str], list[re.Match]] = {}
    for m in BUYER.finditer(text):
        kind = "municipal" if m.group("muni") or m.group("council") else "region" if m.group("region") else "state"
        counts.setdefault((m.group(0), kind), []).append(m)
    if not counts:
        return None, None
    (name, kind), matches = max(counts.items(), key=lambda kv: (len(kv[1]), -kv[1][0].start()))
    evidence = _evidence(text, matches[0].start(), matches[0].end(), document)
    return Fact(name, evidence, 0.7), Fact(kind, evidence, 0.7)


def extract_facts(text: str, document: str | None = None) -> ContractFacts:
    """Contract facts from one document's text."""
    value, value_range, vat = find_value(text, document)
    duration, extension = find_duration(text, document)
    cpv = find_cpv(text, document)
    buyer, buyer_type = find_buyer(text, document)
    denmark = _flag("place", "denmark", text, document, True)
    abroad = _flag("place", "abroad", text, document, False)
    return ContractFacts(
        contract_type=find_contract_type(text, cpv, document),
        value_dkk=value,
        value_range_dkk=value_range,
        vat_included=vat,
        duration_months=duration,
        extension_months=extension,
        cpv=cpv,
        performed_in_denmark=denmark or abroad,
        framework=_flag("framework", "terms", text, document),
        light_regime=_flag("light_regime", "terms", text, document),
        buyer=buyer,
        buyer_type=buyer_type,
    )


def merge(facts: list[ContractFacts]) -> ContractFacts:
    """Facts of a tender package: for each fact, the most confident document wins."""
    out = ContractFacts()
    for name in out.__dataclass_fields__:
        if name == "cpv":
            seen, merged = set(), []
            for f in facts:
                for c in f.cpv:
                    if c.value[:8] not in seen:
                        seen.add(c.value[:8])
                        merged.append(c)
            out.cpv = merged
            continue
        candidates = [getattr(f, name) for f in facts if getattr(f, name) is not None]
        if candidates:
            setattr(out, name, max(candidates, key=lambda c: c.confidence))
    return out


def override(facts: ContractFacts, **values: Any) -> ContractFacts:
    """Apply command-line overrides (value, duration_months, contract_type, cpv, buyer_type)."""
    source = Evidence("given on the command line", 0, 0, "override")
    for name, value in values.items():
        if value is None:
            continue
        if name == "cpv":
            facts.cpv = [Fact(v, source) for v in value]
        elif name == "value":
            facts.value_dkk = Fact(float(value), source)
            facts.value_range_dkk = None
        else:
            setattr(facts, name, Fact(value, source))
    return facts
