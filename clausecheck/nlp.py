"""spaCy for Danish and English without any download: a blank pipeline, a sentencizer and a
lookup lemmatizer fed from spacy-lookups-data's tables (retried in lowercase, since the Danish
table is case-sensitive). Pipelines load lazily, once per language.

`tokenize_many` is the fast path of the classifier: spaCy's tokenizer only (no sentencizer, no
Token objects), with the same lowercase forms and lemmas as `analyse`."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
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


def lemma_of(text: str, table: dict[str, str]) -> str:
    """A word's lemma from a lookup table, in lowercase; the word itself when not listed."""
    return (table.get(text) or table.get(text.lower()) or text).lower()


def _blank(lang: str):
    import spacy

    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError):
        nlp = spacy.blank("xx")
    nlp.max_length = MAX_CHARS + 1
    return nlp


@lru_cache(maxsize=8)
def pipeline(lang: str):
    """A blank spaCy pipeline for `lang` with a sentencizer and our lookup lemmatizer."""
    from spacy.language import Language

    if not Language.has_factory("clausecheck_lemmas"):

        @Language.factory("clausecheck_lemmas", default_config={"lang": "da"})
        def _factory(nlp, name, lang):
            table = lemma_table(lang)

            def lemmatize(doc):
                for token in doc:
                    token.lemma_ = lemma_of(token.text, table)
                return doc

            return lemmatize

    nlp = _blank(lang)
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("clausecheck_lemmas", config={"lang": lang})
    return nlp


@lru_cache(maxsize=8)
def tokenizer_only(lang: str):
    """A blank pipeline for `lang`: the same tokens as `pipeline(lang)`, but a vocabulary of its
    own that computes only the word attributes `tokenize_many` reads (spaCy computes some twenty,
    shape, like_num..., for each new word: five times the cost, a few per cent of classifying
    text not seen before). The tokenizer itself reads no word attributes. The rule lexicons are
    tokenized with it too, so that classifying needs no other pipeline."""
    from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER

    nlp = _blank(lang)
    getters = nlp.vocab.lex_attr_getters
    nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in (LOWER, IS_PUNCT, IS_SPACE)}
    return nlp


def analyse(text: str, lang: str):
    return pipeline(lang)(text[:MAX_CHARS])


def analyse_many(texts: list[str], lang: str, batch_size: int = 256):
    return pipeline(lang).pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)


@dataclass
class Tokens:
    """A text's tokens as plain data: what rule matching and the lemma features need."""

    text: str  # the analysed text (cut at MAX_CHARS): spans refer to it
    words: list[tuple[str, str]]  # (lowercase, lemma) per token
    lemmas: str  # the lemmas of the tokens that are not space or punctuation, space-separated
    doc: object  # the spaCy Doc, for the character spans of the (few) tokens matched

    @classmethod
    def from_doc(cls, doc) -> "Tokens":
        """From a spaCy Doc (made by `analyse`, or any other pipeline)."""
        words = [(t.lower_, t.lemma_ or t.lower_) for t in doc]
        return cls(doc.text, words, " ".join(t.lemma_ for t in doc if not t.is_space and not t.is_punct), doc)

    def span(self, i: int, n: int) -> tuple[int, int]:
        """Character span of n tokens from token i."""
        last = self.doc[i + n - 1]
        return self.doc[i].idx, last.idx + len(last)


@lru_cache(maxsize=8)
def _word_info(lang: str) -> dict[int, tuple[tuple[str, str], bool]]:
    """Per language, a cache from a word's orth id to ((lowercase, lemma), not space or punctuation)."""
    return {}


def tokenize_many(texts: list[str], lang: str):
    """Tokens per text, as `analyse_many` would give them, several times faster: no sentencizer,
    and the per-word attributes (lexeme-level, or a function of the word's text) are looked up
    once per distinct word instead of through a Token object per token."""
    from spacy.attrs import ORTH

    nlp = tokenizer_only(lang)
    table = lemma_table(lang)
    info = _word_info(lang)

    def learn(orth: int) -> tuple[tuple[str, str], bool]:
        lex = nlp.vocab[orth]
        if len(info) > 500_000:  # bound the memory of very long runs
            info.clear()
        found = info[orth] = ((lex.lower_, lemma_of(lex.orth_, table)), not lex.is_space and not lex.is_punct)
        return found

    for text in texts:
        text = text[:MAX_CHARS]
        doc = nlp.make_doc(text)
        found = [info.get(orth) or learn(orth) for orth in doc.to_array(ORTH).tolist()]
        yield Tokens(text, [word for word, _ in found], " ".join(word[1] for word, content in found if content), doc)
