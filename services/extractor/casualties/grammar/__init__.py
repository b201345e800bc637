"""Per-language grammar behind one small interface: adding a language is adding a module here.

What differs between languages in how a word is looked up and how clauses are joined lives in
``grammar/<lang>.py``; the words themselves live in ``resources/<lang>/``. A module provides
``GRAMMAR``, an object with the methods of :class:`Grammar`.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Protocol


class Grammar(Protocol):
    """How one language's words are looked up and joined."""

    lang: str

    def lookup_forms(self, word: str) -> frozenset[str]:
        """The keys a normalised word is looked up under in the lexicon (itself and clitic-free forms)."""

    def is_conjunction(self, word: str) -> bool:
        """Whether the word is "and", or opens with an "and" glued to it (Arabic "وأصيب")."""

    def is_glued_conjunction(self, word: str) -> bool:
        """Whether the word carries an "and" glued to it ("وأصيب"), rather than being "and" itself."""


@cache
def grammar_for(lang: str) -> Grammar:
    """The grammar of ``lang``: the ``GRAMMAR`` of module ``grammar/<lang>.py``."""
    try:
        module = importlib.import_module(f"{__name__}.{lang}")
    except ModuleNotFoundError as exc:
        raise ValueError(f"no casualty grammar for language {lang!r}") from exc
    grammar: Grammar = module.GRAMMAR
    return grammar
