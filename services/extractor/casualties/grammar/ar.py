"""Arabic: clitics glued to words, and "و" ("and") glued to the word it joins.

A written Arabic word may carry a conjunction (و, ف), a preposition (ب, ل, ك), the article and a
pronoun suffix around its stem: "وبالمدنيين" is "and" + "with" + "the" + "civilians". The lexicon
lists bare words, so a token is looked up under each form with these peeled off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from services.extractor.arabic_words import ARTICLE, CONJUNCTIONS, CONTRACTED_ARTICLES, PREPOSITIONS
from services.extractor.casualties.grammar.words import read_words

_PRONOUN_SUFFIXES = ("هم", "هن", "ها", "ه")  # "their", "her", "his" glued to the end
_GLUED_AND = "و"
_OPEN_TAA = "ت"
_TAA_MARBUTA = "ه"  # as shared.textnorm writes "ة"
# A stem of at least this many letters may carry a clitic: shorter words are whole words
# ("ولد", "وقت" are not "and" + a two-letter word).
_MIN_STEM = 3
# The shortest word with a glued "و" that is still read as "and" + word: "وهو" (and he), "وقتل".
_MIN_GLUED_AND = 3


@lru_cache(maxsize=65536)  # words repeat: an article has a few thousand distinct ones
def arabic_forms(word: str) -> frozenset[str]:
    """The word and its variants without glued و/ف, ب/ل/ك, the article, tanween alef or a pronoun."""
    forms = {word}
    if len(word) > _MIN_STEM and word.startswith(CONJUNCTIONS):
        forms.add(word[1:])
    for f in list(forms):
        for contracted in CONTRACTED_ARTICLES:
            if f.startswith(contracted) and len(f) > _MIN_STEM + 1:
                forms.add(ARTICLE + f[len(contracted) :])  # "للمدنيين": ل + ال
        if len(f) > _MIN_STEM and f.startswith(PREPOSITIONS):
            forms.add(f[1:])
    for f in list(forms):
        if f.startswith(ARTICLE) and len(f) > _MIN_STEM + 1:
            forms.add(f[len(ARTICLE) :])
    for f in list(forms):
        if f.endswith("ا") and len(f) > _MIN_STEM:
            forms.add(f[:-1])  # tanween alef: "شخصا"
        for suffix in _PRONOUN_SUFFIXES:
            if f.endswith(suffix) and len(f) - len(suffix) >= _MIN_STEM:
                forms.add(f[: -len(suffix)])
                break
    return frozenset(forms)


@dataclass(frozen=True)
class ArabicGrammar:
    """Arabic lookup forms and the glued conjunction."""

    lang: str = "ar"
    # Words that begin with the letter و as part of their stem ("وزارة", "وقت"): never "and" + word.
    waw_stems: frozenset[str] = field(default_factory=lambda: read_words("ar", "waw_initial_words.txt"))

    def lookup_forms(self, word: str) -> frozenset[str]:
        """The word and its clitic-free variants."""
        return arabic_forms(word)

    def is_conjunction(self, word: str) -> bool:
        """ "و" alone, or glued to a word whose own first letter is not و."""
        if word == _GLUED_AND:
            return True
        if not word.startswith(_GLUED_AND) or len(word) < _MIN_GLUED_AND:
            return False
        return not any(form in self.waw_stems for form in _stems(word))

    def is_glued_conjunction(self, word: str) -> bool:
        """A word that carries the glued "و" ("وأصيب"), not "و" standing alone."""
        return word != _GLUED_AND and self.is_conjunction(word)


def _stems(word: str) -> frozenset[str]:
    """The word as written and without a pronoun suffix or tanween: the forms waw_stems lists.

    Only the end is peeled: peeling "و" or "ال" off the front would turn "والوزارة" (and the
    ministry) into "وزارة" and hide the conjunction.
    """
    forms = {word}
    if word.endswith("ا") and len(word) > _MIN_STEM:
        forms.add(word[:-1])
    for suffix in _PRONOUN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            forms.add(word[: -len(suffix)])
    # Before a pronoun the taa marbuta is written open ("وزارته" is "وزارة" + "his").
    return frozenset(forms | {f[:-1] + _TAA_MARBUTA for f in forms if f.endswith(_OPEN_TAA)})


GRAMMAR = ArabicGrammar()
