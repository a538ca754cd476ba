"""HTML review: one self-contained file (no network, no external assets), escaped throughout.

Highlighted text is built here as structured segments and escaped by Jinja2's autoescape; no
document text is ever marked safe.
"""

from __future__ import annotations

from functools import lru_cache

from clausecheck.elements import ELEMENTS
from clausecheck.taxonomy import taxonomy
from clausecheck.writers.i18n import FACT_KEYS, UI


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("clausecheck", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def segments(text: str, start: int, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """Split a clause's text into (text, label-or-None) pieces for the marked evidence spans."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for s, e, label in sorted((max(0, s - start), min(len(text), e - start), label) for s, e, label in spans):
        if e <= pos or s >= len(text):
            continue
        s = max(s, pos)
        if s > pos:
            out.append((text[pos:s], None))
        out.append((text[s:e], label))
        pos = e
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _fact_rows(facts: dict, t: dict) -> list[dict]:
    rows = []
    for key in FACT_KEYS:
        fact = facts.get(key)
        if key == "cpv":
            value = ", ".join(c["value"] for c in fact) if fact else None
            evidence = fact[0].get("evidence") if fact else None
        elif fact:
            value = fact["value"]
            evidence = fact.get("evidence")
        else:
            value, evidence = None, None
        if isinstance(value, bool):
            value = t["yes"] if value else t["no"]
        elif isinstance(value, (int, float)):
            value = _number(value, t)
        elif isinstance(value, (list, tuple)):
            value = " – ".join(_number(v, t) for v in value)
        elif isinstance(value, str) and value in t["kinds"]:
            value = t["kinds"][value]
        rows.append({"key": key, "name": t[key], "value": value if value is not None else t["unknown"], "evidence": evidence})
    return rows


def _number(value: float, t: dict) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".") if t is UI["da"] else text


def render(review: dict, ui_lang: str | None = None) -> str:
    lang = ui_lang or (review["lang"] if review["lang"] in UI else "en")
    t = UI[lang]
    tax = taxonomy()
    labels = [{"id": l.id, "name": l.name[lang], "colour": l.colour, "count": review["summary"]["labels"].get(l.id, 0), "description": l.description[lang]} for l in tax.labels]
    label_names = {l["id"]: l["name"] for l in labels}
    findings_by_clause: dict[str, list[dict]] = {}
    for f in review["findings"]:
        if f["clause_id"]:
            findings_by_clause.setdefault(f["clause_id"], []).append(f)
    clauses = []
    for c in review["clauses"]:
        spans = [(ev["start"], ev["end"], ev["label"]) for ev in c.get("evidence", []) if ev.get("source") == "rule" and "start" in ev]
        fs = findings_by_clause.get(c["id"], [])
        clauses.append({
            **c,
            "segments": segments(c["text"], c["start"], spans),
            "findings": fs,
            "severities": sorted({f["severity"] for f in fs}),
            "element_names": {code: (names[1] if lang == "da" else names[0]) for code, names in ELEMENTS.items()},
        })
    total_social = max(1, review["summary"]["social_clauses"])
    return _environment().get_template("review.html.j2").render(
        review=review,
        t=t,
        lang=lang,
        labels=labels,
        label_names=label_names,
        clauses=clauses,
        package_findings=[f for f in review["findings"] if not f["clause_id"]],
        facts=_fact_rows(review["facts"], t),
        severities=["error", "warning", "info", "opportunity"],
        total_social=total_social,
        placement_names={k: v[lang] for k, v in tax.placement_names.items()},
    )
