"""English: words are looked up as written (case-folded upstream); "and" joins clauses."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.extractor.casualties.grammar.words import read_words


@dataclass(frozen=True)
class EnglishGrammar:
    """English lookup and coordination."""

    lang: str = "en"
    conjunctions: frozenset[str] = field(default_factory=lambda: read_words("en", "conjunctions.txt"))

    def lookup_forms(self, word: str) -> frozenset[str]:
        """English words take no clitics: a word is looked up as itself."""
        return frozenset({word})

    def is_conjunction(self, word: str) -> bool:
        """ "and" (and its kin in ``resources/en/conjunctions.txt``)."""
        return word in self.conjunctions

    def is_glued_conjunction(self, word: str) -> bool:
        """English writes "and" as a word of its own."""
        return False


GRAMMAR = EnglishGrammar()
