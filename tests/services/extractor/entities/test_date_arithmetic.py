"""The calendar arithmetic that stands in for dateparser on canonical phrases gives dateparser's answers."""

from __future__ import annotations

import datetime as dt

import dateparser
import pytest

from services.extractor.entities.date_arithmetic import reckon, resolve
from services.extractor.entities.date_words import MONTHS_EN

# Publication times around the awkward days: a leap day, a year's end, a month's first day.
BASES = [
    dt.datetime(2024, 2, 29, 23, 30),
    dt.datetime(2023, 3, 1, 0, 5),
    dt.datetime(2025, 1, 1, 12, 0),
    dt.datetime(2019, 12, 31, 8, 0),
    dt.datetime(2026, 7, 15, 18, 45),
]
PHRASES = [
    "today",
    "yesterday",
    *(f"{n} days ago" for n in (0, 1, 2, 6, 31, 400)),
    *(f"{day} {month}" for month in MONTHS_EN for day in (1, 15, 28, 29, 30, 31)),
    *(f"{day} {month[:3]}" for month in MONTHS_EN for day in (1, 29, 31)),  # "5 nov", as news abbreviates
    "12 sept",
    "18 nov 2019",
    *(
        f"{day} {month} {year}"
        for month in ("february", "june", "december")
        for day in (1, 29, 31)
        for year in (2020, 2023)
    ),
    "2024-02-29",
    "2019-11-05",
]


def _dateparser(phrase: str, base: dt.datetime) -> dt.date | None:
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "RELATIVE_BASE": base}
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


@pytest.mark.parametrize("base", BASES, ids=str)
def test_reckoned_days_are_dateparsers(base: dt.datetime) -> None:
    reckoned = {p: reckon(p, base) for p in PHRASES}
    # Most phrases are reckoned; the rest (a 29 February the year lacks, a 31 April) go to dateparser.
    assert sum(d is not None for d in reckoned.values()) > 0.8 * len(PHRASES)
    for phrase, day in reckoned.items():
        if day is not None:
            assert day == _dateparser(phrase, base), phrase
        assert resolve(phrase, base) == _dateparser(phrase, base), phrase


def test_a_day_without_a_year_is_the_latest_not_after_publication() -> None:
    base = dt.datetime(2024, 3, 5, 9, 0)
    assert reckon("5 march", base) == dt.date(2024, 3, 5)  # the publication's own day
    assert reckon("6 march", base) == dt.date(2023, 3, 6)  # tomorrow's date is last year's
    # The year before a leap year has no 29 February: dateparser goes back to the last one.
    assert reckon("29 february", dt.datetime(2025, 3, 1)) is None
    assert resolve("29 february", dt.datetime(2025, 3, 1)) == dt.date(2024, 2, 29)


def test_what_it_cannot_read_is_left_to_dateparser() -> None:
    base = dt.datetime(2024, 3, 5)
    assert reckon("5 septem", base) is None  # a month spelled another way
    assert resolve("5 sept", base) == reckon("5 sept", base) == dt.date(2023, 9, 5)
    assert reckon("31 april 2020", base) is None and resolve("31 april 2020", base) is None
    assert reckon("5 march", None) is None  # no year and no publication: no day
