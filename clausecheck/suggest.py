"""Suggestions: the library clause that fixes a finding, filled in for this contract; and for each
detected social clause, its nearest library clause and the elements that clause lacks."""

from __future__ import annotations

from clausecheck.errors import DataFileError

# Parameters that describe this contract: filled from its facts or left as a marked blank, never
# taken from a library default (a default trainee target would be an invented number).
CONTRACT_PARAMETERS = {"buyer", "contract_value", "contract_months", "trainee_fte", "trainee_hours"}

REASONS = {
    "da": "Modelklausulen {title} løser fundet {code}: {name}.",
    "en": "The model clause {title} addresses finding {code}: {name}.",
}


def suggestion(entry_id: str, lang: str, facts, profile, reason: str) -> dict | None:
    from clausecheck.library import facts_parameters, get, parameter_source, render

    try:
        entry = get(entry_id, lang)
    except DataFileError:
        return None
    derived = facts_parameters(facts, profile, lang)
    params = {p.name: derived[p.name] for p in entry.parameters if p.name in derived}
    text, sources = render(entry, params, use_defaults=False)
    # library defaults for the policy parameters (deadlines, fines ...), blanks for contract facts
    defaults = {p.name: p.default for p in entry.parameters if p.name not in params and p.name not in CONTRACT_PARAMETERS}
    text, sources = render(entry, {**params, **defaults}, use_defaults=False)
    for name in defaults:
        sources[name] = "default"
    for name in params:
        sources[name] = parameter_source(name)
    return {
        "id": entry.id,
        "title": entry.title,
        "text": text,
        "parameters": sources,
        "blanks": sorted(n for n, s in sources.items() if s == "blank"),
        "reason": reason,
    }


def attach_suggestions(findings: list, facts, profile, lang: str) -> None:
    for f in findings:
        if not f.fix:
            continue
        reason = REASONS.get(lang, REASONS["en"]).format(title=f.fix, code=f.code, name=f.name)
        s = suggestion(f.fix, lang, facts, profile, reason)
        if s is not None:
            s["reason"] = REASONS.get(lang, REASONS["en"]).format(title=s["title"], code=f.code, name=f.name)
            f.suggestions.append(s)


def match_clause(text: str, labels: list[str], elements: set[str], lang: str) -> dict | None:
    """The nearest library clause and the elements it has that the detected clause lacks."""
    from clausecheck.library import library, nearest

    if not library():
        return None
    found = nearest(text, labels, lang)
    if found is None:
        return None
    entry, score = found
    missing = [e for e in entry.elements if e not in elements]
    return {"id": entry.id, "title": entry.title, "score": score, "missing_elements": missing}
