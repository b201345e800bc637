"""Period wording on its own: spans of dates, weekday pairs, whole months, campaigns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from services.extractor.casualties.lexicon import load_lexicon
from services.extractor.casualties.periods import campaign_in, date_span_in, month_in, period_in
from services.extractor.casualties.tokens import tokenize


def _all(fn: Callable[..., Any], text: str, lang: str) -> bool:
    lex = load_lexicon(lang)
    toks = tokenize(text, lex)
    return bool(fn(toks, 0, len(toks), lex))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("between 10 and 14 March", "en"),
        ("from 2 May to 9 May", "en"),
        ("from March to the end of April", "en"),
        ("from 2019 to 2021", "en"),
        ("on Friday and Saturday", "en"),
        ("بين 10 و 14 آذار", "ar"),
        ("يومي الخميس والجمعة", "ar"),
    ],
)
def test_spans_of_dates_are_periods(text: str, lang: str) -> None:
    assert _all(date_span_in, text, lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("between 10 and 15 people", "en"),
        ("on 7 March and 5 people", "en"),
        ("on Friday", "en"),
        ("بين 10 و 15 شخصا", "ar"),
    ],
)
def test_numbers_or_one_day_are_no_span(text: str, lang: str) -> None:
    assert not _all(date_span_in, text, lang)


def test_a_whole_month_is_a_period_but_a_day_of_it_is_not() -> None:
    assert _all(month_in, "during May", "en")
    assert _all(month_in, "خلال شهر نيسان", "ar")
    assert not _all(month_in, "during May 5", "en")
    assert not _all(month_in, "in May", "en")


def test_short_spans_and_sums_are_no_period() -> None:
    assert not _all(period_in, "in the past 24 hours", "en")
    assert not _all(period_in, "killed in total", "en")
    assert not _all(period_in, "في حصيلة إجمالية", "ar")
    assert _all(period_in, "since the start of the year", "en")


def test_campaign_nouns() -> None:
    assert _all(campaign_in, "killed in the war", "en")
    assert _all(campaign_in, "جراء العدوان", "ar")
    assert not _all(campaign_in, "killed in an airstrike", "en")
