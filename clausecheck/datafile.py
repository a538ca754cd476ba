"""Loading the data files (TOML) that hold rules, lexicons, taxonomy and profiles.

Errors name the file and the line, and list the allowed values, so a procurement lawyer editing a
rule sees what is wrong without reading Python.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from clausecheck.errors import DataFileError


@dataclass
class DataFile:
    path: Path
    data: dict[str, Any]
    lines: list[str]

    def table_line(self, name: str, index: int) -> int:
        """1-based line of the index-th ``[[name]]`` header (0 when not found)."""
        count = -1
        header = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        for number, line in enumerate(self.lines, start=1):
            if header.match(line):
                count += 1
                if count == index:
                    return number
        return 0

    def key_line(self, key: str, start: int = 0) -> int:
        """1-based line of the first ``key =`` at or after line `start` (else `start`)."""
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for number in range(max(start, 1), len(self.lines) + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return start

    def error(self, line: int, message: str) -> DataFileError:
        where = f"{self.path}:{line}" if line else str(self.path)
        return DataFileError(f"{where}: {message}")

    def check_choice(self, value: Any, allowed: Iterable[str], what: str, line: int) -> None:
        allowed = list(allowed)
        if value not in allowed:
            raise self.error(line, f"{what} {value!r} is not allowed; use one of: {', '.join(allowed)}.")

    def require(self, table: dict, keys: Iterable[str], what: str, line: int) -> None:
        missing = [k for k in keys if k not in table]
        if missing:
            raise self.error(line, f"{what} is missing {', '.join(missing)}.")


def load(path: str | Path) -> DataFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"{path}: file not found.") from None
    except UnicodeDecodeError:
        raise DataFileError(f"{path}: not UTF-8 text.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: invalid TOML: {exc}.") from None
    return DataFile(path=path, data=data, lines=text.splitlines())
