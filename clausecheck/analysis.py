"""The pipeline for one tender package: read, segment, classify, find elements and placement,
extract facts, run the checks. Each stage is a function of the previous stage's output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clausecheck.document import Clause, Document
from clausecheck.elements import ElementHit
from clausecheck.facts import ContractFacts


@dataclass
class ClauseAnalysis:
    clause: Clause
    document: str  # file name
    lang: str
    labels: list[str]
    scores: dict[str, float]
    strength: str
    strength_scores: dict[str, float]
    placement: str
    placement_evidence: str | None
    elements: dict[str, ElementHit]
    evidence: list[dict]
    match: dict | None = None  # nearest library clause and the elements this clause lacks


@dataclass
class DocumentAnalysis:
    document: Document
    clauses: list[Clause]
    lang: str
    lang_supported: bool
    facts: ContractFacts
    warnings: list[str] = field(default_factory=list)


@dataclass
class PackageAnalysis:
    name: str
    documents: list[DocumentAnalysis]
    clauses: list[ClauseAnalysis]
    facts: ContractFacts
    profile: Any
    findings: list
    lang: str
    errors: list[dict] = field(default_factory=list)  # documents that could not be read
    notices: list = field(default_factory=list)  # eForms notices read from the package


def classifier_text(clause: Clause) -> str:
    """What the classifier reads: the innermost heading (context) and the clause text."""
    return f"{clause.heading}\n{clause.text}" if clause.heading else clause.text


def analyse_document(doc: Document, lang: str | None = None, classifier=None) -> tuple[DocumentAnalysis, list[ClauseAnalysis]]:
    from clausecheck.classify import Item, default_classifier
    from clausecheck.elements import detect as detect_elements
    from clausecheck.facts import extract_facts
    from clausecheck.langdetect import detect
    from clausecheck.placement import detect_placement
    from clausecheck.segment import segment

    clauses = segment(doc)
    found = detect(doc.text)
    doc_lang = (lang or found.lang).lower()
    supported = True
    warnings: list[str] = list(doc.warnings)
    from clausecheck.langdetect import supported_languages

    if doc_lang == "und" and not lang:
        from clausecheck.classify import DEFAULT_LANG

        doc_lang = DEFAULT_LANG
        warnings.append(f"the language of {doc.name} could not be determined (too little text); it was read as {DEFAULT_LANG!r} (use --lang to choose).")
    if doc_lang not in supported_languages():
        supported = False
        name = doc_lang if doc_lang != "und" else "undetermined"
        warnings.append(f"language not supported: {doc.name} looks {name!r}; clausecheck supports {', '.join(supported_languages())}, so no clause was classified.")
    facts = extract_facts(doc.text, doc.name)
    analysis = DocumentAnalysis(doc, clauses, doc_lang, supported, facts, warnings)
    if not supported or not clauses:
        return analysis, []
    classifier = classifier or default_classifier()
    items = [Item(c.id, classifier_text(c), doc_lang) for c in clauses]
    results = classifier.classify(items, default_lang=doc_lang)
    hint = "kontrakt" if "kontrakt" in doc.name.lower() or "contract" in doc.name.lower() else None
    out = []
    for clause, result in zip(clauses, results):
        offset = len(clause.heading) + 1 if clause.heading else 0
        evidence = []
        for ev in result.evidence:
            if "start" in ev:
                ev = dict(ev)
                if ev["start"] < offset:
                    ev["in_heading"] = True
                    ev.pop("start"), ev.pop("end")
                else:
                    ev["start"] = clause.start + ev["start"] - offset
                    ev["end"] = clause.start + ev["end"] - offset
            evidence.append(ev)
        placement, placement_word = detect_placement(clause.heading_path, clause.text, doc_lang, hint) if result.labels else ("unknown", None)
        elements = detect_elements(clause.text, doc_lang)  # for all clauses: a provision's parts share them
        out.append(
            ClauseAnalysis(
                clause=clause, document=doc.name, lang=doc_lang, labels=result.labels, scores=result.scores,
                strength=result.strength, strength_scores=result.strength_scores, placement=placement,
                placement_evidence=placement_word, elements=elements, evidence=evidence,
            )
        )
    return analysis, out


def analyse_package(
    paths: list[str | Path],
    profile: str = "national",
    lang: str | None = None,
    overrides: dict[str, Any] | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    ui_lang: str | None = None,
    fast_pdf: bool = False,
) -> PackageAnalysis:
    from clausecheck.checks import Context, run_checks, select_rules
    from clausecheck.errors import InputError
    from clausecheck.facts import merge, override
    from clausecheck.package import Package
    from clausecheck.policy import load_profile, thresholds
    from clausecheck.readers import read_document

    prof = load_profile(profile)
    rules = select_rules(select, ignore)
    docs: list[DocumentAnalysis] = []
    clauses: list[ClauseAnalysis] = []
    errors: list[dict] = []
    notices = []
    with Package(paths) as package:
        from clausecheck.readers.eforms import read_notice

        for path in package.notices:
            try:
                notices.append(read_notice(path))
            except InputError as exc:
                errors.append({"document": path.name, "error": str(exc)})
        for path in package.documents:
            try:
                doc = read_document(path, fast_pdf)
            except InputError as exc:
                if len(package.documents) == 1:
                    raise
                errors.append({"document": path.name, "error": str(exc)})
                continue
            analysis, analysed = analyse_document(doc, lang)
            docs.append(analysis)
            clauses.extend(analysed)
        name = package.name
    if not docs:
        raise InputError("none of the documents could be read: " + "; ".join(e["error"] for e in errors))
    from clausecheck.readers.eforms import notice_facts

    facts = merge([d.facts for d in docs] + [notice_facts(n) for n in notices])
    facts = override(facts, **(overrides or {}))
    langs = [d.lang for d in docs if d.lang_supported]
    review_lang = ui_lang or (max(set(langs), key=langs.count) if langs else "en")
    ctx = Context(clauses, facts, prof, thresholds(), review_lang, notices)
    findings = run_checks(ctx, rules) if langs else []
    from clausecheck.suggest import attach_suggestions, match_clause

    attach_suggestions(findings, facts, prof, review_lang)
    for c in clauses:
        if c.labels:
            c.match = match_clause(c.clause.text, c.labels, set(c.elements), c.lang)
    return PackageAnalysis(name, docs, clauses, facts, prof, findings, review_lang, errors, notices)
