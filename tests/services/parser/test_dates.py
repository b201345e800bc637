"""Publication dates: ISO 8601 from what publishers and feeds write, and Arabic/English datelines."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.html
import pytest

from services.parser.dates import read_day, resolve_date, to_iso

LATEST = datetime(2026, 7, 2, tzinfo=UTC)
NOW = datetime(2026, 7, 1, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-03-14T09:42:00+00:00", "2026-03-14T09:42:00+00:00"),
        ("2026-03-14T09:42:00Z", "2026-03-14T09:42:00+00:00"),
        ("2026-03-14T09:42:00.123+0300", "2026-03-14T09:42:00+03:00"),
        ("2026-03-14", "2026-03-14"),
        ("2026-03-14T00:00:00", "2026-03-14"),
        ("2026-03-14T12:30:00", "2026-03-14T12:30:00"),
        ("Sat, 14 Mar 2026 09:42:00 GMT", "2026-03-14T09:42:00+00:00"),
        ("2026/03/14", "2026-03-14"),
        ("2027-01-01", None),  # after now
        ("1970-01-01T00:00:00Z", None),  # epoch zero from a template
        ("2026-02-30", None),
        ("yesterday", None),
    ],
)
def test_to_iso(value: str, expected: str | None) -> None:
    assert to_iso(value, LATEST) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الأحد 15 آذار 2026", date(2026, 3, 15)),
        ("22 يناير، 2026", date(2026, 1, 22)),
        ("نشر في: 3 تشرين الثاني 2025 - 10:30", date(2025, 11, 3)),
        ("٩ أبريل ٢٠٢٦", date(2026, 4, 9)),
        ("Tuesday 3 February 2026", date(2026, 2, 3)),
        ("Updated Feb. 3, 2026 at 10:00", date(2026, 2, 3)),
        ("منذ ساعتين", None),
        ("31 شباط 2026", None),
    ],
)
def test_read_day(text: str, expected: date | None) -> None:
    assert read_day(text) == expected


def _tree(body: str, head: str = "") -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>")


def test_declared_date_wins_over_the_page() -> None:
    tree = _tree('<span class="date">1 March 2026</span>')
    found = resolve_date([("2026-03-02T08:00:00+02:00", "jsonld")], tree, None, "2026-03-03", NOW)
    assert found == ("2026-03-02T08:00:00+02:00", "jsonld", [])


def test_order_htmldate_then_feed_then_dateline() -> None:
    dated = _tree("<p>Body</p>", '<meta name="date" content="2026-03-01">')
    assert resolve_date([], dated, None, "2026-03-03", NOW)[:2] == ("2026-03-01", "htmldate")
    tree = _tree('<p>Body</p><div class="post-date">الأحد 15 آذار 2026</div>')
    assert resolve_date([], tree, None, "2026-03-03", NOW)[:2] == ("2026-03-03", "feed")
    assert resolve_date([], tree, None, None, NOW)[:2] == ("2026-03-15", "dateline")
    assert resolve_date([], _tree("<p>Body</p>"), None, None, NOW) == (None, None, ["no_date"])
