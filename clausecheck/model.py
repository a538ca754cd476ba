"""The learned signal of the classifier, and the strength classifier.

Features (all explainable): TF-IDF over lemma uni- and bigrams, TF-IDF over character 3-5-grams
within words (Danish compounds: "praktikantårsværk"), the rule lexicon's per-label scores, and
counts of strength cue words. One logistic regression per label (one-vs-rest), Platt-calibrated
on the validation split, with a per-label threshold chosen on that split; a multinomial logistic
regression for strength. The held-out test split is only used to report metrics.

Artifacts are plain data (no pickles): models/vocabulary.json (vocabularies and idf),
models/weights.npz (coefficients), models/meta.json (labels, thresholds, calibration, data hash,
library versions, metrics). Training is deterministic.
"""

from __future__ import annotations

import json
import math
import platform
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from clausecheck.errors import DataFileError
from clausecheck.languages import LANG_DIR
from clausecheck.taxonomy import STRENGTHS, taxonomy

FORMAT_VERSION = 2
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)
RULE_SCALE = 3.0  # rule scores are in [0, 1]; scaled to weigh like a strong TF-IDF feature
C_GRID = (1.0, 4.0, 16.0, 64.0)  # per-label regularisation, chosen on the validation split
C_STRENGTH = 8.0  # strength model: chosen by 5-fold CV accuracy on train+validation (grid 0.5-16, with and without class weights)
# Weights and idf are stored and used as float32: half the artifact, and on the corpus the same
# decisions as float64 (largest probability change 6e-8).
WEIGHT_DTYPE = np.float32
RESCUE_FLOORS = (0.25, 0.5)  # share of its threshold a label needs to be rescued by the social-vs-not model; chosen on out-of-fold decisions


# --- features --------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _strength_cues(lang: str) -> dict[str, tuple[str, ...]]:
    import tomllib

    path = LANG_DIR / f"{lang}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {k: tuple(v) for k, v in data.get("strength", {}).items()}


def _cue_regex(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = []
    for term in terms:
        body = r"\s+".join(
            (r"\w*" if w.startswith("*") else "") + re.escape(w.strip("*")) + (r"\w*" if w.endswith("*") else "")
            for w in term.split()
            if w != "*"
        )
        parts.append(body.replace(r"\s+\*\s+", r"\s+\w+\s+"))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE) if parts else None


@lru_cache(maxsize=4)
def _cue_patterns(lang: str) -> dict[str, re.Pattern[str] | None]:
    cues = _strength_cues(lang)
    return {s: _cue_regex(cues.get(s, ())) for s in STRENGTHS}


def strength_cues(text: str, lang: str) -> dict[str, list[str]]:
    """The strength cue words found in a text, by strength."""
    return {s: [m.group(0) for m in p.finditer(text)] if p else [] for s, p in _cue_patterns(lang).items()}


@dataclass
class Prepared:
    """One text ready for the vectorisers: lemmas, lowercase text, rule scores, cue counts."""

    lemmas: str
    lower: str
    rules: np.ndarray  # one score per label
    suppressed: np.ndarray  # one score per label for matches their context cancelled
    cues: np.ndarray  # log(1 + count) per strength
    matches: list  # rule matches (evidence)
    cue_words: dict[str, list[str]] | None = None  # strength_cues() of the text, kept for the evidence


def prepare(texts: list[str], langs: list[str]) -> list[Prepared]:
    from clausecheck.nlp import tokenize_many
    from clausecheck.rules import label_scores, match

    labels = taxonomy().ids
    out: list[Prepared | None] = [None] * len(texts)
    by_lang: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        by_lang.setdefault(lang, []).append(i)
    for lang, idx in by_lang.items():
        # the tokenizer alone: rules and lemmas need no sentences (nlp.analyse still gives them)
        docs = tokenize_many([texts[i] for i in idx], lang)
        for i, doc in zip(idx, docs):
            cancelled: list = []
            found = match(doc, lang, cancelled)
            scores = label_scores(found)
            against = label_scores(cancelled)
            cues = strength_cues(texts[i], lang)
            out[i] = Prepared(
                lemmas=doc.lemmas,
                lower=texts[i].lower(),
                rules=np.array([scores.get(l, 0.0) for l in labels], dtype=np.float64),
                suppressed=np.array([against.get(l, 0.0) for l in labels], dtype=np.float64),
                cues=np.array([math.log1p(len(cues[s])) for s in STRENGTHS], dtype=np.float64),
                matches=found,
                cue_words=cues,
            )
    return out  # type: ignore[return-value]


_WORD_GRAMS: dict[str, tuple[str, ...]] = {}  # a word's character n-grams, computed once per word


def char_wb_ngrams(text: str) -> list[str]:
    """scikit-learn's "char_wb" analyser (n-grams inside words padded with a space) for
    CHAR_NGRAMS, the same n-grams in the same order, but computed once per distinct word: words
    repeat, and this analyser was a third of the time spent classifying."""
    lo, hi = CHAR_NGRAMS
    out: list[str] = []
    for word in text.split():
        grams = _WORD_GRAMS.get(word)
        if grams is None:
            w = f" {word} "
            found = []
            for n in range(lo, hi + 1):
                found.extend(w[i : i + n] for i in range(max(1, len(w) - n + 1)))
                if len(w) <= n:  # a short word is counted once, at the smallest n it does not fill
                    break
            if len(_WORD_GRAMS) > 500_000:  # bound the memory of very long runs
                _WORD_GRAMS.clear()
            grams = _WORD_GRAMS[word] = tuple(found)
        out.extend(grams)
    return out


def _vectorizers(word_vocab=None, char_vocab=None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(
        analyzer="word", token_pattern=r"(?u)\b\w[\w\-]*\b", ngram_range=WORD_NGRAMS, min_df=2,
        sublinear_tf=True, lowercase=False, vocabulary=word_vocab, dtype=np.float64,
    )
    char = TfidfVectorizer(
        analyzer=char_wb_ngrams, min_df=3, max_features=60_000,
        sublinear_tf=True, lowercase=False, vocabulary=char_vocab, dtype=np.float64,
    )
    return word, char


def _stack(word_m, char_m, prepared: list[Prepared]):
    from scipy.sparse import csr_matrix, hstack

    extra = np.array([np.concatenate([p.rules * RULE_SCALE, p.suppressed * RULE_SCALE, p.cues]) for p in prepared])
    return hstack([word_m, char_m, csr_matrix(extra)], format="csr")


# --- the trained model -----------------------------------------------------------------------------


@dataclass
class Model:
    labels: tuple[str, ...]
    word_vocab: dict[str, int]
    word_idf: np.ndarray
    char_vocab: dict[str, int]
    char_idf: np.ndarray
    coef: np.ndarray  # labels x features
    intercept: np.ndarray
    platt: np.ndarray  # labels x 2 (a, b): p = sigmoid(a * z + b)
    thresholds: np.ndarray
    social_coef: np.ndarray  # 1 x features: social (any label) vs not
    social_intercept: np.ndarray
    social_platt: np.ndarray  # (a, b)
    social_threshold: np.ndarray  # scalar in a 1-array
    strength_coef: np.ndarray  # strengths x features
    strength_intercept: np.ndarray
    meta: dict

    def __post_init__(self) -> None:
        for name in ("word_idf", "char_idf", "coef", "social_coef", "strength_coef"):
            setattr(self, name, np.asarray(getattr(self, name), dtype=WEIGHT_DTYPE))
        word, char = _vectorizers(self.word_vocab, self.char_vocab)
        word.idf_ = self.word_idf
        char.idf_ = self.char_idf
        self._word, self._char = word, char
        names = [""] * (len(self.word_vocab) + len(self.char_vocab) + 2 * len(self.labels) + len(STRENGTHS))
        for term, i in self.word_vocab.items():
            names[i] = f"word:{term}"
        offset = len(self.word_vocab)
        for term, i in self.char_vocab.items():
            names[offset + i] = f"chars:{term}"
        offset += len(self.char_vocab)
        for k, label in enumerate(self.labels):
            names[offset + k] = f"rule:{label}"
            names[offset + len(self.labels) + k] = f"rule-cancelled:{label}"
        for k, s in enumerate(STRENGTHS):
            names[offset + 2 * len(self.labels) + k] = f"cue:{s}"
        self.feature_names = names

    def features(self, prepared: list[Prepared]):
        return _stack(self._word.transform([p.lemmas for p in prepared]), self._char.transform([p.lower for p in prepared]), prepared)

    def predict(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated label probabilities (n x labels) and strength probabilities (n x 3)."""
        z = np.asarray(X @ self.coef.T) + self.intercept
        probs = 1.0 / (1.0 + np.exp(-(self.platt[:, 0] * z + self.platt[:, 1])))
        zs = np.asarray(X @ self.social_coef.T).ravel() + self.social_intercept[0]
        social = 1.0 / (1.0 + np.exp(-(self.social_platt[0] * zs + self.social_platt[1])))
        probs = np.column_stack([probs, social])
        s = np.asarray(X @ self.strength_coef.T) + self.strength_intercept
        s = np.exp(s - s.max(axis=1, keepdims=True))
        return probs, s / s.sum(axis=1, keepdims=True)

    def decide(self, probs: np.ndarray, prepared: list[Prepared] | None = None, floor: float | None = None) -> np.ndarray:
        """Labels per text (n x labels, bool): each label over its threshold; and when none is but
        the social-vs-not model is confident, the label closest to its threshold, unless the rules
        found that label's words only in a context that cancels them ("elever" at a school)."""
        floor = self.meta["hyperparameters"]["rescue_floor"] if floor is None else floor
        labels = probs[:, : len(self.labels)]
        pred = labels >= self.thresholds
        ratio = labels / self.thresholds
        best = np.argmax(ratio, axis=1)
        # rescue only a near miss: the best label must reach a share of its threshold (the floor)
        rescue = (~pred.any(axis=1)) & (probs[:, -1] >= self.social_threshold[0]) & (ratio[np.arange(len(best)), best] >= floor)
        if prepared is not None:
            cancelled = np.array([[p.suppressed[k] > 0 and p.rules[k] == 0 for k in range(len(self.labels))] for p in prepared])
            rescue &= ~cancelled[np.arange(len(best)), best]
        if rescue.any():
            pred[rescue, best[rescue]] = True
        return pred

    def top_features(self, X, row: int, label_index: int, k: int = 3) -> list[tuple[str, float]]:
        """The features that pushed one text towards one label most."""
        start, end = X.indptr[row], X.indptr[row + 1]  # the row's non-zeros, read from the CSR arrays
        idx = X.indices[start:end]
        vals = X.data[start:end] * self.coef[label_index, idx]
        order = np.argsort(-vals)[:k]
        return [(self.feature_names[idx[i]], round(float(vals[i]), 3)) for i in order if vals[i] > 0]

    def save(self, folder: Path) -> None:
        from clausecheck.output import write_atomic

        folder.mkdir(parents=True, exist_ok=True)
        vocab = {"word": self.word_vocab, "char": self.char_vocab}
        write_atomic(folder / "vocabulary.json", json.dumps(vocab, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
        tmp = folder / ".weights.tmp.npz"
        np.savez_compressed(
            tmp, word_idf=self.word_idf, char_idf=self.char_idf, coef=self.coef, intercept=self.intercept,
            platt=self.platt, thresholds=self.thresholds, social_coef=self.social_coef, social_intercept=self.social_intercept,
            social_platt=self.social_platt, social_threshold=self.social_threshold, strength_coef=self.strength_coef,
            strength_intercept=self.strength_intercept,
        )
        tmp.replace(folder / "weights.npz")
        write_atomic(folder / "meta.json", json.dumps(self.meta, ensure_ascii=False, indent=2) + "\n")


def load_model(folder: Path) -> Model:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        vocab = json.loads((folder / "vocabulary.json").read_text(encoding="utf-8"))
        with np.load(folder / "weights.npz", allow_pickle=False) as w:
            arrays = {k: w[k] for k in w.files}
    except FileNotFoundError as exc:
        raise DataFileError(f"the classifier model is missing ({exc.filename}); run `clausecheck model train`.") from None
    if meta.get("format_version") != FORMAT_VERSION:
        raise DataFileError(f"{folder}/meta.json: model format {meta.get('format_version')} is not {FORMAT_VERSION}; run `clausecheck model train`.")
    return Model(
        labels=tuple(meta["labels"]), word_vocab=vocab["word"], char_vocab=vocab["char"], meta=meta, **arrays
    )


# --- training --------------------------------------------------------------------------------------


def _platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Fit p = sigmoid(a z + b) by logistic regression on validation scores."""
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=1e4, solver="lbfgs").fit(z.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold with the best F1 on validation; among thresholds within 0.01 of the best F1,
    the median, so that a small validation split does not pick an extreme by chance."""
    grid = np.round(np.arange(0.2, 0.81, 0.025), 3)
    scores = []
    for t in grid:
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        scores.append(2 * tp / max(1.0, pred.sum() + y.sum()))
    best = max(scores)
    near = [float(t) for t, f in zip(grid, scores) if f >= best - 0.01]
    return float(np.median(near))


def _folds(examples, indices: list[int], k: int = 5, seed: str = "clausecheck-folds") -> np.ndarray:
    """Fold number per index: groups stay together, each stratum spread over the folds."""
    import hashlib
    from collections import defaultdict

    strata: dict[str, list[str]] = defaultdict(list)
    group_of = {}
    for i in indices:
        e = examples[i]
        group_of[i] = e.group
        if e.group not in strata[e.stratum]:
            strata[e.stratum].append(e.group)
    fold_of_group = {}
    for stratum in sorted(strata):
        groups = sorted(strata[stratum], key=lambda g: hashlib.sha256(f"{seed}|{g}".encode()).hexdigest())
        for n, g in enumerate(groups):
            fold_of_group.setdefault(g, n % k)
    return np.array([fold_of_group[group_of[i]] for i in indices])


def train(folder: Path, out: Path, log=print, save_split_file: bool = False) -> Model:
    """Fit on train + validation. Regularisation, calibration and thresholds come from 5-fold
    cross-validated (out-of-fold) predictions on those examples; the test split is only scored."""
    import scipy
    import sklearn
    import spacy
    from sklearn.linear_model import LogisticRegression

    from clausecheck import __version__
    from clausecheck.corpus import data_hash, load_examples, load_split, save_split

    examples = load_examples(folder)
    split = load_split(folder, examples)
    if save_split_file:
        save_split(folder, split)
    labels = taxonomy().ids
    log(f"{len(examples)} examples: " + ", ".join(f"{s} {sum(1 for e in examples if split[e.id] == s)}" for s in ("train", "validation", "test")))
    prepared = prepare([e.text for e in examples], [e.lang for e in examples])
    idx = {s: [i for i, e in enumerate(examples) if split[e.id] == s] for s in ("train", "validation", "test")}
    dev = idx["train"] + idx["validation"]
    folds = _folds(examples, dev)
    Y = np.array([[1 if l in e.labels else 0 for l in labels] for e in examples])

    def vectorise(fit_on: list[int]):
        word, char = _vectorizers()
        word.fit([prepared[i].lemmas for i in fit_on])
        char.fit([prepared[i].lower for i in fit_on])
        return word, char

    def matrix(word, char, rows: list[int]):
        return _stack(word.transform([prepared[i].lemmas for i in rows]), char.transform([prepared[i].lower for i in rows]), [prepared[i] for i in rows])

    # out-of-fold decision scores for every binary task and every C of the grid
    tasks = {label: Y[:, k] for k, label in enumerate(labels)}
    tasks["social"] = Y.any(axis=1).astype(int)
    oof = {(t, c): np.zeros(len(dev)) for t in tasks for c in C_GRID}
    dev_arr = np.array(dev)
    for f in range(int(folds.max()) + 1):
        fit_rows = list(dev_arr[folds != f])
        held = np.where(folds == f)[0]
        word, char = vectorise(fit_rows)
        X_fit, X_held = matrix(word, char, fit_rows), matrix(word, char, list(dev_arr[held]))
        for t, y in tasks.items():
            for c in C_GRID:
                clf = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", random_state=0, max_iter=2000)
                clf.fit(X_fit, y[fit_rows])
                oof[(t, c)][held] = np.asarray(X_held @ clf.coef_[0]).ravel() + clf.intercept_[0]
    word, char = vectorise(dev)
    word_vocab = {t: int(i) for t, i in sorted(word.vocabulary_.items())}
    char_vocab = {t: int(i) for t, i in sorted(char.vocabulary_.items())}
    X_dev = matrix(word, char, dev)
    chosen, fitted = {}, {}
    for t, y in tasks.items():
        best = None
        for c in C_GRID:
            z = oof[(t, c)]
            a, b = _platt(z, y[dev])
            p = 1 / (1 + np.exp(-(a * z + b)))
            thr = _best_threshold(p, y[dev])
            f1 = _prf(p >= thr, y[dev] == 1)["f1"]
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, c, (a, b), thr)
        oof_f1, c, ab, thr = best
        log(f"  {t:<18} C={c:<5g} threshold={thr:.3f} out-of-fold F1={oof_f1:.3f}")
        clf = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", random_state=0, max_iter=2000).fit(X_dev, y[dev])
        chosen[t] = c
        fitted[t] = (clf, ab, thr)
    strengths = np.array([STRENGTHS.index(e.strength) for e in examples])
    sclf = LogisticRegression(C=C_STRENGTH, solver="lbfgs", max_iter=3000).fit(X_dev, strengths[dev])
    meta = {
        "format_version": FORMAT_VERSION,
        "labels": list(labels),
        "strengths": list(STRENGTHS),
        "thresholds": {l: fitted[l][2] for l in labels} | {"social": fitted["social"][2]},
        "data_hash": data_hash(folder),
        "examples": {s: len(v) for s, v in idx.items()},
        "features": {"word": len(word_vocab), "char": len(char_vocab), "rules": len(labels), "cues": len(STRENGTHS)},
        "versions": {
            "clausecheck": __version__, "python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "scipy": scipy.__version__, "spacy": spacy.__version__,
        },
        "hyperparameters": {"C": chosen, "C_grid": C_GRID, "C_strength": C_STRENGTH, "rule_scale": RULE_SCALE, "word_ngrams": WORD_NGRAMS, "char_ngrams": CHAR_NGRAMS, "folds": int(folds.max()) + 1},
    }
    model = Model(
        labels=labels, word_vocab=word_vocab, word_idf=word.idf_, char_vocab=char_vocab, char_idf=char.idf_,
        coef=np.array([fitted[l][0].coef_[0] for l in labels]), intercept=np.array([fitted[l][0].intercept_[0] for l in labels]),
        platt=np.array([fitted[l][1] for l in labels]), thresholds=np.array([fitted[l][2] for l in labels]),
        social_coef=fitted["social"][0].coef_, social_intercept=fitted["social"][0].intercept_, social_platt=np.array(fitted["social"][1]),
        social_threshold=np.array([fitted["social"][2]]), strength_coef=sclf.coef_, strength_intercept=sclf.intercept_, meta=meta,
    )
    # cross-validated estimate on train + validation (labels only): decisions from out-of-fold scores
    oof_probs = np.column_stack(
        [1 / (1 + np.exp(-(fitted[t][1][0] * oof[(t, chosen[t])] + fitted[t][1][1]))) for t in [*labels, "social"]]
    )
    gold = Y[dev].astype(bool)

    def oof_decisions(floor: float) -> tuple[np.ndarray, float]:
        pred = model.decide(oof_probs, [prepared[i] for i in dev], floor)
        macro = np.mean([_prf(pred[:, k], gold[:, k])["f1"] for k in range(len(labels))])
        return pred, (macro + _prf(pred.any(axis=1), gold.any(axis=1))["f1"]) / 2

    # the rescue floor with the best mean of macro and social-vs-not F1 (the higher floor on a tie)
    floor = max(reversed(RESCUE_FLOORS), key=lambda f: oof_decisions(f)[1])
    model.meta["hyperparameters"]["rescue_floor"] = floor
    oof_pred, _ = oof_decisions(floor)
    log(f"  rescue floor {floor:g}")
    per_label = {l: _prf(oof_pred[:, k], gold[:, k]) for k, l in enumerate(labels)}
    model.meta["metrics_crossvalidated"] = {
        "n": len(dev), "macro_f1": round(float(np.mean([m["f1"] for m in per_label.values()])), 4),
        "social_f1": _prf(oof_pred.any(axis=1), gold.any(axis=1))["f1"], "labels": per_label,
    }
    model.meta["metrics"] = evaluate(model, [examples[i] for i in idx["test"]], [prepared[i] for i in idx["test"]])
    model.save(out)
    return model


# --- evaluation ------------------------------------------------------------------------------------


def _prf(pred: np.ndarray, gold: np.ndarray) -> dict:
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": int(gold.sum())}


def evaluate(model: Model, examples, prepared=None) -> dict:
    """Per-label, social-vs-not and strength metrics, overall and per language."""
    if prepared is None:
        prepared = prepare([e.text for e in examples], [e.lang for e in examples])
    probs, sprobs = model.predict(model.features(prepared))
    pred = model.decide(probs, prepared)
    gold = np.array([[l in e.labels for l in model.labels] for e in examples], dtype=bool)
    strengths = np.array([STRENGTHS.index(e.strength) for e in examples])

    def block(mask: np.ndarray) -> dict:
        per_label = {l: _prf(pred[mask, k], gold[mask, k]) for k, l in enumerate(model.labels)}
        macro = round(float(np.mean([m["f1"] for m in per_label.values()])), 4)
        social = _prf(pred[mask].any(axis=1), gold[mask].any(axis=1))
        acc = float((sprobs[mask].argmax(axis=1) == strengths[mask]).mean()) if mask.any() else 0.0
        return {"n": int(mask.sum()), "macro_f1": macro, "social_f1": social["f1"], "social": social, "strength_accuracy": round(acc, 4), "labels": per_label}

    everything = np.ones(len(examples), dtype=bool)
    result = {"all": block(everything)}
    for lang in sorted({e.lang for e in examples}):
        result[lang] = block(np.array([e.lang == lang for e in examples]))
    return result
