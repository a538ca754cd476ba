"""Tender packages: the documents of one tender, from files, folders or a ZIP archive.

A folder or ZIP is one tender. Documents that share a name in several formats ("kontrakt.docx" and
"kontrakt.pdf") are read once, preferring DOCX, then PDF, then text. ZIP archives are unpacked with
limits (total size, number of files) and names that would escape the target folder are refused.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from clausecheck.errors import InputError

DOCUMENT_SUFFIXES = {".docx": 0, ".pdf": 1, ".txt": 2, ".md": 2}
NOTICE_SUFFIXES = {".xml"}
MAX_ZIP_BYTES = 512 * 1024 * 1024
MAX_ZIP_FILES = 2_000


def _pick(files: list[Path]) -> list[Path]:
    by_stem: dict[tuple[Path, str], Path] = {}
    for f in sorted(files):
        key = (f.parent, f.stem.lower())
        if key not in by_stem or DOCUMENT_SUFFIXES[f.suffix.lower()] < DOCUMENT_SUFFIXES[by_stem[key].suffix.lower()]:
            by_stem[key] = f
    return sorted(by_stem.values())


def safe_extract(archive_path: Path, target: Path) -> list[Path]:
    """Unpack a ZIP into `target`, refusing bombs and path traversal. Returns the files."""
    try:
        archive = zipfile.ZipFile(archive_path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, NotImplementedError, ValueError, EOFError):
        raise InputError(f"{archive_path.name} is not a readable ZIP archive.") from None
    with archive:
        if len(infos) > MAX_ZIP_FILES:
            raise InputError(f"{archive_path.name} holds {len(infos)} files; the limit is {MAX_ZIP_FILES}.")
        if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
            raise InputError(f"{archive_path.name} would unpack to more than {MAX_ZIP_BYTES // 2**20} MB (possible zip bomb).")
        out = []
        root = target.resolve()
        for info in infos:
            if info.is_dir():
                continue
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or (name.parts and name.parts[0].endswith(":")):
                raise InputError(f"{archive_path.name} contains an unsafe path {info.filename!r} (path traversal); refusing to unpack it.")
            if any(part.startswith("__MACOSX") for part in name.parts) or name.name.startswith("."):
                continue
            dest = (target / Path(*name.parts)).resolve()
            if root not in dest.parents:
                raise InputError(f"{archive_path.name} contains an unsafe path {info.filename!r} (path traversal); refusing to unpack it.")
            _unpack(archive, info, dest, archive_path.name)
            out.append(dest)
    return out


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, name: str) -> None:
    """Copy one member out; what zipfile raises for a damaged, encrypted or odd member becomes an
    InputError. Reading stops at the size the archive declares, so a lying header cannot unpack more."""
    try:
        src = archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError, zlib.error) as exc:
        raise InputError(f"{name} is damaged: {info.filename!r} cannot be unpacked ({type(exc).__name__}).") from None
    except RuntimeError:  # zipfile's way of saying "encrypted" (NotImplementedError, a subclass, is above)
        raise InputError(f"{name}: {info.filename!r} is encrypted with a password; unpack the ZIP yourself and try again.") from None
    with src:
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dst = open(dest, "wb")
        except OSError as exc:
            raise InputError(f"{name}: {info.filename!r} cannot be unpacked ({exc.strerror or type(exc).__name__}).") from None
        with dst:
            try:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            except (zipfile.BadZipFile, NotImplementedError, EOFError, zlib.error) as exc:
                raise InputError(f"{name} is damaged: {info.filename!r} cannot be unpacked ({type(exc).__name__}).") from None


class Package:
    """The documents of one tender. Use as a context manager: ZIPs are unpacked to a temp folder."""

    def __init__(self, paths: list[str | Path]) -> None:
        self.inputs = [Path(p) for p in paths]
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.documents: list[Path] = []
        self.notices: list[Path] = []
        self.name = self.inputs[0].stem if len(self.inputs) == 1 else "tender"

    def __enter__(self) -> "Package":
        try:
            return self._open()
        except BaseException:
            self.__exit__()  # a refused ZIP leaves no unpacked files behind
            raise

    def _open(self) -> "Package":
        files: list[Path] = []
        for path in self.inputs:
            if not path.exists():
                raise InputError(f"{path} does not exist.")
            if path.is_dir():
                found = [p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)]
                if not found:
                    raise InputError(f"{path} is an empty folder.")
                files.extend(found)
            elif path.suffix.lower() == ".zip":
                if self._tmp is None:
                    self._tmp = tempfile.TemporaryDirectory(prefix="clausecheck-")
                target = Path(self._tmp.name) / path.stem
                files.extend(safe_extract(path, target))
            else:
                files.append(path)
        docs = [f for f in files if f.suffix.lower() in DOCUMENT_SUFFIXES]
        self.notices = sorted(f for f in files if f.suffix.lower() in NOTICE_SUFFIXES)
        explicit = [p for p in self.inputs if p.is_file() and p.suffix.lower() not in (".zip",)]
        unknown = [p for p in explicit if p.suffix.lower() not in DOCUMENT_SUFFIXES and p.suffix.lower() not in NOTICE_SUFFIXES]
        docs.extend(unknown)  # a single file of an unexpected extension is still tried (and sniffed)
        self.documents = _pick([d for d in docs if d.suffix.lower() in DOCUMENT_SUFFIXES]) + sorted(unknown)
        if not self.documents and not self.notices:
            raise InputError(f"no PDF, DOCX or text documents found in {', '.join(map(str, self.inputs))}.")
        return self

    def __exit__(self, *exc) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
