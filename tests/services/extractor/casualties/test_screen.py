"""The first look that spares the full reading of texts that can state no casualty figure."""

from __future__ import annotations

import pytest

from services.extractor.casualties.lexicon import load_lexicon
from services.extractor.casualties.pipeline import _segment, extract_figures, find_figures
from services.extractor.casualties.screen import kind_phrases, may_state_figures
from tests.cases import Case, case_name, load_cases

CASES = load_cases(
    "casualties_en.jsonl", "casualties_ar.jsonl", "casualties_places.jsonl", needs=("lang", "text")
)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The striker scored twice as the home side won 3-1 before a crowd of 40,000."),
        ("en", "Shares of the carmaker fell 4 percent after it cut its forecast for the year."),
        ("ar", "فاز الفريق بثلاثة أهداف مقابل هدف في المباراة النهائية أمس."),
    ],
)
def test_texts_without_a_fate_or_toll_word_are_not_read(lang: str, text: str) -> None:
    lex = load_lexicon(lang)
    assert not may_state_figures((text, ""), lex)
    assert extract_figures(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "A guard was hurt when the gate collapsed."),  # a one-word trigger
        ("en", "By evening the toll had risen to 40."),  # a toll with no casualty word: read as killed
        ("en", "Among the dead were two nurses."),  # a casualty noun
        ("ar", "وأصيب ثلاثة من المارة بجروح."),  # the trigger with "and" glued to it
        ("ar", "ارتفعت الحصيلة إلى 12."),
    ],
)
def test_a_fate_a_toll_or_a_casualty_noun_lets_the_text_through(lang: str, text: str) -> None:
    assert may_state_figures((text, ""), load_lexicon(lang))


def test_the_title_alone_can_let_an_article_through() -> None:
    lex = load_lexicon("en")
    assert may_state_figures(("The council met on Tuesday.", "Four killed in market blast"), lex)


def test_a_phrase_passes_only_with_all_its_words() -> None:
    phrases = kind_phrases("en")
    assert all(phrases) and any(len(p) > 1 for p in phrases)
    lex = load_lexicon("en")
    several = next(p for p in phrases if len(p) > 1 and not any(frozenset({w}) in phrases for w in p))
    first = sorted(several)[0]
    assert not may_state_figures((first, ""), lex)  # one word of a longer phrase is not the phrase
    assert may_state_figures((" ".join(sorted(several)), ""), lex)


@pytest.mark.parametrize("case", CASES, ids=case_name)
def test_the_screen_never_hides_a_figure_the_rules_find(case: Case) -> None:
    lex = load_lexicon(str(case.lang))
    text = str(case.text)
    if may_state_figures((text, ""), lex):
        return
    # Turned away: the full reading, run without the screen, must find no figure either.
    assert case.expected == [] or not case.expected, case_name(case)
    assert find_figures(_segment("body", text, lex, None, None), lex) == []
