"""Calendar arithmetic of date mentions: days, weeks and months counted from the publication time.

Language-free: the date patterns (``date_patterns.py``) have already turned a mention into numbers
or a canonical English phrase. A bare weekday is resolved here, not by dateparser, which goes back a
week for a weekday equal to the base's own where news means the same day ("on Thursday" in a
Thursday article).

The canonical phrases the patterns write ("2024-03-05", "5 march 2024", "5 march", "3 days ago",
"yesterday") are reckoned here too: dateparser reads each in about 3 ms (it tries every locale's
formats and time-zone names), a fifth of the extractor's time on long real pages, for arithmetic
this module does in microseconds. Whatever :func:`reckon` does not read (a month spelled another
way, a 29 February that the latest year lacks) still goes to dateparser, so the answers are the same.
"""

from __future__ import annotations

import datetime as dt
import re

import dateparser

from services.extractor.entities.date_words import MONTHS_EN, WEEKDAYS_EN

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
    reckoned = reckon(phrase, base)
    if reckoned is not None:
        return reckoned
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = base
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_MONTH = re.compile(r"(\d{1,2}) ([a-z]+)(?: (\d{4}))?")
_DAYS_AGO = re.compile(r"(\d{1,4}) days? ago")
_DAYS_BACK = {"today": 0, "yesterday": 1}
# Full names and the short forms the patterns accept ("nov", "sept"), each naming one month.
_MONTH_NUMBER = {
    **{name[:3]: i + 1 for i, name in enumerate(MONTHS_EN)},
    "sept": 9,
    **{name: i + 1 for i, name in enumerate(MONTHS_EN)},
}


def reckon(phrase: str, base: dt.datetime | None) -> dt.date | None:
    """The day of a canonical phrase by calendar arithmetic, None where it takes dateparser to say.

    Dates without a year are read in the past, as dateparser's ``PREFER_DATES_FROM="past"`` does:
    the latest such day not after the publication's."""
    phrase = phrase.lower()
    if base is not None and phrase in _DAYS_BACK:
        return (base - dt.timedelta(days=_DAYS_BACK[phrase])).date()
    if (m := _DAYS_AGO.fullmatch(phrase)) and base is not None:
        return (base - dt.timedelta(days=int(m[1]))).date()
    if m := _ISO_DAY.fullmatch(phrase):
        return _day(int(m[1]), int(m[2]), int(m[3]))
    m = _DAY_MONTH.fullmatch(phrase)
    month = _MONTH_NUMBER.get(m[2]) if m else None
    if m is None or month is None:
        return None
    if m[3]:
        return _day(int(m[3]), month, int(m[1]))
    if base is None:
        return None
    day = _day(base.year, month, int(m[1]))
    if day is not None and day > base.date():
        day = _day(base.year - 1, month, int(m[1]))
    return day


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


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
