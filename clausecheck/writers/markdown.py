"""Markdown summary of a Review: short enough for an e-mail or a case file."""

from __future__ import annotations

from clausecheck.taxonomy import taxonomy

_T = {
    "da": {"title": "Gennemgang af sociale klausuler", "docs": "Dokumenter", "facts": "Kontraktforhold", "social": "Sociale klausuler", "findings": "Fund", "none": "Ingen", "clause": "Klausul", "page": "s.", "type": "Kontrakttype", "value": "Anslået værdi", "duration": "Varighed (mdr., inkl. optioner)", "cpv": "CPV", "buyer": "Ordregiver", "quality": "Kvalitetsscore", "severity": {"error": "fejl", "warning": "advarsel", "info": "info", "opportunity": "mulighed"}, "tender": "Udbud", "missing": "Mangler", "fix": "Forslag"},
    "en": {"title": "Social clause review", "docs": "Documents", "facts": "Contract facts", "social": "Social clauses", "findings": "Findings", "none": "None", "clause": "Clause", "page": "p.", "type": "Contract type", "value": "Estimated value", "duration": "Duration (months, incl. options)", "cpv": "CPV", "buyer": "Buyer", "quality": "Quality score", "severity": {"error": "error", "warning": "warning", "info": "info", "opportunity": "opportunity"}, "tender": "Tender", "missing": "Missing", "fix": "Suggestion"},
}


def _fact(facts: dict, key: str) -> str:
    f = facts.get(key)
    if not f:
        return "–"
    value = f["value"]
    if key == "value_dkk":
        return f"{value:,.0f} DKK".replace(",", ".")
    return str(value)


def render(review: dict) -> str:
    lang = review["lang"] if review["lang"] in _T else "en"
    t = _T[lang]
    tax = taxonomy()
    s = review["summary"]
    out = [f"# {t['title']}: {review['tender']}", ""]
    out.append(f"**{t['docs']}:** " + ", ".join(f"{d['name']} ({d['pages'] or '–'} {t['page']}, {d['clauses']})" for d in review["documents"]))
    out.append("")
    facts = review["facts"]
    out += [f"## {t['facts']}", "", f"| | |", "|---|---|"]
    from clausecheck.writers.i18n import UI

    kind = _fact(facts, "contract_type")
    out.append(f"| {t['type']} | {UI[lang]['kinds'].get(kind, kind)} |")
    out.append(f"| {t['value']} | {_fact(facts, 'value_dkk')} |")
    out.append(f"| {t['duration']} | {facts.get('total_months') or '–'} |")
    out.append(f"| {t['cpv']} | {', '.join(c['value'] for c in facts.get('cpv', [])) or '–'} |")
    out.append(f"| {t['buyer']} | {_fact(facts, 'buyer')} |")
    out.append("")
    out += [f"## {t['social']} ({s['social_clauses']} / {s['clauses']})", ""]
    if s["labels"]:
        for label, n in s["labels"].items():
            out.append(f"- {tax.label(label).name[lang]}: {n}")
    else:
        out.append(f"- {t['none']}")
    if s["quality_score"] is not None:
        out.append(f"- {t['quality']}: {s['quality_score']:.0f} / 100")
    out.append("")
    counts = ", ".join(f"{n} {t['severity'][k]}" for k, n in s["findings"].items() if n) or t["none"]
    out += [f"## {t['findings']} ({counts})", ""]
    clauses = {c["id"]: c for c in review["clauses"]}
    for f in review["findings"]:
        where = ""
        if f["clause_id"] and f["clause_id"] in clauses:
            c = clauses[f["clause_id"]]
            pages = f", {t['page']} {c['pages'][0]}" if c["pages"] else ""
            where = f" — {c['document']} {c['number'] or ''}{(' ' + c['heading']) if c['heading'] else ''}{pages}"
        out.append(f"- **{f['code']}** ({t['severity'][f['severity']]}){where}: {f['message']}")
        if f.get("suggestions"):
            out.append(f"  - {t['fix']}: {f['suggestions'][0]['title']} (`{f['suggestions'][0]['id']}`)")
    if not review["findings"]:
        out.append(f"- {t['none']}")
    out.append("")
    return "\n".join(out)
