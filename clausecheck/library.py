"""The model-clause library (clause_library/<lang>/<id>.toml): load, validate, search, render.

Rendering fills {placeholders} from explicit parameters, then from the contract facts and the
policy profile (e.g. a trainee target from the contract value and the profile's ratio), then from
the entry's defaults when asked to. A parameter that nothing fills stays visible as a marked blank
("[[trainee_fte: årsværk]]"), never silently invented.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from clausecheck import datafile
from clausecheck.errors import DataFileError
from clausecheck.taxonomy import taxonomy

PARAM_TYPES = ("text", "integer", "number", "money", "percent", "months", "days")
CATEGORIES = ("contract_condition", "award_criterion", "technical_specification", "reservation", "internal_memo", "report_template")
LANGS = ("da", "en")
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    unit: str
    description: str


@dataclass(frozen=True)
class Entry:
    id: str
    version: str
    language: str
    title: str
    labels: tuple[str, ...]
    category: str
    purpose: str
    when_to_use: str
    when_not_to_use: str
    elements: tuple[str, ...]
    legal_basis: str
    keywords: tuple[str, ...]
    enforceable: bool
    check_exempt: bool
    parameters: tuple[Parameter, ...]
    text: str
    path: str

    def parameter(self, name: str) -> Parameter:
        return next(p for p in self.parameters if p.name == name)

    def to_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "path"}
        data["labels"] = list(self.labels)
        data["elements"] = list(self.elements)
        data["keywords"] = list(self.keywords)
        data["parameters"] = [p.__dict__ for p in self.parameters]
        return data


def _check_type(value: Any, kind: str) -> bool:
    if kind == "text":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def load_entry(path: Path) -> Entry:
    f = datafile.load(path)
    d = f.data
    required = ("id", "version", "language", "title", "labels", "category", "purpose", "when_to_use", "when_not_to_use", "elements", "legal_basis", "text")
    f.require(d, required, "the library entry", 1)
    if d["id"] != path.stem:
        raise f.error(f.key_line("id", 1), f"id {d['id']!r} must match the file name {path.stem!r}.")
    f.check_choice(d["language"], LANGS, "language", f.key_line("language", 1))
    if path.parent.name in LANGS and d["language"] != path.parent.name:
        raise f.error(f.key_line("language", 1), f"language {d['language']!r} does not match the folder {path.parent.name!r}.")
    f.check_choice(d["category"], CATEGORIES, "category", f.key_line("category", 1))
    for label in d["labels"]:
        f.check_choice(label, taxonomy().ids, "label", f.key_line("labels", 1))
    for element in d["elements"]:
        if not re.fullmatch(r"E(?:[1-9]|1[0-6])", element):
            raise f.error(f.key_line("elements", 1), f"element {element!r} is not one of E1-E16.")
    params = []
    for i, p in enumerate(d.get("parameter", [])):
        line = f.table_line("parameter", i)
        f.require(p, ("name", "type", "default", "description"), f"parameter #{i + 1}", line)
        f.check_choice(p["type"], PARAM_TYPES, f"parameter {p['name']!r}: type", f.key_line("type", line))
        if not _check_type(p["default"], p["type"]):
            raise f.error(f.key_line("default", line), f"parameter {p['name']!r}: default {p['default']!r} is not a {p['type']}.")
        params.append(Parameter(p["name"], p["type"], p["default"], p.get("unit", ""), p["description"]))
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise f.error(f.table_line("parameter", 0), "a parameter name is declared twice.")
    used = set(_FIELD.findall(d["text"]))
    undeclared, unused = used - set(names), set(names) - used
    if undeclared:
        raise f.error(f.key_line("text", 1), f"placeholders without a parameter: {', '.join(sorted(undeclared))}.")
    if unused:
        raise f.error(f.table_line("parameter", 0), f"parameters never used in the text: {', '.join(sorted(unused))}.")
    stray = re.sub(r"\{\w+\}", "", d["text"])
    if "{" in stray or "}" in stray:
        raise f.error(f.key_line("text", 1), "the text has a brace that is not a {placeholder}.")
    return Entry(
        id=d["id"], version=str(d["version"]), language=d["language"], title=d["title"], labels=tuple(d["labels"]),
        category=d["category"], purpose=d["purpose"], when_to_use=d["when_to_use"], when_not_to_use=d["when_not_to_use"],
        elements=tuple(d["elements"]), legal_basis=d["legal_basis"], keywords=tuple(d.get("keywords", [])), enforceable=bool(d.get("enforceable", True)),
        check_exempt=bool(d.get("check_exempt", False)), parameters=tuple(params), text=d["text"].strip(), path=str(path),
    )


@lru_cache(maxsize=2)
def library(root: str | None = None) -> dict[tuple[str, str], Entry]:
    """All entries by (id, language)."""
    from clausecheck.resources import shipped_dir

    base = Path(root) if root else shipped_dir("clause_library")
    entries: dict[tuple[str, str], Entry] = {}
    for path in sorted(base.glob("*/*.toml")):
        entry = load_entry(path)
        entries[(entry.id, entry.language)] = entry
    return entries


def get(entry_id: str, lang: str = "da") -> Entry:
    entries = library()
    if (entry_id, lang) in entries:
        return entries[(entry_id, lang)]
    ids = sorted({i for i, _ in entries})
    if any(i == entry_id for i in ids):
        raise DataFileError(f"library clause {entry_id!r} has no {lang!r} version.")
    raise DataFileError(f"unknown library clause {entry_id!r}; known: {', '.join(ids) or 'none'}.")


# --- rendering ------------------------------------------------------------------------------------


def _format(value: Any, param: Parameter, lang: str) -> str:
    if param.type == "text":
        return str(value)
    number = float(value)
    if param.type in ("integer", "days", "months") or number == int(number):
        text = f"{int(round(number)):,}"
    else:
        text = f"{number:,.1f}"
    if lang == "da":
        text = text.replace(",", "X").replace(".", ",").replace("X", ".")
    return text


PROFILE_PARAMETERS = {"hours_per_fte", "fine_per_week"}  # taken from the policy profile, not the contract


def parameter_source(name: str) -> str:
    """Where a derived parameter comes from: the policy profile or the contract's facts."""
    return "profile" if name in PROFILE_PARAMETERS else "facts"


def facts_parameters(facts, profile, lang: str) -> dict[str, Any]:
    """Parameter values that follow from the contract facts and the policy profile."""
    values: dict[str, Any] = {}
    if facts is None:
        return values
    if facts.buyer is not None:
        values["buyer"] = facts.buyer.value
    if facts.value_dkk is not None:
        values["contract_value"] = facts.value_dkk.value
    if facts.total_months is not None:
        values["contract_months"] = facts.total_months
    if profile is not None:
        tr = profile.training
        values["hours_per_fte"] = tr["hours_per_fte"]
        values["fine_per_week"] = profile.sanctions["fine_per_week_dkk"]
        if facts.value_dkk is not None and facts.total_months:
            years = max(facts.total_months / 12, 1)
            per_year = facts.value_dkk.value / years
            # one trainee FTE per profile ratio of yearly value, at least 1, in half-FTE steps
            values["trainee_fte"] = max(1.0, math.floor(2 * per_year / tr["trainee_fte_per_value_dkk"] + 0.5) / 2)
            values["trainee_hours"] = values["trainee_fte"] * tr["hours_per_fte"]
    return values


def render(entry: Entry, params: dict[str, Any] | None = None, facts=None, profile=None, use_defaults: bool = True) -> tuple[str, dict[str, str]]:
    """The entry's text with its placeholders filled, and where each value came from
    ("given", "facts", "profile", "default" or "blank")."""
    given = dict(params or {})
    derived = facts_parameters(facts, profile, entry.language)
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    for p in entry.parameters:
        if p.name in given:
            raw, source = given[p.name], "given"
            if p.type != "text":
                try:
                    raw = float(str(raw).replace(",", "."))
                except ValueError:
                    raise DataFileError(f"parameter {p.name!r} of {entry.id} must be a number, not {given[p.name]!r}.") from None
        elif p.name in derived:
            raw, source = derived[p.name], parameter_source(p.name)
        elif use_defaults:
            raw, source = p.default, "default"
        else:
            unit = f": {p.unit}" if p.unit else ""
            values[p.name] = f"[[{p.name}{unit}]]"
            sources[p.name] = "blank"
            continue
        values[p.name] = _format(raw, p, entry.language)
        sources[p.name] = source
    unknown = set(given) - {p.name for p in entry.parameters}
    if unknown:
        raise DataFileError(f"{entry.id} has no parameter {', '.join(sorted(unknown))}; its parameters are {', '.join(p.name for p in entry.parameters)}.")
    return string.Formatter().vformat(entry.text, (), values), sources


# --- search and matching ---------------------------------------------------------------------------


class Index:
    """TF-IDF over lemmas and character n-grams of each entry's title, purpose and text."""

    def __init__(self, entries: list[Entry]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.entries = entries
        # title and the search keywords count three times: they are what people type
        docs = [self._doc(" ".join([e.title, *e.keywords] * 3 + [e.purpose, e.text]), e.language) for e in entries]
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self.matrix = self.vectorizer.fit_transform(docs) if docs else None

    @staticmethod
    def _doc(text: str, lang: str) -> str:
        from clausecheck.nlp import analyse

        return " ".join(t.lemma_ for t in analyse(text, lang) if not t.is_punct)

    def search(self, query: str, lang: str | None = None, k: int = 5) -> list[tuple[Entry, float]]:
        if self.matrix is None:
            return []
        from clausecheck.langdetect import detect

        qlang = lang or (detect(query).lang if detect(query).supported else "da")
        q = self.vectorizer.transform([self._doc(query, qlang if qlang in LANGS else "da")])
        scores = (self.matrix @ q.T).toarray().ravel()
        ranked = sorted(range(len(self.entries)), key=lambda i: -scores[i])
        out = []
        for i in ranked:
            e = self.entries[i]
            if lang and e.language != lang:
                continue
            out.append((e, round(float(scores[i]), 3)))
            if len(out) == k:
                break
        return out


@lru_cache(maxsize=4)
def index(lang: str | None = None) -> Index:
    return Index([e for (_, l), e in sorted(library().items()) if lang is None or l == lang])


def nearest(text: str, labels: list[str], lang: str) -> tuple[Entry, float] | None:
    """The library clause closest to a detected clause, among those sharing one of its labels."""
    candidates = index(lang).search(text, lang, k=len(library()))
    for entry, score in candidates:
        if entry.category not in ("internal_memo", "report_template") and set(entry.labels) & set(labels):
            return entry, score
    return None


def readme(entries: dict[tuple[str, str], Entry]) -> str:
    """clause_library/README.md, generated from the data (a test checks it is current)."""
    lines = [
        "# Model-clause library",
        "",
        "Generated by `clausecheck library index` from the data files in this folder; do not edit by hand.",
        "File format: [SCHEMA.md](SCHEMA.md). Every entry is written by the clausecheck developers.",
        "",
        "| id | labels | category | elements | Danish title | English title |",
        "|---|---|---|---|---|---|",
    ]
    for entry_id in sorted({i for i, _ in entries}):
        da, en = entries.get((entry_id, "da")), entries.get((entry_id, "en"))
        any_entry = da or en
        flag = "" if any_entry.enforceable and not any_entry.check_exempt else " ¹"
        lines.append(
            f"| `{entry_id}`{flag} | {', '.join(any_entry.labels)} | {any_entry.category} | {' '.join(any_entry.elements)} | "
            f"{da.title if da else '–'} | {en.title if en else '–'} |"
        )
    lines += ["", "¹ Not a binding contract term (voluntary partnership, internal memo): exempt from the quality and legal checks.", ""]
    return "\n".join(lines)
