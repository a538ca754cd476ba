"""The wheel ships models/ and clause_library/ and the installed command works from anywhere."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("clausecheck-*.whl"))


def test_wheel_contains_package_data_and_shipped_dirs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "clausecheck/data/lang/da.toml" in names and "clausecheck/data/lang/en.toml" in names
    assert any(n.startswith("clausecheck/_shipped/models/") for n in names)
    assert any(n.startswith("clausecheck/_shipped/clause_library/") for n in names)
    assert not any(n.endswith((".pkl", ".pickle", ".joblib")) for n in names)


def test_installed_command_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=True)  # dependencies come from the test env
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sample = tmp_path / "k.md"
    sample.write_text("1 Formål\n\nLeverandøren skal levere.\n", encoding="utf-8")
    exe = env_dir / "bin" / "clausecheck"
    version = subprocess.run([exe, "--version"], cwd=elsewhere, capture_output=True, text=True, check=True)
    assert "clausecheck, version" in version.stdout
    result = subprocess.run([exe, "extract", str(sample), "--format", "jsonl"], cwd=elsewhere, capture_output=True, text=True, check=True)
    assert '"number": "1"' in result.stdout
    where = subprocess.run(
        [python, "-c", "from clausecheck.resources import shipped_dir; print(shipped_dir('models'))"],
        cwd=elsewhere, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert "site-packages" in where and where.endswith("_shipped/models")
