"""The Review: one JSON-serialisable object that every writer renders (DESIGN.md §3).

Writers (JSON, Markdown, HTML, DOCX) take a Review and know nothing of the pipeline. The JSON form
carries a schema name and version; clausecheck/schema/review.schema.json describes it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from clausecheck.analysis import PackageAnalysis
from clausecheck.checks import SEVERITIES
from clausecheck.elements import ELEMENTS

SCHEMA = "clausecheck.review"
SCHEMA_VERSION = 1


def _versions(analysis: PackageAnalysis) -> dict[str, Any]:
    from clausecheck import __version__

    versions: dict[str, Any] = {"clausecheck": __version__}
    try:
        from clausecheck.classify import default_classifier

        meta = default_classifier().model.meta
        versions["model"] = {"data_hash": meta.get("data_hash", "")[:12], "trained_with": meta.get("versions", {}).get("clausecheck")}
    except Exception:  # the review is still useful without model details
        versions["model"] = None
    return versions


def build_review(analysis: PackageAnalysis) -> dict[str, Any]:
    by_clause: dict[str, list[dict]] = {}
    for f in analysis.findings:
        if f.clause_id:
            by_clause.setdefault(f.clause_id, []).append(f.to_dict())
    analysed = {c.clause.id: c for c in analysis.clauses}
    documents, clauses = [], []
    for d in analysis.documents:
        doc = d.document
        documents.append({
            "name": doc.name, "format": doc.format, "sha256": doc.sha256, "pages": doc.pages,
            "characters": len(doc.text), "lang": d.lang, "lang_supported": d.lang_supported,
            "clauses": len(d.clauses), "warnings": d.warnings,
        })
        for clause in d.clauses:
            a = analysed.get(clause.id)
            item = {
                "id": clause.id, "document": doc.name, "number": clause.number, "heading": clause.heading,
                "heading_path": list(clause.heading_path), "text": clause.text, "start": clause.start, "end": clause.end,
                "pages": list(clause.pages), "paragraph": clause.paragraph, "kind": clause.kind,
                "labels": a.labels if a else [], "social": bool(a and a.labels),
            }
            if a and a.labels:
                item.update({
                    "scores": {k: v for k, v in a.scores.items() if v >= 0.05},
                    "strength": a.strength, "placement": a.placement, "placement_evidence": a.placement_evidence,
                    "elements": {code: hit.to_dict() | {"start": clause.start + hit.start, "end": clause.start + hit.end} for code, hit in sorted(a.elements.items(), key=lambda kv: int(kv[0][1:]))},
                    "evidence": a.evidence,
                    "library_match": a.match,
                })
            item["findings"] = [f["code"] for f in by_clause.get(clause.id, [])]
            clauses.append(item)
    social = [c for c in clauses if c["social"]]
    severity = Counter(f.severity for f in analysis.findings)
    labels = Counter(l for c in social for l in c["labels"])
    quality = _quality_score(analysis)
    summary = {
        "clauses": len(clauses),
        "social_clauses": len(social),
        "labels": {l: labels[l] for l in sorted(labels)},
        "findings": {s: severity.get(s, 0) for s in SEVERITIES},
        "missing": [f.code for f in analysis.findings if f.family == "completeness"],
        "legal_risks": sorted({f.code for f in analysis.findings if f.family == "legal"}),
        "quality_score": quality,
    }
    return {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "tool": _versions(analysis),
        "tender": analysis.name,
        "lang": analysis.lang,
        "profile": analysis.profile.id,
        "documents": documents,
        "facts": analysis.facts.to_dict(),
        "summary": summary,
        "clauses": clauses,
        "findings": [f.to_dict() for f in analysis.findings],
        "errors": analysis.errors,
        "status": "partial" if analysis.errors else "complete",
    }


def _quality_score(analysis: PackageAnalysis) -> float | None:
    """Share of the key elements (target, documentation, sanction, group, period) present in the
    binding social clauses that call for them, 0-100; None when there is no such clause."""
    key = ("E1", "E3", "E7", "E9", "E12")
    scores = []
    for c in analysis.clauses:
        if c.labels and c.strength != "info" and any(l in ("apprentices", "employment", "labour_conditions") for l in c.labels):
            wanted = key if any(l in ("apprentices", "employment") for l in c.labels) else ("E8", "E9", "E11", "E12")
            scores.append(sum(e in c.elements for e in wanted) / len(wanted))
    return round(100 * sum(scores) / len(scores), 1) if scores else None


def element_names(lang: str) -> dict[str, str]:
    return {code: names[1] if lang == "da" else names[0] for code, names in ELEMENTS.items()}
