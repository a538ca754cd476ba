"""The `clausecheck` command. Imports stay inside the commands so `--help` starts fast."""

from __future__ import annotations

import sys

import click

from clausecheck import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4


class _Group(click.Group):
    """Turns errors meant for people into one line on stderr and the documented exit code."""

    def invoke(self, ctx: click.Context):
        from clausecheck.errors import ClauseCheckError

        try:
            return super().invoke(ctx)
        except ClauseCheckError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"clausecheck: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt, BrokenPipeError):
            raise
        except Exception as exc:  # a bug: say so in one line unless --debug
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(
                f"clausecheck: internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback and please report it.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="clausecheck")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Find, judge and improve the social clauses in public-procurement tender documents.

    Exit codes: 0 ran, 1 findings at or above --fail-on, 2 usage error, 3 unreadable input,
    4 internal error.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("file", type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of stdout.")
@click.option("--blocks", is_flag=True, help="List the reader's blocks (with provenance) instead of clauses.")
@click.option("--fast-pdf", is_flag=True, help="Read PDFs as plain text with pypdfium2: much faster, no layout (headings only by their numbers, no tables).")
def extract(file: str, fmt: str, output: str | None, blocks: bool, fast_pdf: bool) -> None:
    """Read FILE (PDF, DOCX or text) and print its clauses with number, heading path and pages."""
    from clausecheck.output import write_output
    from clausecheck.readers import read_document
    from clausecheck.segment import segment
    from clausecheck import render_extract

    doc = read_document(file, fast_pdf)
    clauses = segment(doc)
    for warning in doc.warnings:
        click.echo(f"clausecheck: warning: {warning}", err=True)
    write_output(render_extract.render(doc, clauses, fmt, blocks=blocks), output)


@cli.command()
@click.argument("source", default="-", type=click.Path(allow_dash=True, dir_okay=False, path_type=str))
@click.option("--lang", type=str, help="Language of every line (da, en); default: detected per line.")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=512, show_default=True, help="Lines classified together.")
@click.option("--no-evidence", is_flag=True, help="Leave out the evidence (faster, smaller output).")
def classify(source: str, lang: str | None, batch_size: int, no_evidence: bool) -> None:
    """Classify lines of SOURCE (a file, or - for stdin): JSON objects {"id", "text", "lang"?} or plain text.

    Writes one JSON object per input line: id, lang, labels (empty when not social), scores,
    strength and evidence. A line that cannot be parsed gives an object with an "error" instead.
    """
    import json

    from clausecheck.classify import Item, default_classifier

    if lang and lang.lower() not in _supported():
        raise click.BadParameter(f"{lang!r} is not supported; use one of: {', '.join(_supported())}.", param_hint="--lang")
    classifier = default_classifier()
    stream = click.open_file(source, "r", encoding="utf-8", errors="replace")
    out = sys.stdout
    batch: list[tuple[int, Item | str]] = []

    def flush() -> None:
        items = [item for _, item in batch if isinstance(item, Item)]
        results = iter(classifier.classify(items, default_lang=lang, evidence=not no_evidence)) if items else iter(())
        for line_no, item in batch:
            if isinstance(item, Item):
                out.write(json.dumps(next(results).to_dict(), ensure_ascii=False) + "\n")
            else:
                out.write(json.dumps({"id": str(line_no), "error": item}, ensure_ascii=False) + "\n")
        out.flush()
        batch.clear()

    with stream:
        for line_no, line in enumerate(stream, start=1):
            line = line.rstrip("\n\r")
            if not line.strip():
                continue
            if line.lstrip().startswith("{"):
                try:
                    obj = json.loads(line)
                    if not isinstance(obj.get("text"), str):
                        raise ValueError("no \"text\" string")
                    item: Item | str = Item(str(obj.get("id", line_no)), obj["text"], obj.get("lang") or lang)
                except (ValueError, AttributeError) as exc:
                    item = f"line {line_no} is not a valid JSON object with a text: {exc}"
                    click.echo(f"clausecheck: warning: {item}", err=True)
            else:
                item = Item(str(line_no), line, lang)
            batch.append((line_no, item))
            if len(batch) >= batch_size:
                flush()
    if batch:
        flush()


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the review here; the format follows the extension.")
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html", "docx"]), help="Output format (default: from --output, else json).")
@click.option("--highlight", is_flag=True, help="DOCX: also highlight the commented clauses.")
@click.option("--profile", default="national", show_default=True, help="Policy profile: national, copenhagen, aarhus, or a TOML file.")
@click.option("--lang", type=str, help="Language of the documents (da, en); default: detected.")
@click.option("--ui-lang", type=click.Choice(["da", "en"]), help="Language of the review's messages; default: the documents'.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), default="never", show_default=True, help="Exit 1 when a finding of this severity or worse is raised.")
@click.option("--select", multiple=True, help="Only run rules with these codes or prefixes (e.g. L2, Q101). Repeatable.")
@click.option("--ignore", multiple=True, help="Skip rules with these codes or prefixes. Repeatable.")
@click.option("--value", type=click.FloatRange(min=0), help="Override the estimated contract value (DKK, ex VAT).")
@click.option("--duration-months", type=click.FloatRange(min=0), help="Override the contract duration in months.")
@click.option("--contract-type", type=click.Choice(["works", "services", "supplies"]), help="Override the contract type.")
@click.option("--cpv", multiple=True, help="Override the CPV codes (repeatable).")
@click.option("--buyer-type", type=click.Choice(["state", "municipal", "region"]), help="Override the type of buyer.")
@click.option("--fast-pdf", is_flag=True, help="Read PDFs as plain text with pypdfium2: much faster, no layout (headings only by their numbers, no tables).")
def check(paths, output, fmt, highlight, profile, lang, ui_lang, fail_on, select, ignore, value, duration_months, contract_type, cpv, buyer_type, fast_pdf) -> None:
    """Review PATHS (documents, a folder or a ZIP: one tender): social clauses, findings, facts.

    Several paths, a folder or a ZIP form one tender package, judged as a whole.
    """
    import json

    from clausecheck.analysis import analyse_package
    from clausecheck.checks import SEVERITY_RANK
    from clausecheck.output import write_output
    from clausecheck.review import build_review

    fmt = fmt or _format_from_extension(output) or "json"
    if lang and lang.lower() not in _supported():
        raise click.BadParameter(f"{lang!r} is not supported; use one of: {', '.join(_supported())}.", param_hint="--lang")
    overrides = {"value": value, "duration_months": duration_months, "contract_type": contract_type, "cpv": list(cpv) or None, "buyer_type": buyer_type}
    analysis = analyse_package(list(paths), profile=profile, lang=lang, overrides=overrides, select=select, ignore=ignore, ui_lang=ui_lang, fast_pdf=fast_pdf)
    review = build_review(analysis)
    for doc in review["documents"]:
        for warning in doc["warnings"]:
            click.echo(f"clausecheck: warning: {warning}", err=True)
    for error in review["errors"]:
        click.echo(f"clausecheck: error: {error['error']}", err=True)
    if fmt == "json":
        text = json.dumps(review, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "docx":
        from pathlib import Path

        from clausecheck.writers.docx import render as render_docx

        if not output:
            raise click.UsageError("DOCX output needs -o FILE.docx.")
        sources = {Path(p).name: Path(p) for p in paths if Path(p).is_file()}
        text = render_docx(review, sources, ui_lang, highlight)
    elif fmt == "html":
        from clausecheck.writers.html import render as render_html

        text = render_html(review, ui_lang)
    else:
        from clausecheck.writers.markdown import render as render_md

        text = render_md(review)
    write_output(text, output)
    click.echo(_summary_line(review, output), err=True)
    if fail_on != "never" and any(SEVERITY_RANK[f["severity"]] >= SEVERITY_RANK[fail_on] for f in review["findings"] if f["severity"] != "opportunity"):
        raise SystemExit(1)


def _format_from_extension(output: str | None) -> str | None:
    if not output:
        return None
    suffix = output.rsplit(".", 1)[-1].lower() if "." in output else ""
    return {"json": "json", "md": "md", "markdown": "md", "html": "html", "htm": "html", "docx": "docx"}.get(suffix)


def _summary_line(review: dict, output: str | None) -> str:
    s = review["summary"]
    labels = ", ".join(f"{k} {v}" for k, v in s["labels"].items()) or "none"
    findings = ", ".join(f"{v} {k}" for k, v in s["findings"].items() if v) or "no findings"
    where = f" -> {output}" if output else ""
    return f"clausecheck: {s['clauses']} clauses read, {s['social_clauses']} social ({labels}); {findings}{where}"


@cli.group()
def rules() -> None:
    """List the checks and explain one."""


@rules.command("list")
@click.option("--lang", "ui_lang", type=click.Choice(["da", "en"]), default="en", show_default=True, help="Language of the messages.")
def rules_list(ui_lang: str) -> None:
    """Every rule: code, severity, name and what it flags."""
    from clausecheck.checks import all_rules

    for r in all_rules():
        click.echo(f"{r.code}  {r.severity:<11} {r.name:<38} {r.family}")


@rules.command("explain")
@click.argument("code")
@click.option("--lang", "ui_lang", type=click.Choice(["da", "en"]), default="en", show_default=True, help="Language of the explanation.")
def rules_explain(code: str, ui_lang: str) -> None:
    """What rule CODE checks, why, its legal basis, an example and the fix."""
    import re

    from clausecheck.checks import rule

    r = rule(code)
    ex = r.examples
    lines = [
        f"{r.code} {r.name} ({r.family}, {r.severity})",
        "",
        "What it flags:" if ui_lang == "en" else "Hvad den finder:",
        "  " + re.sub(r"\{\w+\}", "…", r.message[ui_lang]),
        "",
        "Why it matters:" if ui_lang == "en" else "Hvorfor:",
        f"  {r.why[ui_lang]}",
        "",
        ("Legal basis: " if ui_lang == "en" else "Retsgrundlag: ") + r.legal_basis,
    ]
    if ex.get(f"{ui_lang}_bad"):
        lines += ["", "Example (flagged):" if ui_lang == "en" else "Eksempel (markeres):", "  " + ex[f"{ui_lang}_bad"].replace("\n", "\n  ")]
        lines += ["", "Use instead:" if ui_lang == "en" else "Brug i stedet:", "  " + ex[f"{ui_lang}_ok"].replace("\n", "\n  ")]
    if r.fix:
        lines += ["", ("Model clause: " if ui_lang == "en" else "Modelklausul: ") + f"{r.fix} (clausecheck library show {r.fix})"]
    click.echo("\n".join(lines))


@cli.group("library")
def library_group() -> None:
    """Browse, search and fill in the model-clause library."""


@library_group.command("list")
@click.option("--lang", type=click.Choice(["da", "en"]), help="Only entries in this language.")
@click.option("--label", help="Only entries carrying this label (e.g. apprentices).")
def library_list(lang: str | None, label: str | None) -> None:
    """Every library clause: id, language, labels and title."""
    from clausecheck.library import library
    from clausecheck.taxonomy import taxonomy

    if label and label not in taxonomy().ids:
        raise click.BadParameter(f"{label!r} is not a label; use one of: {', '.join(taxonomy().ids)}.", param_hint="--label")
    for (entry_id, entry_lang), e in sorted(library().items()):
        if (lang and entry_lang != lang) or (label and label not in e.labels):
            continue
        click.echo(f"{entry_id:<34} {entry_lang}  {','.join(e.labels):<32} {e.title}")


@library_group.command("show")
@click.argument("entry_id")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Language version.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
def library_show(entry_id: str, lang: str, fmt: str) -> None:
    """Everything about one library clause: purpose, use, parameters, elements and text."""
    import json

    from clausecheck.library import get

    e = get(entry_id, lang)
    if fmt == "json":
        click.echo(json.dumps(e.to_dict(), ensure_ascii=False, indent=2))
        return
    lines = [f"{e.title} ({e.id} v{e.version}, {e.language})", "", f"Labels: {', '.join(e.labels)}   Elements: {' '.join(e.elements)}   Category: {e.category}"]
    if not e.enforceable or e.check_exempt:
        lines.append("NOTE: not a binding contract term" if lang == "en" else "BEMÆRK: ikke et bindende kontraktvilkår")
    lines += ["", e.purpose, "", f"+ {e.when_to_use}", f"- {e.when_not_to_use}", "", f"Legal basis: {e.legal_basis}", "", "Parameters:"]
    for p in e.parameters:
        lines.append(f"  {p.name:<22} {p.type:<8} default {p.default!r} {p.unit}  {p.description}")
    lines += ["", e.text]
    click.echo("\n".join(lines))


@library_group.command("search")
@click.argument("text")
@click.option("--lang", type=click.Choice(["da", "en"]), help="Only entries in this language.")
@click.option("-n", "limit", type=click.IntRange(1, 50), default=5, show_default=True, help="How many results.")
def library_search(text: str, lang: str | None, limit: int) -> None:
    """Library clauses closest to TEXT, best first, with a similarity score."""
    from clausecheck.library import index

    for entry, score in index(lang).search(text, lang, k=limit):
        click.echo(f"{score:.3f}  {entry.id:<34} {entry.language}  {entry.title}")


@library_group.command("render")
@click.argument("entry_id")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Language version.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value (repeatable).")
@click.option("--blanks", is_flag=True, help="Leave parameters that are not given as marked blanks instead of defaults.")
def library_render(entry_id: str, lang: str, params: tuple[str, ...], blanks: bool) -> None:
    """Print a library clause with its parameters filled in, ready to paste."""
    from clausecheck.library import get, render

    values = {}
    for item in params:
        if "=" not in item:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE.", param_hint="--param")
        name, value = item.split("=", 1)
        values[name.strip()] = value.strip()
    text, _ = render(get(entry_id, lang), values, use_defaults=not blanks)
    click.echo(text)


@library_group.command("index")
@click.option("--check", is_flag=True, help="Exit 1 if clause_library/README.md is not current (for CI).")
def library_index(check: bool) -> None:
    """Regenerate clause_library/README.md from the data files."""
    from clausecheck.library import library, readme
    from clausecheck.output import write_atomic
    from clausecheck.resources import shipped_dir

    path = shipped_dir("clause_library") / "README.md"
    text = readme(library())
    if check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            click.echo(f"{path} is out of date; run `clausecheck library index`.", err=True)
            raise SystemExit(1)
        return
    write_atomic(path, text)
    click.echo(f"wrote {path}", err=True)


class _DefaultGroup(click.Group):
    """A group whose first argument may be a subcommand or, failing that, the default `run`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_DefaultGroup)
def audit() -> None:
    """Audit many tenders into SQLite (`audit PATH... --db FILE`), then export or report on it."""


@audit.command("run")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="The SQLite results database (created if missing).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False), help="CSV with path/name and buyer, year, contract_type, url.")
@click.option("--profile", default="national", show_default=True, help="Policy profile for the checks.")
@click.option("--lang", type=str, help="Language of all documents (default: detected).")
@click.option("--timeout", type=click.FloatRange(min=1), default=120.0, show_default=True, help="Seconds allowed per document.")
@click.option("--as-tender", is_flag=True, help="Treat each folder given as one tender (default: its sub-folders are tenders).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="Local processes, or a Dask cluster.")
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786) for --executor dask.")
@click.option("--fast-pdf", is_flag=True, help="Read PDFs as plain text with pypdfium2: much faster, no layout (headings only by their numbers, no tables).")
def audit_run(paths, db, jobs, manifest, profile, lang, timeout, as_tender, executor, scheduler, fast_pdf) -> None:
    """Audit tenders into a SQLite database: each folder, ZIP or document is a tender.

    Resumable: documents already stored (same content) are not analysed again. A document that
    fails is recorded in the errors table and the run goes on.
    """
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS.")
    from clausecheck.audit import run_audit

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=max(total, 1), label="documents", show_eta=True, show_pos=True, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        stats = run_audit(list(paths), db, jobs=jobs, lang=lang, profile=profile, manifest=manifest, timeout=timeout,
                          as_tender=as_tender, executor=executor, scheduler=scheduler, progress=progress, fast_pdf=fast_pdf)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(
        f"clausecheck: {stats.tenders} tenders, {stats.documents} documents: {stats.analysed} analysed, "
        f"{stats.skipped} already stored, {stats.errors} errors in {stats.seconds:.1f} s -> {db}",
        err=True,
    )


@audit.command("export")
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True, help="Output format.")
@click.option("--level", type=click.Choice(["tenders", "clauses", "findings", "errors"]), default="tenders", show_default=True, help="One row per tender, social clause, finding or error.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
def audit_export(db, fmt, level, output) -> None:
    """Export an audit database as CSV or JSON Lines."""
    from clausecheck.audit import export
    from clausecheck.output import write_output

    write_output(export(db, level, fmt), output)


@audit.command("report")
@click.argument("db", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The dashboard HTML file to write.")
@click.option("--lang", "ui_lang", type=click.Choice(["da", "en"]), default="da", show_default=True, help="Language of the dashboard.")
def audit_report(db, output, ui_lang) -> None:
    """Write an offline HTML dashboard (inline SVG charts, drill-down per tender) of an audit."""
    from clausecheck.output import write_output
    from clausecheck.writers.dashboard import render

    write_output(render(db, ui_lang), output)
    click.echo(f"clausecheck: dashboard -> {output}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--label", help="Only tenders with this label among their opportunities (e.g. employment).")
@click.option("--min-score", type=float, default=0.0, show_default=True, help="Only tenders scoring at least this.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "html", "json"]), default="table", show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.option("--lang", type=str, help="Language of the documents (default: detected).")
@click.option("--fast-pdf", is_flag=True, help="Read PDFs as plain text with pypdfium2: much faster, no layout (headings only by their numbers, no tables).")
def scan(paths, label, min_score, fmt, output, lang, fast_pdf) -> None:
    """Rank tenders by their opportunities for social-economy enterprises, with evidence.

    Each folder's sub-folders, ZIPs and documents are tenders (as for `audit`).
    """
    import csv
    import io
    import json

    from clausecheck.output import write_output
    from clausecheck.scan import scan as run_scan

    found = run_scan(list(paths), lang, label, min_score, on_error=lambda p, e: click.echo(f"clausecheck: error: {e}", err=True), fast_pdf=fast_pdf)
    if fmt == "json":
        text = json.dumps([o.__dict__ for o in found], ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["rank", "score", "tender", "buyer", "deadline", "labels", "evidence", "path"])
        for i, o in enumerate(found, 1):
            w.writerow([i, o.score, o.tender, o.buyer or "", o.deadline or "", ";".join(o.labels), " | ".join(f"{e['code']} {e['clause'] or ''} {e['message']}" for e in o.evidence), o.path])
        text = buf.getvalue()
    elif fmt == "html":
        from clausecheck.writers.html import _environment

        text = _environment().get_template("scan.html.j2").render(found=found)
    else:
        lines = [f"{'#':>3} {'score':>6}  {'tender':<28} {'deadline':<18} labels"]
        for i, o in enumerate(found, 1):
            lines.append(f"{i:>3} {o.score:>6.1f}  {o.tender[:28]:<28} {(o.deadline or '–'):<18} {', '.join(o.labels)}")
            for e in o.evidence[:4]:
                lines.append(f"{'':>12}{e['code']} {e['document'] or ''} {e['clause'] or ''}: {e['message'][:110]}")
        text = "\n".join(lines) + "\n"
    write_output(text, output)


def _supported() -> tuple[str, ...]:
    from clausecheck.langdetect import supported_languages

    return supported_languages()


@cli.group()
def model() -> None:
    """Train and evaluate the classifier (models/ in the source tree)."""


@model.command("train")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=str), help="Training folder (default: models/training).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=str), help="Where to write the model (default: models/).")
def model_train(data_dir: str | None, out_dir: str | None) -> None:
    """Rebuild the model artifacts from the training corpus, deterministically."""
    from pathlib import Path

    from clausecheck.model import train
    from clausecheck.resources import shipped_dir

    models = shipped_dir("models")
    trained = train(Path(data_dir) if data_dir else models / "training", Path(out_dir) if out_dir else models, log=lambda m: click.echo(m, err=True), save_split_file=True)
    cv = trained.meta["metrics_crossvalidated"]
    click.echo(f"5-fold cross-validation on train+validation (chooses C, calibration, thresholds): macro F1 {cv['macro_f1']:.3f}, social-vs-not F1 {cv['social_f1']:.3f} (n={cv['n']})")
    click.echo("\nheld-out test split: see `clausecheck model evaluate` (also in models/meta.json).")


@model.command("evaluate")
@click.option("--split", type=click.Choice(["test", "validation", "train"]), default="test", show_default=True, help="Which split to score.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format.")
def model_evaluate(split: str, fmt: str) -> None:
    """Print per-label precision, recall and F1 (and strength accuracy) on a split of the corpus."""
    import json

    from clausecheck.corpus import load_examples, load_split
    from clausecheck.model import evaluate, load_model
    from clausecheck.resources import shipped_dir

    models = shipped_dir("models")
    examples = load_examples(models / "training")
    assignment = load_split(models / "training", examples)
    metrics = evaluate(load_model(models), [e for e in examples if assignment[e.id] == split])
    if fmt == "json":
        click.echo(json.dumps(metrics, indent=2))
    else:
        _print_metrics(metrics)


def _print_metrics(metrics: dict) -> None:
    for scope, m in metrics.items():
        click.echo(f"\n[{scope}] n={m['n']}  macro F1 {m['macro_f1']:.3f}  social-vs-not F1 {m['social_f1']:.3f}  strength accuracy {m['strength_accuracy']:.3f}")
        click.echo(f"  {'label':<18} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
        for label, v in m["labels"].items():
            click.echo(f"  {label:<18} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['f1']:>6.3f} {v['support']:>8}")


def main() -> None:
    try:
        cli(prog_name="clausecheck")
    except BrokenPipeError:  # e.g. `clausecheck extract x.pdf | head`
        sys.stderr.close()
        sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
