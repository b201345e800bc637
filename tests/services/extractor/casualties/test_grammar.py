"""The per-language grammar: lookup forms and the conjunction flag every stage reads as Token.conj."""

from __future__ import annotations

import pytest

from services.extractor.casualties.grammar import grammar_for
from services.extractor.casualties.lexicon import load_lexicon
from services.extractor.casualties.tokens import tokenize
from shared.textnorm import normalize


def _norm(word: str) -> str:
    return normalize(word).text


@pytest.mark.parametrize(
    ("word", "joined"),
    [
        ("و", True),
        ("وأصيب", True),  # and + was wounded
        ("وقتل", True),
        ("وهو", True),  # and + he: the shortest glued form
        ("وزارة", False),  # ministry: its own first letter
        ("وزارته", False),  # his ministry: the open taa before a pronoun
        ("وفاة", False),
        ("والوزارة", True),  # and + the ministry
        ("قتل", False),
    ],
)
def test_arabic_glued_and_is_told_from_a_word_that_begins_with_waw(word: str, joined: bool) -> None:
    assert grammar_for("ar").is_conjunction(_norm(word)) is joined


def test_english_and_is_a_conjunction_and_words_are_looked_up_as_written() -> None:
    en = grammar_for("en")
    assert en.is_conjunction("and") and not en.is_conjunction("andes")
    assert en.lookup_forms("civilians") == frozenset({"civilians"})


def test_arabic_forms_peel_clitics_the_article_and_pronouns() -> None:
    forms = grammar_for("ar").lookup_forms(_norm("وبالمدنيين"))
    assert _norm("مدنيين") in forms


def test_tokens_carry_the_flag() -> None:
    tokens = tokenize("قتل 3 أشخاص وأصيب 5 في وزارة", load_lexicon("ar"))
    flagged = [t.text for t in tokens if t.conj]
    assert flagged == [_norm("وأصيب")]
    english = tokenize("killed 3 and wounded 5", load_lexicon("en"))
    assert [t.text for t in english if t.conj] == ["and"]


def test_a_language_without_a_grammar_module_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no casualty grammar"):
        grammar_for("xx")
