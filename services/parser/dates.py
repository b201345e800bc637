"""The publication date, always ISO 8601, with where it came from.

Order: the publisher's structured data (JSON-LD ``datePublished``, then
``<meta>`` dates such as ``article:published_time``), which carry the time of
day; then htmldate's reading of the page (day only); then the feed's date
from the raw record; last, a dateline in the page written with Arabic or
English month names ("الأحد 15 آذار 2026"), which htmldate does not read.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from htmldate import find_date
from lxml.html import HtmlElement

from shared.textnorm import normalize

# News on the web is younger than this; older values are template defaults or epoch zeros.
_MIN_DATE = date(1995, 1, 1)
# Clock skew and time zones ahead of UTC: a date up to a day after ``now`` is plausible.
_MAX_AHEAD = timedelta(days=1)

_MONTHS = {
    # Egyptian/Gulf transliterated names, Levantine/Iraqi names, English names and abbreviations.
    **dict.fromkeys(["يناير", "كانون الثاني", "january", "jan"], 1),
    **dict.fromkeys(["فبراير", "شباط", "february", "feb"], 2),
    **dict.fromkeys(["مارس", "آذار", "march", "mar"], 3),
    **dict.fromkeys(["أبريل", "إبريل", "نيسان", "april", "apr"], 4),
    **dict.fromkeys(["مايو", "أيار", "may"], 5),
    **dict.fromkeys(["يونيو", "يونيه", "حزيران", "june", "jun"], 6),
    **dict.fromkeys(["يوليو", "يوليه", "تموز", "july", "jul"], 7),
    **dict.fromkeys(["أغسطس", "آب", "august", "aug"], 8),
    **dict.fromkeys(["سبتمبر", "أيلول", "september", "sep", "sept"], 9),
    **dict.fromkeys(["أكتوبر", "تشرين الأول", "october", "oct"], 10),
    **dict.fromkeys(["نوفمبر", "تشرين الثاني", "november", "nov"], 11),
    **dict.fromkeys(["ديسمبر", "كانون الأول", "december", "dec"], 12),
}
_MONTH_KEYS = {normalize(name).text: number for name, number in _MONTHS.items()}
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTH_KEYS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_RE})\b\.?\s*,?\s*(\d{{4}})(?!\d)")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)")
_NUMERIC = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Elements that hold a dateline, by their class or id.
_DATELINE_XPATH = (
    "//time | //*[contains(translate(concat(@class, ' ', @id), 'DATEPOSTIM', 'datepostim'), 'date')"
    " or contains(translate(concat(@class, ' ', @id), 'DATEPOSTIM', 'datepostim'), 'posted')"
    " or contains(translate(concat(@class, ' ', @id), 'DATEPOSTIM', 'datepostim'), 'time')]"
)
# A dateline is short; longer elements are paragraphs that merely mention a date.
_MAX_DATELINE_CHARS = 80
_MAX_DATELINES = 20


def resolve_date(
    declared: list[tuple[str, str]], tree: HtmlElement, url: str | None, feed: str | None, now: float
) -> tuple[str | None, str | None, list[str]]:
    """Return (ISO 8601 date, its source, warnings) for the page; (None, None, ["no_date"]) if none."""
    latest = latest_date(now)
    warnings: list[str] = []
    for value, source in declared:
        iso = to_iso(value, latest)
        if iso:
            return iso, source, warnings
        warnings.append("bad_declared_date")
    found = find_date(
        tree,
        extensive_search=False,
        original_date=True,
        outputformat="%Y-%m-%d",
        url=url,
        min_date=datetime.combine(_MIN_DATE, datetime.min.time()),
        max_date=latest.replace(tzinfo=None),
    )
    if found:
        return found, "htmldate", warnings
    if feed:
        iso = to_iso(feed, latest)
        if iso:
            return iso, "feed", warnings
        warnings.append("bad_feed_date")
    iso = find_dateline(tree, latest)
    if iso:
        return iso, "dateline", warnings
    return None, None, [*warnings, "no_date"]


def latest_date(now: float) -> datetime:
    """The latest plausible publication time when the clock reads ``now`` (epoch seconds)."""
    return datetime.fromtimestamp(now, UTC) + _MAX_AHEAD


def to_iso(value: str, latest: datetime) -> str | None:
    """ISO 8601 form of a date as publishers and feeds write it, or None if unreadable or implausible."""
    value = value.strip()
    parsed: datetime | date | None = None
    if _DATE_ONLY.match(value):
        parsed = _safe_date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    else:
        parsed = _parse_datetime(value)
    if parsed is None or not _plausible(parsed, latest):
        return None
    if isinstance(parsed, datetime):
        if parsed.tzinfo is None and parsed.time() == datetime.min.time():
            return parsed.date().isoformat()  # a bare midnight is a day written as a time
        return parsed.isoformat(timespec="seconds")
    return parsed.isoformat()


def find_dateline(tree: HtmlElement, latest: datetime) -> str | None:
    """A day written with month names in a dateline-like element, as YYYY-MM-DD."""
    for element in tree.xpath(_DATELINE_XPATH)[:_MAX_DATELINES]:
        text = " ".join(element.text_content().split())
        if not text or len(text) > _MAX_DATELINE_CHARS:
            continue
        found = read_day(text)
        if found and _plausible(found, latest):
            return found.isoformat()
    return None


def read_day(text: str) -> date | None:
    """The first "15 آذار 2026" / "3 February 2026" / "February 3, 2026" in ``text``."""
    norm = normalize(text).text
    match = _DAY_MONTH_YEAR.search(norm)
    if match:
        return _safe_date(int(match.group(3)), _MONTH_KEYS[match.group(2)], int(match.group(1)))
    match = _MONTH_DAY_YEAR.search(norm)
    if match:
        return _safe_date(int(match.group(3)), _MONTH_KEYS[match.group(1)], int(match.group(2)))
    return None


def _parse_datetime(value: str) -> datetime | date | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)  # RFC 822, as RSS feeds write dates
    except (TypeError, ValueError, IndexError):
        pass
    match = _NUMERIC.match(value)
    return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plausible(value: datetime | date, latest: datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    if day < _MIN_DATE:
        return False
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value <= latest
    return day <= latest.date()
