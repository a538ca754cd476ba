"""spaCy for Danish and English without any download: a blank pipeline, a sentencizer and a
lookup lemmatizer fed from spacy-lookups-data's tables (retried in lowercase, since the Danish
table is case-sensitive). Pipelines load lazily, once per language."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

MAX_CHARS = 200_000  # longer texts are cut for analysis (spaCy refuses over 1,000,000 by default)


@lru_cache(maxsize=8)
def lemma_table(lang: str) -> dict[str, str]:
    spec = find_spec("spacy_lookups_data")
    if spec is None or not spec.origin:
        return {}
    path = Path(spec.origin).parent / "data" / f"{lang}_lemma_lookup.json.gz"
    if not path.exists():
        return {}
    with gzip.open(path, "rb") as fh:
        return json.loads(fh.read())


@lru_cache(maxsize=8)
def pipeline(lang: str):
    """A blank spaCy pipeline for `lang` with a sentencizer and our lookup lemmatizer."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("clausecheck_lemmas"):

        @Language.factory("clausecheck_lemmas", default_config={"lang": "da"})
        def _factory(nlp, name, lang):
            table = lemma_table(lang)

            def lemmatize(doc):
                for token in doc:
                    text = token.text
                    lemma = table.get(text) or table.get(text.lower())
                    token.lemma_ = (lemma or text).lower()
                return doc

            return lemmatize

    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("clausecheck_lemmas", config={"lang": lang})
    nlp.max_length = MAX_CHARS + 1
    return nlp


def analyse(text: str, lang: str):
    return pipeline(lang)(text[:MAX_CHARS])


def analyse_many(texts: list[str], lang: str, batch_size: int = 256):
    return pipeline(lang).pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)
