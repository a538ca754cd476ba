"""Bad input: one clear sentence on stderr, exit code 3, no traceback, nothing written (issue 1/7)."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT

SMALL_PDF = FIXTURES / "small.pdf"


def _zip_with(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _scanned_pdf(path: Path) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(image).rectangle((100, 100, 1100, 300), fill="black")
    image.save(path, "PDF", resolution=150)


def _docx_bomb(path: Path) -> None:
    # 300 MB of zeros compress to about 300 KB: over the 256 MB cap on what a DOCX may unpack to.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    path.write_bytes(buffer.getvalue())


# Each case: how to make the input inside tmp_path, and words the one-sentence error must contain.
CASES = {
    "missing file": (lambda d: d / "nope.pdf", "does not exist"),
    "directory": (lambda d: (d / "folder").mkdir() or d / "folder", "is a directory"),
    "empty file": (lambda d: (d / "empty.pdf").write_bytes(b"") and None or d / "empty.pdf", "is empty"),
    "encrypted pdf": (lambda d: shutil.copy(FIXTURES / "encrypted.pdf", d / "enc.pdf") and d / "enc.pdf", "encrypted with a password"),
    "truncated pdf": (
        lambda d: (d / "cut.pdf").write_bytes(SMALL_PDF.read_bytes()[:1500]) and d / "cut.pdf",
        "damaged or truncated",
    ),
    "pdf that is a zip": (lambda d: (d / "z.pdf").write_bytes(_zip_with({"a.txt": b"x"})) and d / "z.pdf", "is a ZIP archive, not a PDF"),
    "docx that is not a zip": (lambda d: (d / "x.docx").write_text("hello, not a zip") and d / "x.docx", "not a ZIP archive"),
    "zip that is not a docx": (
        lambda d: (d / "y.docx").write_bytes(_zip_with({"hello.txt": b"hi"})) and d / "y.docx",
        "not a Word document",
    ),
    "docx zip bomb": (lambda d: _docx_bomb(d / "bomb.docx") or d / "bomb.docx", "possible zip bomb"),
    "scanned pdf": (lambda d: _scanned_pdf(d / "scan.pdf") or d / "scan.pdf", "no text layer"),
    "binary with txt extension": (lambda d: (d / "b.txt").write_bytes(b"\x00\x01\x02" * 100) and d / "b.txt", "binary"),
    "legacy doc": (lambda d: (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600) and d / "old.doc", "legacy Word .doc"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_sentence_and_exit_3(case: str, tmp_path: Path, run) -> None:
    make, words = CASES[case]
    path = make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "out.json"
    result = run("extract", str(path), "--format", "json", "-o", str(out))
    assert result.exit_code == 3, result.output
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("clausecheck: error: ")
    assert result.stdout == ""
    assert not out.exists()  # nothing written
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_installed_command_has_no_traceback_and_debug_shows_one(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pdf"
    exe = [sys.executable, "-m", "clausecheck"]
    plain = subprocess.run([*exe, "extract", str(missing)], capture_output=True, text=True, cwd=ROOT)
    assert plain.returncode == 3
    assert plain.stderr.strip() == f"clausecheck: error: {missing} does not exist."
    debug = subprocess.run([*exe, "--debug", "extract", str(missing)], capture_output=True, text=True, cwd=ROOT)
    assert debug.returncode != 0 and "Traceback" in debug.stderr


def test_non_utf8_text_is_read_with_a_warning(tmp_path: Path, run) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes("1 Løn og ansættelsesvilkår\n\nLeverandøren skal sikre løn – også for lærlinge.\n".encode("cp1252"))
    result = run("extract", str(path), "--format", "json")
    assert result.exit_code == 0
    assert "not UTF-8; read as Windows-1252" in result.stderr
    assert "Leverandøren skal sikre løn – også for lærlinge." in result.stdout


def test_latin1_fallback_for_bytes_cp1252_cannot_decode(tmp_path: Path) -> None:
    from clausecheck.readers.text import decode

    text, warning = decode(b"\x81 \xe6\xf8\xe5", "x.txt")  # 0x81 is undefined in cp1252
    assert text == "\x81 æøå" and "Latin-1" in warning


def test_input_file_is_never_modified(tmp_path: Path, run) -> None:
    path = tmp_path / "small.pdf"
    shutil.copy(SMALL_PDF, path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert run("extract", str(path), "-o", str(tmp_path / "o.txt")).exit_code == 0
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
