"""The audit dashboard: one offline HTML file with inline SVG charts, from an audit database.

Charts are computed here as plain numbers (bars with positions) and drawn by the template; all
text goes through Jinja2's autoescape. Each tender has a drill-down section in the same file with
its facts, social clauses and findings.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

from clausecheck.taxonomy import taxonomy
from clausecheck.writers.i18n import UI


def _bars(items: list[tuple[str, float, str]], width: int = 620, bar_h: int = 22, label_w: int = 300, maximum: float | None = None, percent: bool = True) -> dict:
    """Horizontal bar chart geometry: (label, value, colour) -> rects and texts."""
    top = max([v for _, v, _ in items] + [maximum or 0, 1e-9])
    scale = (width - label_w - 60) / top
    rows = []
    for i, (label, value, colour) in enumerate(items):
        rows.append({
            "label": label, "value": value, "colour": colour, "y": i * (bar_h + 6), "w": max(0.0, value * scale),
            "text": f"{value:.0f} %" if percent else f"{value:g}",
        })
    return {"rows": rows, "width": width, "height": len(items) * (bar_h + 6) + 4, "bar_h": bar_h, "label_w": label_w}


def collect(db: str | Path, lang: str = "da") -> dict:
    con = sqlite3.connect(str(db))
    con.row_factory = sqlite3.Row
    tax = taxonomy()
    try:
        tenders = [dict(r) for r in con.execute("SELECT * FROM tenders ORDER BY name")]
        label_rows = con.execute(
            "SELECT d.tender_id, l.label, c.strength FROM labels l JOIN documents d ON d.sha256 = l.document_sha256 "
            "JOIN clauses c ON c.document_sha256 = l.document_sha256 AND c.id = l.clause_id"
        ).fetchall()
        findings = [dict(r) for r in con.execute("SELECT * FROM findings")]
        errors = [dict(r) for r in con.execute("SELECT e.*, t.name AS tender FROM errors e LEFT JOIN tenders t ON t.id = e.tender_id ORDER BY e.at")]
        social = [dict(r) for r in con.execute(
            "SELECT c.tender_id, d.name AS document, c.id, c.number, c.heading, c.text, c.strength, c.placement, c.elements, "
            "(SELECT group_concat(label, ' ') FROM labels l WHERE l.document_sha256 = c.document_sha256 AND l.clause_id = c.id) AS labels "
            "FROM clauses c JOIN documents d ON d.sha256 = c.document_sha256 WHERE c.social = 1 ORDER BY d.name, c.start"
        )]
        facts = defaultdict(dict)
        for r in con.execute("SELECT * FROM facts"):
            facts[r["tender_id"]][r["name"]] = r["value"]
    finally:
        con.close()
    done = [t for t in tenders if t["status"] == "done"]
    n = max(1, len(done))
    has = defaultdict(set)
    strengths = Counter()
    for r in label_rows:
        has[r["tender_id"]].add(r["label"])
        strengths[r["strength"] or "info"] += 1
    t_ui = UI[lang]
    coverage = _bars([(l.name[lang], 100 * sum(1 for t in done if l.id in has[t["id"]]) / n, l.colour) for l in tax.labels])

    def share_by(key: str) -> list[dict]:
        groups = defaultdict(list)
        for t in done:
            groups[t[key] if t[key] not in (None, "") else "?"].append(t)
        out = []
        for name, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
            row = {"name": str(name), "n": len(members), "any": round(100 * sum(1 for t in members if has[t["id"]]) / len(members))}
            row["labels"] = {l.id: round(100 * sum(1 for t in members if l.id in has[t["id"]]) / len(members)) for l in tax.labels}
            out.append(row)
        return out

    by_year = share_by("year")
    year_chart = _bars([(r["name"], r["any"], "#1f5fa8") for r in by_year])
    type_chart = _bars([(t_ui["kinds"].get(r["name"], r["name"]), r["any"], "#2a7f3f") for r in share_by("contract_type")])
    total_strength = max(1, sum(strengths.values()))
    strength_chart = _bars([(t_ui["strengths"][s], 100 * strengths[s] / total_strength, c) for s, c in (("binding", "#1f5fa8"), ("soft", "#a3521a"), ("info", "#666666"))])
    scores = [t["quality_score"] for t in done if t["quality_score"] is not None]
    bins = Counter(min(int(s // 20), 4) for s in scores)
    quality_chart = _bars([(f"{20 * b}–{20 * b + 20}", bins[b], "#7b3294") for b in range(5)], percent=False)
    codes = Counter(f["code"] for f in findings if f["severity"] != "opportunity")
    findings_chart = _bars([(code, count, "#a4161a" if code.startswith(("L", "C")) else "#7a4b00") for code, count in codes.most_common(15)], percent=False)
    missing = sorted({f["tender_id"] for f in findings if f["code"] == "C301"})
    by_tender_findings = defaultdict(list)
    for f in findings:
        by_tender_findings[f["tender_id"]].append(f)
    by_tender_social = defaultdict(list)
    for c in social:
        by_tender_social[c["tender_id"]].append(c)
    return {
        "tenders": tenders, "done": len(done), "errors": errors, "coverage": coverage, "by_buyer": share_by("buyer"),
        "by_year": by_year, "year_chart": year_chart, "type_chart": type_chart, "strength_chart": strength_chart,
        "quality_chart": quality_chart, "findings_chart": findings_chart, "missing": [t for t in tenders if t["id"] in missing],
        "findings": by_tender_findings, "social": by_tender_social, "facts": facts, "labels": tax.labels,
        "mean_quality": round(sum(scores) / len(scores), 1) if scores else None,
    }


def render(db: str | Path, lang: str = "da") -> str:
    from clausecheck.writers.html import _environment

    data = collect(db, lang)
    return _environment().get_template("dashboard.html.j2").render(d=data, t=UI[lang], lang=lang, label_name=lambda l: taxonomy().label(l).name[lang], db=Path(db).name, json=json)
