"""Policy profiles (national default, copenhagen, aarhus, or a user's TOML) and thresholds,
validated when loaded: a wrong key or value is reported with its file, line and allowed values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from clausecheck import datafile
from clausecheck.errors import DataFileError
from clausecheck.facts import BUYER_TYPES, CONTRACT_TYPES
from clausecheck.resources import DATA_DIR

PROFILE_DIR = DATA_DIR / "profiles"
SEVERITIES = ("error", "warning", "info")

# key -> (type, default); nested tables are validated one level deep
_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], Any]]] = {
    "training": {
        "extra_required": (bool, False),
        "extra_min_value_dkk": ((int, float), 0),
        "extra_min_months": ((int, float), 0),
        "extra_contract_types": (list, ["works", "services"]),
        "comply_or_explain_min_value_dkk": ((int, float), 10_000_000),
        "comply_or_explain_min_months": ((int, float), 6),
        "trainee_fte_per_value_dkk": ((int, float), 10_000_000),
        "hours_per_fte": ((int, float), 1924),
    },
    "labour_clause": {
        "required_for": (list, ["state"]),
        "severity_others": (str, "info"),
        "contract_types": (list, list(CONTRACT_TYPES)),
    },
    "csr_annex": {"min_value_dkk": ((int, float), 0)},
    "sanctions": {"fine_per_week_dkk": ((int, float), 5000)},
}


@dataclass(frozen=True)
class Profile:
    id: str
    title: dict[str, str]
    default_buyer_type: str
    training: dict[str, Any]
    labour_clause: dict[str, Any]
    csr_annex: dict[str, Any]
    sanctions: dict[str, Any]
    path: str


def load_profile_file(path: str | Path) -> Profile:
    f = datafile.load(path)
    data = f.data
    for key in data:
        if key not in ("id", "title", "default_buyer_type", *_SCHEMA):
            raise f.error(f.key_line(key, 1) or f.table_line(key, 0), f"unknown key {key!r}; allowed: id, title, default_buyer_type, {', '.join(_SCHEMA)}.")
    f.require(data, ("id",), "the profile", 1)
    buyer = data.get("default_buyer_type", "municipal")
    f.check_choice(buyer, BUYER_TYPES, "default_buyer_type", f.key_line("default_buyer_type", 1))
    tables: dict[str, dict[str, Any]] = {}
    for table, schema in _SCHEMA.items():
        given = data.get(table, {})
        header = _table_header_line(f, table)
        out = {}
        for key, value in given.items():
            if key not in schema:
                raise f.error(f.key_line(key, header), f"[{table}] has unknown key {key!r}; allowed: {', '.join(schema)}.")
            kind, _ = schema[key]
            if not isinstance(value, kind) or isinstance(value, bool) and kind != bool:
                raise f.error(f.key_line(key, header), f"[{table}] {key} must be {_type_name(kind)}, not {value!r}.")
            out[key] = value
        for key, (_, default) in schema.items():
            out.setdefault(key, default)
        tables[table] = out
    for value in tables["labour_clause"]["required_for"]:
        f.check_choice(value, BUYER_TYPES, "[labour_clause] required_for value", f.key_line("required_for", 1))
    f.check_choice(tables["labour_clause"]["severity_others"], SEVERITIES, "[labour_clause] severity_others", f.key_line("severity_others", 1))
    for key, table in (("contract_types", "labour_clause"), ("extra_contract_types", "training")):
        for value in tables[table][key]:
            f.check_choice(value, CONTRACT_TYPES, f"[{table}] {key} value", f.key_line(key, 1))
    title = data.get("title", {"da": data["id"], "en": data["id"]})
    return Profile(data["id"], dict(title), buyer, tables["training"], tables["labour_clause"], tables["csr_annex"], tables["sanctions"], str(f.path))


def _table_header_line(f: datafile.DataFile, table: str) -> int:
    for number, line in enumerate(f.lines, start=1):
        if line.strip() == f"[{table}]":
            return number
    return 1


def _type_name(kind) -> str:
    names = {bool: "true or false", str: "a text", list: "a list", int: "a number", float: "a number"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(sorted({names.get(k, k.__name__) for k in kinds}))


def builtin_profiles() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in PROFILE_DIR.glob("*.toml")))


@lru_cache(maxsize=16)
def load_profile(name_or_path: str = "national") -> Profile:
    """A built-in profile by name, or a TOML file by path."""
    if name_or_path in builtin_profiles():
        return load_profile_file(PROFILE_DIR / f"{name_or_path}.toml")
    path = Path(name_or_path)
    if path.suffix.lower() == ".toml" or path.exists():
        return load_profile_file(path)
    raise DataFileError(f"unknown profile {name_or_path!r}; use one of {', '.join(builtin_profiles())} or a path to a .toml file.")


# --- thresholds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    eu: tuple[dict[str, Any], ...]
    section_176_2: dict[str, Any]

    def eu_period(self, when: date | None = None) -> dict[str, Any]:
        when = when or date.today()
        for period in self.eu:
            if period["valid_from"] <= when <= period["valid_to"]:
                return period
        return max(self.eu, key=lambda p: p["valid_from"]) if when > self.eu[-1]["valid_to"] else min(self.eu, key=lambda p: p["valid_from"])

    def eu_dkk(self, kind: str, when: date | None = None) -> tuple[float, str]:
        """An EU threshold in DKK (kind: works, supplies_services_subcentral, ...) and its period."""
        period = self.eu_period(when)
        amount = float(period[kind])
        if period["currency"] == "EUR":
            amount *= float(period.get("dkk_per_eur", 7.46))
        return amount, period["period"]

    def in_176_cpv_range(self, cpv: str) -> bool:
        code = cpv[:8]
        return any(low <= code <= high for low, high in self.section_176_2["services_cpv_ranges"])


@lru_cache(maxsize=2)
def thresholds(path: str | None = None) -> Thresholds:
    f = datafile.load(path or DATA_DIR / "thresholds.toml")
    periods = f.data.get("eu_threshold", [])
    required = ("period", "valid_from", "valid_to", "currency", "works", "supplies_services_subcentral", "supplies_services_central", "light_regime")
    for i, period in enumerate(periods):
        f.require(period, required, f"eu_threshold #{i + 1}", f.table_line("eu_threshold", i))
        f.check_choice(period["currency"], ("DKK", "EUR"), "currency", f.key_line("currency", f.table_line("eu_threshold", i)))
        if not isinstance(period["valid_from"], date) or not isinstance(period["valid_to"], date):
            raise f.error(f.table_line("eu_threshold", i), "valid_from and valid_to must be dates (YYYY-MM-DD).")
    if not periods:
        raise f.error(0, "defines no [[eu_threshold]] periods.")
    s176 = f.data.get("section_176_2")
    if not s176:
        raise f.error(0, "has no [section_176_2] table.")
    f.require(s176, ("valid_from", "min_duration_months", "services_min_value_dkk", "services_cpv_ranges"), "[section_176_2]", _table_header_line(f, "section_176_2"))
    return Thresholds(tuple(sorted(periods, key=lambda p: p["valid_from"])), s176)
