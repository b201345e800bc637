"""Calendar arithmetic of date mentions: days, weeks and months counted from the publication time.

Language-free: the date patterns (``date_patterns.py``) have already turned a mention into numbers
or a canonical English phrase. A bare weekday is resolved here, not by dateparser, which goes back a
week for a weekday equal to the base's own where news means the same day ("on Thursday" in a
Thursday article).
"""

from __future__ import annotations

import datetime as dt
import re

import dateparser

from services.extractor.entities.date_words import WEEKDAYS_EN

_MONTHS_PER_YEAR = 12
_DAYS_PER_WEEK = 7


def publication_time(published: str | None) -> dt.datetime | None:
    """The publication time relative dates are counted from (naive), or None if it is unreadable."""
    if not published:
        return None
    try:
        return dt.datetime.fromisoformat(published[:19].replace("Z", ""))
    except ValueError:
        parsed = dateparser.parse(published, languages=["en"])
        return parsed.replace(tzinfo=None) if parsed else None


def resolve(phrase: str, base: dt.datetime | None) -> dt.date | None:
    """Resolve a canonical phrase against the publication time (weekdays: latest such day not after it)."""
    last = phrase.startswith("last ")
    weekday = phrase.removeprefix("last ")
    if weekday in WEEKDAYS_EN:
        if base is None:
            return None
        back = (base.weekday() - WEEKDAYS_EN.index(weekday)) % _DAYS_PER_WEEK
        # "last Thursday" / "الخميس الماضي" written on a Thursday is a week ago.
        return (base - dt.timedelta(days=back or (_DAYS_PER_WEEK if last else 0))).date()
    if base is None and not re.search(r"\d{4}", phrase):
        return None
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def months_back(base: dt.datetime, n: int) -> dt.date:
    """First day of the month ``n`` (0 or 1) months before the publication's."""
    year, month = divmod(base.year * _MONTHS_PER_YEAR + base.month - 1 - n, _MONTHS_PER_YEAR)
    return dt.date(year, month + 1, 1)


def week_start(base: dt.datetime) -> dt.date:
    """The Monday of the publication's week."""
    return (base - dt.timedelta(days=base.weekday())).date()


def month_start(
    month: int, year: str | None, last: bool, this: bool, base: dt.datetime | None
) -> dt.date | None:
    """First day of a month-only date (``month`` 1-12): the latest such month not after publication
    ("last March" in March is a year back, like "last Thursday"); "this March" / "مارس الجاري" the
    publication's year."""
    if year:
        return dt.date(int(year), month, 1)
    if base is None:
        return None
    back = month >= base.month if last else not this and month > base.month
    return dt.date(base.year - back, month, 1)


def day_of_current_month(day: int, last: bool, base: dt.datetime | None) -> dt.date | None:
    """Day ``day`` of the publication's month (of the month before when ``last``), as in "الحادي
    والعشرين من الشهر الجاري". A day after publication stays: the text says this month (a date ahead)."""
    if base is None:
        return None
    first = months_back(base, 1 if last else 0)
    try:
        return first.replace(day=day)
    except ValueError:  # "الحادي والثلاثين" of a 30-day month
        return None
