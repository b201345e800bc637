"""Counts as written: digits, Arabic-Indic digits, number words, duals (cases in tests/cases/casualties_numbers.jsonl)."""

from __future__ import annotations

import pytest

from services.extractor.casualties.lexicon import NumberWord, load_lexicon
from services.extractor.casualties.numbers import compose, find_numbers, parse_digits
from services.extractor.casualties.tokens import tokenize
from tests.cases import Case, case_name, load_cases

CASES = load_cases("casualties_numbers.jsonl", needs=("lang", "text"))


@pytest.mark.parametrize("case", CASES, ids=case_name)
def test_number_case(case: Case) -> None:
    lex = load_lexicon(case.lang)
    values = [n.value for n in find_numbers(tokenize(case.text, lex), lex)]
    assert values == case.expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,117", 1117.0), ("1.117", 1117.0), ("35", 35.0), ("1.5", 1.5), ("12,500,000", 12500000.0)],
)
def test_parse_digits(text: str, value: float) -> None:
    assert parse_digits(text) == value


def test_compose_teens_hundreds_and_scales() -> None:
    three, ten, hundred, thousand = (
        NumberWord(3, "unit", "ثلاثة"),
        NumberWord(10, "unit", "عشر"),
        NumberWord(100, "hundred", "مئة"),
        NumberWord(1000, "scale", "ألف"),
    )
    assert compose([three, ten]) == 13
    assert compose([three, hundred]) == 300
    assert compose([three, thousand, hundred]) == 3100


def test_mentions_do_not_share_tokens() -> None:
    lex = load_lexicon("ar")
    mentions = find_numbers(tokenize("قتل خمسة وعشرون شخصا وأصيب 150 ألف", lex), lex)
    assert [(m.value, m.source) for m in mentions] == [(25, "words"), (150000, "digits")]
    assert mentions[0].last < mentions[1].first


def test_two_after_its_noun_is_one_count() -> None:
    lex = load_lexicon("ar")
    mentions = find_numbers(tokenize("خطف مسلحون صحفيين اثنين", lex), lex)
    assert [(m.value, m.noun_included) for m in mentions] == [(2, True)]
