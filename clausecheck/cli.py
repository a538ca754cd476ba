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
def extract(file: str, fmt: str, output: str | None, blocks: bool) -> None:
    """Read FILE (PDF, DOCX or text) and print its clauses with number, heading path and pages."""
    from clausecheck.output import write_output
    from clausecheck.readers import read_document
    from clausecheck.segment import segment
    from clausecheck import render_extract

    doc = read_document(file)
    clauses = segment(doc)
    for warning in doc.warnings:
        click.echo(f"clausecheck: warning: {warning}", err=True)
    write_output(render_extract.render(doc, clauses, fmt, blocks=blocks), output)


def main() -> None:
    try:
        cli(prog_name="clausecheck")
    except BrokenPipeError:  # e.g. `clausecheck extract x.pdf | head`
        sys.stderr.close()
        sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
