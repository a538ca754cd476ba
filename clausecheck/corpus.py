"""The training corpus (models/training/*.jsonl): loading, validation and the fixed split.

The split is stratified by language, first label (or "none") and hard-negative status, keeps
deliberate variants of one text (same `group`) together, and is stored in
models/training/split.json so the held-out test set never changes when code changes.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from clausecheck.errors import DataFileError
from clausecheck.taxonomy import PLACEMENTS, STRENGTHS, taxonomy

SPLITS = ("train", "validation", "test")
SHARES = {"train": 0.70, "validation": 0.15, "test": 0.15}


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    lang: str
    labels: tuple[str, ...]
    strength: str
    placement: str
    group: str
    hard_negative: bool
    register: str = ""
    quality: str = ""

    @property
    def stratum(self) -> str:
        return f"{self.lang}|{self.labels[0] if self.labels else 'none'}|{self.hard_negative}"


def load_examples(folder: Path) -> list[Example]:
    labels = set(taxonomy().ids)
    examples, seen = [], set()
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise DataFileError(f"{folder}: no training files (*.jsonl).")
    for path in files:
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFileError(f"{where}: invalid JSON ({exc.msg}).") from None
            for key in ("id", "text", "lang", "labels", "strength"):
                if key not in row:
                    raise DataFileError(f"{where}: missing {key!r}.")
            bad = [l for l in row["labels"] if l not in labels]
            if bad:
                raise DataFileError(f"{where}: unknown label(s) {bad}; use: {', '.join(sorted(labels))}.")
            if row["strength"] not in STRENGTHS:
                raise DataFileError(f"{where}: strength {row['strength']!r}; use: {', '.join(STRENGTHS)}.")
            placement = row.get("placement") or "unknown"
            if placement not in PLACEMENTS:
                raise DataFileError(f"{where}: placement {placement!r}; use: {', '.join(PLACEMENTS)}.")
            if row["id"] in seen:
                raise DataFileError(f"{where}: id {row['id']!r} is used twice.")
            seen.add(row["id"])
            examples.append(
                Example(
                    id=row["id"],
                    text=row["text"],
                    lang=row["lang"],
                    labels=tuple(sorted(set(row["labels"]), key=taxonomy().ids.index)),
                    strength=row["strength"],
                    placement=placement,
                    group=row.get("group") or row["id"],
                    hard_negative=bool(row.get("hard_negative")),
                    register=row.get("register", ""),
                    quality=row.get("quality", ""),
                )
            )
    return examples


def data_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def make_split(examples: list[Example], seed: str = "clausecheck-v1", splits: tuple[str, ...] = SPLITS) -> dict[str, str]:
    """Assign each example to one of `splits`: groups stay whole, strata keep their shares."""
    shares = {s: SHARES[s] / sum(SHARES[t] for t in splits) for s in splits}
    groups: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        groups[ex.group].append(ex)
    strata: dict[str, list[str]] = defaultdict(list)
    for group, members in groups.items():
        strata[members[0].stratum].append(group)
    assignment: dict[str, str] = {}
    for stratum, names in sorted(strata.items()):
        names.sort(key=lambda g: hashlib.sha256(f"{seed}|{g}".encode()).hexdigest())
        total = sum(len(groups[g]) for g in names)
        counts = {s: 0 for s in splits}
        for g in names:
            # give the group to the split that is furthest below its share in this stratum
            split = min(splits, key=lambda s: (counts[s] - shares[s] * total) / (shares[s] * total))
            counts[split] += len(groups[g])
            for ex in groups[g]:
                assignment[ex.id] = split
    return assignment


def load_split(folder: Path, examples: list[Example]) -> dict[str, str]:
    """The stored split. The test split is frozen once stored: examples added since are shared
    between train and validation only, so held-out figures stay comparable across corpus rounds."""
    path = folder / "split.json"
    stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    new = [ex for ex in examples if ex.id not in stored]
    if new:
        frozen = "test" in stored.values()
        stored.update(make_split(new, splits=("train", "validation") if frozen else SPLITS))
    return {ex.id: stored[ex.id] for ex in examples}


def save_split(folder: Path, assignment: dict[str, str]) -> None:
    from clausecheck.output import write_atomic

    write_atomic(folder / "split.json", json.dumps(dict(sorted(assignment.items())), indent=0) + "\n")
