"""Opportunity scan for social-economy enterprises: rank tenders by the real chances they offer.

Each tender is analysed like `check`; its opportunity findings (O401 reserved contract or lot,
O402 room for partners or subcontractors in an employment/apprentice/social-economy clause, O403
social award criterion) are weighted, with the evidence and the tender deadline when one is found.
Weights are data (clausecheck/data/scan.toml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from clausecheck import datafile
from clausecheck.resources import DATA_DIR

_DEADLINE = re.compile(
    r"(?:tilbudsfrist\w*|frist for (?:afgivelse|modtagelse|aflevering) af tilbud|tilbud skal være modtaget|deadline for (?:tenders|submission)|closing (?:date|submission date)|tenders must be received)"
    r"[^.\n]{0,60}?(\d{1,2}\.?\s*(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|january|february|march|may|june|july|october|december)\s+\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{4})",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    f = datafile.load(DATA_DIR / "scan.toml")
    return {k: float(v) for k, v in f.data["weights"].items()}


@dataclass
class Opportunity:
    tender: str
    path: str
    score: float
    labels: list[str]
    deadline: str | None
    evidence: list[dict] = field(default_factory=list)
    buyer: str | None = None


def scan_tender(path: str | Path, lang: str | None = None, fast_pdf: bool = False) -> Opportunity:
    from clausecheck.analysis import analyse_package

    analysis = analyse_package([path], lang=lang, select=("O",), fast_pdf=fast_pdf)
    w = weights()
    score, evidence, labels = 0.0, [], set()
    by_id = {c.clause.id: c for c in analysis.clauses}
    for f in analysis.findings:
        score += w.get(f.code, 0.0)
        clause = by_id.get(f.clause_id)
        if clause is not None:
            labels.update(clause.labels)
        evidence.append({
            "code": f.code, "message": f.message, "document": f.document,
            "clause": clause.clause.number if clause else None, "heading": clause.clause.heading if clause else None,
            "text": (f.evidence or {}).get("text"),
        })
    binding = [c for c in analysis.clauses if c.strength == "binding" and set(c.labels) & {"employment", "apprentices", "social_economy", "reserved"}]
    score += w.get("binding_clause", 0.0) * len(binding)
    deadline = None
    for d in analysis.documents:
        m = _DEADLINE.search(d.document.text)
        if m:
            deadline = m.group(1)
            break
    buyer = analysis.facts.buyer.value if analysis.facts.buyer else None
    return Opportunity(analysis.name, str(path), round(score, 2), sorted(labels), deadline, evidence, buyer)


def scan(paths: list[str | Path], lang: str | None = None, label: str | None = None, min_score: float = 0.0, on_error=None, fast_pdf: bool = False) -> list[Opportunity]:
    from clausecheck.audit import discover
    from clausecheck.errors import ClauseCheckError

    found = []
    for tender in discover(paths):
        try:
            opp = scan_tender(tender.path, lang, fast_pdf)
        except ClauseCheckError as exc:
            if on_error:
                on_error(tender.path, str(exc))
            continue
        if opp.score >= min_score and (not label or label in opp.labels):
            found.append(opp)
    return sorted(found, key=lambda o: (-o.score, o.tender))
