"""Where the shipped data lives: models/ and clause_library/ at the top of the repository, or
inside the installed wheel (clausecheck/_shipped/...), so the command works from any directory."""

from __future__ import annotations

from pathlib import Path

from clausecheck.errors import DataFileError

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def shipped_dir(name: str) -> Path:
    """The directory `name` ("models" or "clause_library"), installed or in a source checkout."""
    for candidate in (PACKAGE_DIR / "_shipped" / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise DataFileError(f"the {name}/ directory was not found next to the clausecheck package; reinstall clausecheck.")
