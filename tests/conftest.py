"""Shared fixtures: paths, the CLI runner, and the third-party documents (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
REAL = Path(os.environ.get("CLAUSECHECK_REAL_TENDERS", ROOT.parent / "shared" / "real-tenders"))
UPDATE_GOLDEN = os.environ.get("CLAUSECHECK_UPDATE_GOLDEN") == "1"


def real_document(name: str) -> Path:
    """A document from ../shared/real-tenders, or skip the test when the folder is absent."""
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


@pytest.fixture
def run():
    """Run the CLI in-process; returns click's Result with separate stdout and stderr."""
    from clausecheck.cli import cli

    def _run(*args: str, input: str | bytes | None = None):
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return _run
