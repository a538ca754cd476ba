"""Checks as data: quality (Q1xx), legal risk (L2xx), completeness (C3xx) and opportunity (O4xx).

Rules live in clausecheck/data/rules/*.toml. Each names one of the few check kinds implemented
here (`KINDS`), a severity, a message and a "why" in Danish and English, its legal basis, the
library clause that fixes it, and examples that the test suite runs. `--select`/`--ignore` take
codes or prefixes ("L2", "Q101").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from clausecheck import datafile
from clausecheck.elements import TEXT_ELEMENTS
from clausecheck.errors import DataFileError
from clausecheck.resources import DATA_DIR
from clausecheck.taxonomy import PLACEMENTS, STRENGTHS, taxonomy

SEVERITIES = ("error", "warning", "info", "opportunity")
SEVERITY_RANK = {"opportunity": 0, "info": 1, "warning": 2, "error": 3}
FAMILIES = {"Q": "quality", "L": "legal", "C": "completeness", "O": "opportunity"}
LANGS = ("da", "en")
RULE_DIR = DATA_DIR / "rules"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    kind: str
    severity: str
    message: dict[str, str]
    why: dict[str, str]
    legal_basis: str
    fix: str | None
    labels: tuple[str, ...]
    params: dict[str, Any]
    examples: dict[str, str]
    path: str
    line: int

    @property
    def family(self) -> str:
        return FAMILIES[self.code[0]]


@dataclass
class Finding:
    code: str
    name: str
    family: str
    severity: str
    message: str
    why: str
    legal_basis: str
    clause_id: str | None = None
    document: str | None = None
    evidence: dict | None = None  # {"text", "start", "end"} in the document text
    fix: str | None = None
    suggestions: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


# --- loading -------------------------------------------------------------------------------------

_COMMON = {"code", "name", "kind", "severity", "message", "why", "legal_basis", "fix", "labels", "examples"}
_KIND_PARAMS = {
    "missing_element": {"elements", "strengths"},
    "soft_wording": set(),
    "text_pattern": {"patterns", "unless_elements", "unless_package_labels", "placements"},
    "missing_pattern": {"patterns"},
    "placement": {"placements"},
    "facts_condition": {"when", "require_elements"},
    "section_176_2": set(),
    "labour_clause_required": set(),
    "csr_annex_expected": {"profile_for_examples"},
    "comply_or_explain": set(),
    "label_present": set(),
    "label_pattern": {"patterns"},
    "notice_not_implemented": set(),
    "notice_not_declared": set(),
}


def _load_file(path: Path) -> list[Rule]:
    f = datafile.load(path)
    labels = taxonomy().ids
    rules = []
    for i, entry in enumerate(f.data.get("rule", [])):
        line = f.table_line("rule", i)
        f.require(entry, ("code", "name", "kind", "severity", "message", "why", "legal_basis"), f"rule #{i + 1}", line)
        code = entry["code"]
        if not re.fullmatch(r"[QLCO]\d{3}", code):
            raise f.error(f.key_line("code", line), f"rule code {code!r} must be a family letter (Q, L, C, O) and three digits.")
        f.check_choice(entry["kind"], _KIND_PARAMS, f"rule {code}: kind", f.key_line("kind", line))
        f.check_choice(entry["severity"], SEVERITIES, f"rule {code}: severity", f.key_line("severity", line))
        allowed = _COMMON | _KIND_PARAMS[entry["kind"]]
        unknown = sorted(set(entry) - allowed)
        if unknown:
            raise f.error(line, f"rule {code}: unknown key(s) {', '.join(unknown)} for kind {entry['kind']!r}; allowed: {', '.join(sorted(allowed))}.")
        for key in ("message", "why"):
            missing = [lang for lang in LANGS if lang not in entry[key]]
            if missing:
                raise f.error(f.key_line(key, line), f"rule {code}: {key} needs the languages {', '.join(missing)}.")
        for label in entry.get("labels", []):
            f.check_choice(label, labels, f"rule {code}: label", f.key_line("labels", line))
        for element in entry.get("elements", []) + entry.get("unless_elements", []) + entry.get("require_elements", []):
            f.check_choice(element, TEXT_ELEMENTS, f"rule {code}: element", line)
        for placement in entry.get("placements", []):
            f.check_choice(placement, PLACEMENTS, f"rule {code}: placement", f.key_line("placements", line))
        for strength in entry.get("strengths", []):
            f.check_choice(strength, STRENGTHS, f"rule {code}: strength", f.key_line("strengths", line))
        patterns = {}
        for lang, items in entry.get("patterns", {}).items():
            try:
                patterns[lang] = tuple(re.compile(p, re.IGNORECASE) for p in items)
            except re.error as exc:
                raise f.error(f.key_line("patterns", line), f"rule {code}: invalid regular expression for {lang} ({exc}).") from None
        params = {k: v for k, v in entry.items() if k not in _COMMON}
        if patterns:
            params["patterns"] = patterns
        rules.append(
            Rule(
                code=code, name=entry["name"], kind=entry["kind"], severity=entry["severity"],
                message=dict(entry["message"]), why=dict(entry["why"]), legal_basis=entry["legal_basis"],
                fix=entry.get("fix"), labels=tuple(entry.get("labels", [])), params=params,
                examples=dict(entry.get("examples", {})), path=str(path), line=line,
            )
        )
    return rules


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for path in sorted(RULE_DIR.glob("*.toml")):
        rules.extend(_load_file(path))
    codes = [r.code for r in rules]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise DataFileError(f"{RULE_DIR}: rule codes used twice: {', '.join(dup)}.")
    return tuple(sorted(rules, key=lambda r: r.code))


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> tuple[Rule, ...]:
    """Rules whose code starts with any `select` prefix (all when empty) and no `ignore` prefix."""
    select, ignore = [s.upper() for s in select if s], [s.upper() for s in ignore if s]
    known = [r.code for r in all_rules()]
    for prefix in select + ignore:
        if not any(code.startswith(prefix) for code in known):
            raise DataFileError(f"no rule matches {prefix!r}; rule codes are {known[0]}-{known[-1]} (see `clausecheck rules list`).")
    return tuple(
        r for r in all_rules()
        if (not select or any(r.code.startswith(s) for s in select)) and not any(r.code.startswith(i) for i in ignore)
    )


def rule(code: str) -> Rule:
    for r in all_rules():
        if r.code == code.upper():
            return r
    raise DataFileError(f"unknown rule {code!r}; see `clausecheck rules list`.")


# --- context given to the check kinds -------------------------------------------------------------


@dataclass
class Context:
    """What the checks see: the package's analysed clauses, facts, profile, thresholds, language."""

    clauses: list  # list[ClauseAnalysis] (see analysis.py)
    facts: Any  # ContractFacts
    profile: Any  # Profile
    thresholds: Any  # Thresholds
    lang: str  # language of messages
    notices: list = field(default_factory=list)  # eForms notices in the package

    @property
    def social(self) -> list:
        return [c for c in self.clauses if c.labels]

    def labels_present(self) -> set[str]:
        return {label for c in self.clauses for label in c.labels}


def _label_names(labels: Iterable[str], lang: str) -> str:
    tax = taxonomy()
    return ", ".join(tax.label(l).name[lang].lower() if lang == "da" else tax.label(l).name[lang].lower() for l in labels)


def _finding(r: Rule, ctx: Context, clause=None, evidence: dict | None = None, **fmt: Any) -> Finding:
    lang = ctx.lang if ctx.lang in LANGS else "en"
    values = {"labels": _label_names(clause.labels, lang) if clause is not None else "", **fmt}
    message = r.message[lang].format_map(_Default(values))
    return Finding(
        code=r.code, name=r.name, family=r.family, severity=fmt.pop("severity", None) or r.severity, message=message,
        why=r.why[lang], legal_basis=r.legal_basis, clause_id=clause.clause.id if clause is not None else None,
        document=clause.document if clause is not None else None, evidence=evidence, fix=r.fix,
    )


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _applies(r: Rule, clause) -> bool:
    return bool(clause.labels) and (not r.labels or any(l in r.labels for l in clause.labels))


def _pattern_hit(r: Rule, clause) -> re.Match | None:
    pats = r.params.get("patterns", {}).get(clause.lang) or r.params.get("patterns", {}).get("en", ())
    best = None
    for p in pats:
        m = p.search(clause.clause.text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def _span(clause, m: re.Match | None) -> dict | None:
    if m is None:
        return None
    start = clause.clause.start + m.start()
    return {"text": m.group(0), "start": start, "end": clause.clause.start + m.end()}


def _clause_span(clause) -> dict:
    first = clause.clause.text.split("\n", 1)[0][:160]
    return {"text": first, "start": clause.clause.start, "end": clause.clause.start + len(first)}


# --- the check kinds ------------------------------------------------------------------------------


def provision_key(c) -> tuple:
    """The provision a clause belongs to. A clause numbered three levels deep ("7.1.4 Dokumentation")
    is one part of the provision above it ("7.1 Uddannelsesklausul"), whose target, documentation
    and sanction may sit in sibling parts; parts of one long section belong together too."""
    path = c.clause.heading_path
    if len(path) >= 3:
        return (c.document, path[:-1])
    if path:
        return (c.document, path)
    return (c.document, c.clause.id)


def provisions(ctx: Context) -> dict[tuple, list]:
    groups: dict[tuple, list] = {}
    for c in ctx.clauses:
        groups.setdefault(provision_key(c), []).append(c)
    return groups


def _missing_element(r: Rule, ctx: Context) -> list[Finding]:
    """Elements are judged per provision: one finding, on its first clause the rule applies to."""
    out = []
    for members in provisions(ctx).values():
        applying = [
            c for c in members
            if _applies(r, c) and c.strength != "info"  # definitions and background carry no obligation
            and (not r.params.get("strengths") or c.strength in r.params["strengths"])
        ]
        if not applying:
            continue
        present = set().union(*(c.elements for c in members))
        if not any(e in present for e in r.params["elements"]):
            out.append(_finding(r, ctx, applying[0], _clause_span(applying[0]), missing=", ".join(r.params["elements"])))
    return out


def _soft_wording(r: Rule, ctx: Context) -> list[Finding]:
    from clausecheck.model import strength_cues

    out = []
    for c in ctx.social:
        if _applies(r, c) and c.strength == "soft":
            cues = strength_cues(c.clause.text, c.lang)
            if cues["soft"] and not cues["binding"]:
                word = cues["soft"][0]
                pos = c.clause.text.lower().find(word.lower())
                ev = {"text": word, "start": c.clause.start + pos, "end": c.clause.start + pos + len(word)} if pos >= 0 else _clause_span(c)
                out.append(_finding(r, ctx, c, ev))
    return out


def _text_pattern(r: Rule, ctx: Context) -> list[Finding]:
    if r.params.get("unless_package_labels") and ctx.labels_present() & set(r.params["unless_package_labels"]):
        return []
    out = []
    for c in ctx.social:
        if not _applies(r, c):
            continue
        if r.params.get("placements") and c.placement not in r.params["placements"]:
            continue
        if any(e in c.elements for e in r.params.get("unless_elements", [])):
            continue
        m = _pattern_hit(r, c)
        if m:
            out.append(_finding(r, ctx, c, _span(c, m), match=m.group(0)))
    return out


def _missing_pattern(r: Rule, ctx: Context) -> list[Finding]:
    return [_finding(r, ctx, c, _clause_span(c)) for c in ctx.social if _applies(r, c) and c.strength != "info" and not _pattern_hit(r, c)]


def _placement(r: Rule, ctx: Context) -> list[Finding]:
    return [
        _finding(r, ctx, c, _clause_span(c), placement=c.placement)
        for c in ctx.social
        if _applies(r, c) and c.placement in r.params["placements"]
    ]


def _facts_condition(r: Rule, ctx: Context) -> list[Finding]:
    facts, when = ctx.facts, r.params["when"]
    reasons = []
    if facts.contract_type and facts.contract_type.value in when.get("contract_types", []):
        reasons.append(facts.contract_type.value)
    if facts.duration_months and facts.total_months is not None and facts.total_months < when.get("max_duration_months", 0):
        reasons.append(f"{facts.total_months:g} mdr." if ctx.lang == "da" else f"{facts.total_months:g} months")
    if facts.value_dkk and facts.value_dkk.value < when.get("max_value_dkk", 0):
        reasons.append(_money(facts.value_dkk.value, ctx.lang))
    if not reasons:
        return []
    needed = r.params.get("require_elements", [])
    return [
        _finding(r, ctx, c, _clause_span(c), reason=", ".join(reasons))
        for c in ctx.social
        if _applies(r, c) and c.strength == "binding" and all(e in c.elements for e in needed)
    ]


def _money(value: float, lang: str) -> str:
    if value >= 1e6:
        amount = f"{value / 1e6:.1f}".rstrip("0").rstrip(".")
        return f"{amount.replace('.', ',')} mio. kr." if lang == "da" else f"DKK {amount} million"
    return f"{value:,.0f} kr.".replace(",", ".") if lang == "da" else f"DKK {value:,.0f}"


def _binding_training(ctx: Context) -> bool:
    """A binding trainee requirement placed where § 176(2) wants it: in the contract's performance
    (a selection or award criterion does not fulfil it)."""
    words = [w.lower() for w in ctx.thresholds.section_176_2.get("training_target_words", [])]

    groups = provisions(ctx)

    def trainee_target(c) -> bool:
        hits = [m.elements.get("E1") for m in groups[provision_key(c)]]
        return any(h is not None and any(w in h.text.lower() for w in words) for h in hits)

    return any(
        "apprentices" in c.labels and c.strength == "binding" and c.placement not in ("selection_criterion", "award_criterion") and trainee_target(c)
        for c in ctx.clauses
    )


def _fact_values(ctx: Context) -> dict[str, Any]:
    f = ctx.facts
    return {
        "value": _money(f.value_dkk.value, ctx.lang) if f.value_dkk else "?",
        "months": f"{f.total_months:g}" if f.total_months is not None else "?",
        "contract_type": f.contract_type.value if f.contract_type else "?",
        "cpv": ", ".join(c.value for c in f.cpv) or "?",
        "buyer_type": (f.buyer_type.value if f.buyer_type else ctx.profile.default_buyer_type),
        "profile": ctx.profile.id,
    }


def section_176_2_scope(ctx: Context) -> tuple[bool | None, str]:
    """Is the contract in scope of § 176(2)? (True/False/None when facts are missing) and why."""
    f, t = ctx.facts, ctx.thresholds.section_176_2
    if f.contract_type is None or f.value_dkk is None or f.duration_months is None:
        return None, "missing facts"
    if f.performed_in_denmark is not None and f.performed_in_denmark.value is False:
        return False, "performed abroad"
    if (f.total_months or 0) < t["min_duration_months"]:
        return False, "shorter than 6 months"
    if f.contract_type.value == "works":
        threshold, _ = ctx.thresholds.eu_dkk("works")
        return (f.value_dkk.value > threshold, f"works threshold {threshold:,.0f}")
    if f.contract_type.value == "services":
        if f.value_dkk.value < t["services_min_value_dkk"]:
            return False, "below DKK 5 mio."
        if not f.cpv:
            return None, "no CPV code"
        return (any(ctx.thresholds.in_176_cpv_range(c.value) for c in f.cpv), "CPV range")
    return False, "supplies"


def _exception_documented(ctx: Context) -> bool:
    words = [w.lower() for w in ctx.thresholds.section_176_2.get("exception_words", [])]
    return any(
        ("176" in c.clause.text or "uddannelse" in c.clause.text.lower() or "training" in c.clause.text.lower())
        and any(w in c.clause.text.lower() for w in words)
        for c in ctx.clauses
    )


def _section_176_2(r: Rule, ctx: Context) -> list[Finding]:
    in_scope, _ = section_176_2_scope(ctx)
    if not in_scope or _binding_training(ctx) or _exception_documented(ctx):
        return []
    return [_finding(r, ctx, None, None, **_fact_values(ctx))]


def _labour_clause_required(r: Rule, ctx: Context) -> list[Finding]:
    f, lc = ctx.facts, ctx.profile.labour_clause
    if any("labour_conditions" in c.labels and c.strength != "info" for c in ctx.clauses):
        return []
    if f.performed_in_denmark is not None and f.performed_in_denmark.value is False:
        return []
    if f.contract_type is not None and f.contract_type.value not in lc["contract_types"]:
        return []
    if f.contract_type is not None and f.contract_type.value == "supplies":
        return []  # goods not specially made: outside the circular's scope
    buyer = f.buyer_type.value if f.buyer_type else ctx.profile.default_buyer_type
    severity = r.severity if buyer in lc["required_for"] else lc["severity_others"]
    values = _fact_values(ctx)
    return [_finding(r, ctx, None, None, severity=severity, **values)]


def _csr_annex_expected(r: Rule, ctx: Context) -> list[Finding]:
    floor = ctx.profile.csr_annex["min_value_dkk"]
    if not floor or ctx.facts.value_dkk is None or ctx.facts.value_dkk.value < floor:
        return []
    if "human_rights" in ctx.labels_present():
        return []
    return [_finding(r, ctx, None, None, threshold=_money(floor, ctx.lang), **_fact_values(ctx))]


def _comply_or_explain(r: Rule, ctx: Context) -> list[Finding]:
    f, tr = ctx.facts, ctx.profile.training
    if "apprentices" in ctx.labels_present() or f.value_dkk is None or f.contract_type is None:
        return []
    if f.framework is not None and f.framework.value:
        return []
    if f.contract_type.value not in ("works", "services"):
        return []
    if f.performed_in_denmark is not None and f.performed_in_denmark.value is False:
        return []
    if f.value_dkk.value < tr["comply_or_explain_min_value_dkk"] or (f.total_months or 0) < tr["comply_or_explain_min_months"]:
        return []
    in_scope, _ = section_176_2_scope(ctx)
    if in_scope:
        return []  # C301 covers it
    return [_finding(r, ctx, None, None, **_fact_values(ctx))]


def _label_present(r: Rule, ctx: Context) -> list[Finding]:
    return [_finding(r, ctx, c, _clause_span(c)) for c in ctx.social if _applies(r, c) and c.strength != "info"]


def _label_pattern(r: Rule, ctx: Context) -> list[Finding]:
    out = []
    for c in ctx.social:
        if _applies(r, c):
            m = _pattern_hit(r, c)
            if m:
                out.append(_finding(r, ctx, c, _span(c, m), match=m.group(0)))
    return out


def _eforms_labels() -> dict[tuple[str, str], list[str]]:
    """(business term, code) -> taxonomy labels, from the taxonomy's eForms mapping."""
    out: dict[tuple[str, str], list[str]] = {}
    for label in taxonomy().labels:
        for bt, codes in label.eforms.items():
            for code in codes:
                out.setdefault((bt, code), []).append(label.id)
    return out


def _notice_not_implemented(r: Rule, ctx: Context) -> list[Finding]:
    from clausecheck.readers.eforms import label as code_label

    present = ctx.labels_present()
    mapping = _eforms_labels()
    out = []
    for notice in ctx.notices:
        declared = [("BT-775", "social-objective", c) for c in notice.social_objectives if c != "other"]
        declared += [("BT-71", "reserved-procurement", c) for c in notice.reserved]
        if notice.reserved_execution:
            declared.append(("BT-736", "applicability_reserved-execution", "yes"))
        for bt, list_name, code in declared:
            labels = mapping.get((bt, code), [])
            if labels and not present & set(labels):
                text = f"{bt} {code_label(list_name, code, ctx.lang if ctx.lang in LANGS else 'en')}"
                out.append(_finding(r, ctx, None, None, notice=notice.path, declared=text))
    return out


def _notice_not_declared(r: Rule, ctx: Context) -> list[Finding]:
    out = []
    binding = sorted({l for c in ctx.clauses if c.strength == "binding" for l in c.labels if l != "reserved"})
    for notice in ctx.notices:
        if binding and not notice.social_objectives and "soc-obj" not in notice.strategic:
            out.append(_finding(r, ctx, None, None, notice=notice.path, labels=_label_names(binding, ctx.lang if ctx.lang in LANGS else "en")))
    return out


KINDS: dict[str, Callable[[Rule, Context], list[Finding]]] = {
    "missing_element": _missing_element,
    "soft_wording": _soft_wording,
    "text_pattern": _text_pattern,
    "missing_pattern": _missing_pattern,
    "placement": _placement,
    "facts_condition": _facts_condition,
    "section_176_2": _section_176_2,
    "labour_clause_required": _labour_clause_required,
    "csr_annex_expected": _csr_annex_expected,
    "comply_or_explain": _comply_or_explain,
    "label_present": _label_present,
    "label_pattern": _label_pattern,
    "notice_not_implemented": _notice_not_implemented,
    "notice_not_declared": _notice_not_declared,
}
assert set(KINDS) == set(_KIND_PARAMS)


def run_checks(ctx: Context, rules: Iterable[Rule] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for r in rules if rules is not None else all_rules():
        findings.extend(KINDS[r.kind](r, ctx))
    order = {c.clause.id: i for i, c in enumerate(ctx.clauses)}
    findings.sort(key=lambda f: (f.clause_id is not None, order.get(f.clause_id, -1), -SEVERITY_RANK[f.severity], f.code))
    return findings
