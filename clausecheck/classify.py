"""Classify texts: which social labels (if any), how binding, and the evidence for it.

Combines the rule lexicon and the trained model (the rules are model features, and their matches
are shown as evidence), detects the language of each text unless told, and refuses to guess for
languages it does not support (no labels, a warning instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from clausecheck.langdetect import UNDETERMINED, detect, supported_languages
from clausecheck.taxonomy import STRENGTHS

DEFAULT_LANG = "da"


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    lang: str | None = None


@dataclass
class Classification:
    id: str
    lang: str
    labels: list[str]
    scores: dict[str, float]
    strength: str
    strength_scores: dict[str, float]
    evidence: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {
            "id": self.id,
            "lang": self.lang,
            "labels": self.labels,
            "scores": self.scores,
            "strength": self.strength,
            "strength_scores": self.strength_scores,
            "evidence": self.evidence,
        }
        if self.warnings:
            data["warnings"] = self.warnings
        return data


class Classifier:
    def __init__(self, model_dir: Path | None = None) -> None:
        from clausecheck.model import load_model
        from clausecheck.resources import shipped_dir

        import os

        env = os.environ.get("CLAUSECHECK_MODEL_DIR")
        self.model = load_model(model_dir or (Path(env) if env else shipped_dir("models")))
        self.labels = self.model.labels

    def resolve_lang(self, item: Item, default: str | None) -> tuple[str, str | None]:
        """The language to analyse an item in, and a warning when it is not supported."""
        supported = supported_languages()
        if item.lang:
            lang = item.lang.lower()
            if lang not in supported:
                return lang, f"language {lang!r} is not supported (supported: {', '.join(supported)}); not classified"
            return lang, None
        found = detect(item.text)
        if found.lang == UNDETERMINED:
            return default or DEFAULT_LANG, None
        if not found.supported:
            return found.lang, f"the text looks {found.lang!r}, which is not supported (supported: {', '.join(supported)}); not classified"
        return found.lang, None

    def classify(self, items: list[Item], default_lang: str | None = None, evidence: bool = True) -> list[Classification]:
        from clausecheck.model import prepare, strength_cues

        resolved = [self.resolve_lang(item, default_lang) for item in items]
        results: list[Classification | None] = [None] * len(items)
        todo = [i for i, (_, warning) in enumerate(resolved) if warning is None]
        for i, (lang, warning) in enumerate(resolved):
            if warning is not None:
                results[i] = Classification(items[i].id, lang, [], {}, "info", {}, [], [warning])
        if todo:
            prepared = prepare([items[i].text for i in todo], [resolved[i][0] for i in todo])
            X = self.model.features(prepared)
            probs, sprobs = self.model.predict(X)
            decided = self.model.decide(probs, prepared)
            # as Python lists: reading numpy arrays element by element is slow
            probs_rows, sprobs_rows, decided_rows = probs.tolist(), sprobs.tolist(), decided.tolist()
            for row, i in enumerate(todo):
                lang = resolved[i][0]
                scores = {l: round(p, 4) for l, p in zip(self.labels, probs_rows[row])}
                labels = [l for l, yes in zip(self.labels, decided_rows[row]) if yes]
                strength_scores = {s: round(p, 4) for s, p in zip(STRENGTHS, sprobs_rows[row])}
                strength = max(strength_scores, key=strength_scores.get)
                found: list[dict] = []
                if evidence:
                    found = [m.to_dict() for m in prepared[row].matches if m.label in labels]
                    for k, label in enumerate(self.labels):
                        if label in labels:
                            for name, weight in self.model.top_features(X, row, k):
                                found.append({"source": "model", "label": label, "feature": name, "weight": weight})
                    cues = prepared[row].cue_words
                    if cues is None:
                        cues = strength_cues(items[i].text, lang)
                    for word in cues.get(strength, [])[:3]:
                        found.append({"source": "cue", "strength": strength, "text": word})
                results[i] = Classification(items[i].id, lang, labels, scores, strength, strength_scores, found)
        return results  # type: ignore[return-value]


@lru_cache(maxsize=2)
def default_classifier() -> Classifier:
    return Classifier()
