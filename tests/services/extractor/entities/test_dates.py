"""Ordinal days, month-only dates, "overnight", "earlier this week" and midnight, resolved against
publication, and words that are no date (cases in tests/cases/date_forms.jsonl); the sentences are
written for these tests."""

from __future__ import annotations

import re

import pyarabic.number
import pytest

from services.extractor.entities import dates
from services.extractor.entities.date_words import (
    MONTHS_AR,
    MONTHS_EN,
    ORDINALS_AR,
    ORDINALS_EN,
    WEEKDAYS_AR,
    WEEKDAYS_EN,
)
from services.extractor.entities.dates import find_dates
from shared.textnorm import normalize
from tests.cases import Case, case_name, load_cases

MENTION_FIELDS = ("surface", "iso", "relative", "precision")  # what each case expects of a date mention


def _dates(text: str, published: str | None) -> list[tuple[object, ...]]:
    return [tuple(getattr(d, key) for key in MENTION_FIELDS) for d in find_dates(normalize(text), published)]


def test_every_day_has_an_ordinal_in_both_languages() -> None:
    assert set(ORDINALS_AR.values()) == set(range(1, 32))
    assert set(ORDINALS_EN.values()) == set(range(1, 32))


@pytest.mark.parametrize("day", [*range(2, 13), *range(20, 32)])
def test_ordinal_words_agree_with_pyarabic(day: int) -> None:
    # pyarabic's nominative forms; it has no day-1 form ("الحادي") and writes 13-19 "الثالث عشرة".
    assert ORDINALS_AR[normalize(pyarabic.number.number2ordinal(day)).text] == day


@pytest.mark.parametrize("case", load_cases("date_forms.jsonl", needs=("text", "given")), ids=case_name)
def test_date_form(case: Case) -> None:
    expected = [tuple(want[key] for key in MENTION_FIELDS) for want in case.expected]
    assert _dates(case.text, case.given["published"]) == expected


def test_without_publication_date_relative_forms_are_left_out() -> None:
    text = "Airstrikes overnight and earlier this week, and in January; the fifth of this month."
    assert _dates(text, None) == []


def test_precision_is_in_the_record_dict() -> None:
    (mention,) = find_dates(normalize("Fighting raged in January."), "2024-05-12")
    assert mention.to_dict()["precision"] == "month"
    (day,) = find_dates(normalize("Fighting raged yesterday."), "2024-05-12")
    assert day.to_dict()["precision"] == "day"


def test_the_names_a_script_bound_pattern_needs_are_all_in_its_script() -> None:
    arabic = re.compile(r"[\u0621-\u064a\s]+")
    latin = re.compile(r"[a-z\s-]+")
    assert all(arabic.fullmatch(w) for names in (MONTHS_AR, WEEKDAYS_AR, ORDINALS_AR) for w in names)
    assert all(latin.fullmatch(w) for names in (MONTHS_EN, WEEKDAYS_EN, ORDINALS_EN) for w in names)


@pytest.mark.parametrize(
    "text",
    [
        "Fighting resumed on Tuesday, 5 March 2024, after a lull since February; two days ago it was calm.",
        "قتل ثلاثة يوم الثلاثاء الماضي، وأصيب آخرون منذ ثلاثة أيام في الخامس من آذار 2024.",
        "The strike on 12/03/2024 (الثلاثاء 12 آذار) was reported on 2024-03-13, yesterday and today.",
    ],
)
def test_skipping_patterns_of_an_absent_script_finds_the_same_dates(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = find_dates(normalize(text), "2024-03-14T09:00:00")
    monkeypatch.setattr(dates, "ARABIC_ONLY", frozenset())
    monkeypatch.setattr(dates, "LATIN_ONLY", frozenset())
    assert quick and find_dates(normalize(text), "2024-03-14T09:00:00") == quick
