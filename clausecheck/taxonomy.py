"""The label taxonomy (clausecheck/data/taxonomy.toml), validated when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clausecheck import datafile
from clausecheck.resources import DATA_DIR

STRENGTHS = ("binding", "soft", "info")
PLACEMENTS = ("contract_condition", "award_criterion", "technical_specification", "selection_criterion", "reservation", "unknown")
UI_LANGUAGES = ("da", "en")


@dataclass(frozen=True)
class Label:
    id: str
    name: dict[str, str]
    description: dict[str, str]
    legal_basis: str
    eforms: dict[str, tuple[str, ...]]
    colour: str


@dataclass(frozen=True)
class Taxonomy:
    labels: tuple[Label, ...]
    strength_names: dict[str, dict[str, str]]
    placement_names: dict[str, dict[str, str]]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(label.id for label in self.labels)

    def label(self, label_id: str) -> Label:
        return next(label for label in self.labels if label.id == label_id)


def load_taxonomy(path: str | Path) -> Taxonomy:
    f = datafile.load(path)
    labels = []
    seen = set()
    for i, entry in enumerate(f.data.get("label", [])):
        line = f.table_line("label", i)
        f.require(entry, ("id", "name", "description", "legal_basis", "colour"), f"label #{i + 1}", line)
        if entry["id"] in seen:
            raise f.error(line, f"label id {entry['id']!r} is defined twice.")
        seen.add(entry["id"])
        for key in ("name", "description"):
            missing = [lang for lang in UI_LANGUAGES if lang not in entry[key]]
            if missing:
                raise f.error(f.key_line(key, line), f"label {entry['id']!r}: {key} needs the languages {', '.join(missing)}.")
        labels.append(
            Label(
                id=entry["id"],
                name=dict(entry["name"]),
                description=dict(entry["description"]),
                legal_basis=entry["legal_basis"],
                eforms={k: tuple(v) for k, v in entry.get("eforms", {}).items()},
                colour=entry["colour"],
            )
        )
    if not labels:
        raise f.error(0, "defines no [[label]] entries.")
    for table, allowed in (("strength", STRENGTHS), ("placement", PLACEMENTS)):
        names = f.data.get(table, {})
        missing = [k for k in allowed if k not in names]
        if missing:
            raise f.error(f.table_line(table, 0), f"[{table}] must name every value; missing: {', '.join(missing)}.")
    return Taxonomy(tuple(labels), dict(f.data["strength"]), dict(f.data["placement"]))


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    return load_taxonomy(DATA_DIR / "taxonomy.toml")
