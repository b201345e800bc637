"""When a figure's event happened, as the text tells it, and how that was decided.

The last day the text states before the figure ("on Monday", "يوم أمس", "on 8 April", resolved
against publication by the entity step) is the event's day; a month or a week ("in January",
"earlier this week") names no day, so the figure is a tally over it and the publication day stands
in; with no stated day, the publication day; with no publication day either, nothing ("received":
the aggregator then knows only when the article reached it). A day the text gives to a statement
("officials said on Sunday") is when the toll was told: the event was then or before ("said").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shared.days import iso_day
from shared.records import PUBLISHED, RECEIVED, RELATIVE, SAID, STATED

# A lead states the toll first and the day of the attack right after it, in the same or the next
# sentence ("a raid killed 12 ... The raid on Friday hit"): about two sentences of text.
DAY_AFTER_REACH = 400


def event_day(
    figure: Mapping[str, Any], dates: Sequence[Mapping[str, Any]], published: str | None
) -> tuple[str | None, str]:
    """(event day or None, how it was decided) for one figure, from the text's dates before it."""
    day = iso_day(published)
    if not figure.get("in_title"):
        start = figure.get("start") or 0
        # Title dates have offsets into the title, not the body: not comparable with the figure's.
        stated = [
            d
            for d in dates
            if not d.get("in_title") and (d.get("end") or 0) <= start and iso_day(d.get("iso")) is not None
        ]
        # A date after publication is a misreading ("on Thursday" resolved forward): skip it.
        stated = [d for d in stated if day is None or str(iso_day(d["iso"])) <= day]
        if stated and stated[-1].get("precision", "day") == "day":
            return iso_day(stated[-1]["iso"]), _basis(stated[-1])
        if not stated:
            later = _day_after(start, dates, day)
            if later is not None:
                return iso_day(later["iso"]), _basis(later)
    if day is not None:
        return day, PUBLISHED
    return None, RECEIVED


def _basis(date: Mapping[str, Any]) -> str:
    """How a text's day dates the figure: a statement's day bounds it; else the text states it."""
    if date.get("said"):
        return SAID
    return RELATIVE if date.get("relative") else STATED


def _day_after(start: int, dates: Sequence[Mapping[str, Any]], day: str | None) -> Mapping[str, Any] | None:
    """The first day stated shortly after a figure that no date precedes, not after publication."""
    for d in dates:
        if (
            d.get("in_title")
            or (d.get("start") or 0) < start
            or (d.get("start") or 0) > start + DAY_AFTER_REACH
        ):
            continue
        iso = iso_day(d.get("iso"))
        if iso is None or d.get("precision", "day") != "day" or (day is not None and str(iso) > day):
            continue
        return d
    return None
