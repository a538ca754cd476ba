"""The command line: help, version, extract formats, atomic output, documentation kept true."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import click

from clausecheck import __version__
from clausecheck.cli import cli
from tests.conftest import FIXTURES, ROOT


def _commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")


def test_version_and_help(run) -> None:
    assert run("--version").stdout.strip() == f"clausecheck, version {__version__}"
    result = run("--help")
    assert result.exit_code == 0 and "extract" in result.stdout and "Exit codes" in result.stdout


def test_every_command_and_option_has_help_text() -> None:
    for name, command in _commands(cli):
        assert command.help, f"`clausecheck {name}` has no help text"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"`clausecheck {name} {param.opts[0]}` has no help text"


def test_help_does_not_import_the_heavy_stack() -> None:
    code = "import sys; from clausecheck.cli import main; sys.argv=['clausecheck','--help']\ntry: main()\nexcept SystemExit: pass\nprint(sorted(m for m in ('pdfplumber','docx','spacy','sklearn','numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_extract_formats(run, tmp_path: Path) -> None:
    path = tmp_path / "k.md"
    path.write_text("1 Formål\n\nLeverandøren skal levere.\n\n2 Krav\n\n2.1 Løn\n\nLeverandøren skal sikre løn.\n", encoding="utf-8")
    data = json.loads(run("extract", str(path), "--format", "json").stdout)
    assert data["schema"] == "clausecheck.extract" and data["version"] == 1
    assert data["document"]["format"] == "text" and len(data["document"]["sha256"]) == 64
    assert [(c["number"], c["heading"], c["text"]) for c in data["clauses"]] == [
        ("1", "Formål", "Leverandøren skal levere."),
        ("2.1", "Løn", "Leverandøren skal sikre løn."),
    ]
    lines = run("extract", str(path), "--format", "jsonl").stdout.splitlines()
    assert [json.loads(l)["number"] for l in lines] == ["1", "2.1"]
    text = run("extract", str(path)).stdout
    assert re.search(r"^2\.1\s+2 Krav > 2\.1 Løn", text, re.MULTILINE)
    blocks = json.loads(run("extract", str(path), "--format", "json", "--blocks").stdout)["blocks"]
    assert blocks[0]["kind"] == "heading" and blocks[0]["number"] == "1"


def test_output_file_is_written_atomically(run, tmp_path: Path) -> None:
    out = tmp_path / "clauses.json"
    result = run("extract", str(FIXTURES / "small.pdf"), "--format", "json", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["document"]["pages"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["clauses.json"]  # no temporary file left


def test_usage_error_exit_code_2(run) -> None:
    result = run("extract")
    assert result.exit_code == 2 and "Missing argument" in result.stderr
    assert run("extract", "x.pdf", "--format", "xml").exit_code == 2


def test_readme_starts_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", readme, re.DOTALL)
    first = blocks[0].strip().splitlines()
    commands = [l for l in first if l and not l.startswith("#")]
    assert len(commands) == 2
    assert commands[1] == "bash .ci/run"
    sample = re.search(r"samples/\S+", commands[0]).group(0)
    assert (ROOT / sample).exists(), f"the README's sample {sample} is missing"
    assert "bash .ci/setup" in commands[0]
