"""The Arabic article, the letters glued in front of an Arabic word, and the article in Latin script.

One list each, loaded once from ``resources/ar/clitics.yaml`` and shared by the entity and casualty
steps: the prefix sets each reader needs (a bare name's, a definite word's, a date word's) are
built from the same letters here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from shared.textnorm import normalize

# The entity step's resources; read directly, so that the casualty step's grammar does not load the
# entity package to get three letters.
_CLITICS_FILE = Path(__file__).resolve().parent / "resources" / "ar" / "clitics.yaml"


def _norm(word: str) -> str:
    return normalize(word).text


def _words(data: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(_norm(w) for w in data[key])


_DATA: dict[str, Any] = yaml.safe_load(_CLITICS_FILE.read_text(encoding="utf-8"))

ARTICLE = _norm(_DATA["article"])
CONJUNCTIONS = _words(_DATA, "conjunctions")
PREPOSITIONS = _words(_DATA, "prepositions")
NAME_PREPOSITIONS = _words(_DATA, "name_prepositions")
DATE_PREPOSITIONS = _words(_DATA, "date_prepositions")
_CONTRACTIONS: dict[str, str] = {_norm(k): _norm(v) for k, v in _DATA["contractions"].items()}
LATIN_ARTICLES = frozenset(_words(_DATA, "latin_articles"))
# The article as written after a preposition that contracts with it ("لل").
CONTRACTED_ARTICLES = tuple(_CONTRACTIONS.values())


def glued_prefixes(prepositions: Sequence[str], pairs: bool = True) -> tuple[str, ...]:
    """What may stand glued before a word: nothing, a conjunction, a preposition and (``pairs``) a
    conjunction followed by a preposition ("وب")."""
    pair_forms = tuple(c + p for c in CONJUNCTIONS for p in prepositions) if pairs else ()
    return ("", *CONJUNCTIONS, *prepositions, *pair_forms)


def article_prefixes(prepositions: Sequence[str], pairs: bool = True) -> tuple[str, ...]:
    """The same followed by the article, as written ("وال", "بال", "لل", "وبال")."""
    out = []
    for prefix in glued_prefixes(prepositions, pairs):
        written = prefix + ARTICLE
        for joined, contracted in _CONTRACTIONS.items():
            if written.endswith(joined):
                written = written[: -len(joined)] + contracted
        out.append(written)
    return tuple(out)


def alternation(prefixes: Sequence[str]) -> str:
    """A regular-expression group matching one of the non-empty prefixes, shortest first."""
    return "(?:" + "|".join(sorted((p for p in prefixes if p), key=len)) + ")"
