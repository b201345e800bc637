"""When two reports describe the same incident: the merge policy, as named functions.

Two figures are one incident when they have the same kind (guaranteed by the
block), compatible victims, the same place or one place inside the other's
area, event dates within the window, compatible actors, and come from
different articles. Among several candidates the most specific place match
wins, then the closest date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rapidfuzz import fuzz

from shared.records import FigureEvent

# "people" is what a report says when it does not say who: it can be either side.
_GENERIC_VICTIMS = "people"
_ADMIN_LEVELS = frozenset({"admin1", "admin2", "region", "governorate", "province"})
# Place names spelt differently by two outlets ("Khan Yunis", "Khan Younis").
_SAME_NAME_RATIO = 85

PLACE_EXACT, PLACE_INSIDE, PLACE_COUNTRY = 3, 2, 1


def victims_compatible(a: str, b: str) -> bool:
    """Same victims, or one side unspecified; children and women only match themselves."""
    if a == b:
        return True
    if {a, b} & {"children", "women"}:
        return False
    return _GENERIC_VICTIMS in (a, b)


def actors_compatible(a: str | None, b: str | None) -> bool:
    """Same actor, or one report does not say."""
    return a is None or b is None or a == b


def _norm(name: str) -> str:
    lowered = name.casefold().replace("-", " ").replace("'", "")
    for article in ("al ", "el ", "ar ", "as ", "ad ", "ash ", "at ", "az "):
        lowered = lowered.removeprefix(article)
    return lowered.replace(" ", "")


def place_match(event: FigureEvent, incident: dict[str, Any]) -> int:
    """How well the places agree: 3 same place, 2 one inside the other's area, 1 same country, 0 no."""
    if event.place is None or incident.get("place") is None:
        return 0  # an unplaced figure is never merged: too many incidents would look alike
    if event.place_id is not None and event.place_id == incident.get("place_id"):
        return PLACE_EXACT
    if fuzz.ratio(_norm(event.place), _norm(incident["place"])) >= _SAME_NAME_RATIO:
        return PLACE_EXACT
    if event.country != incident.get("country"):
        return 0
    levels = (event.place_level, incident.get("place_level"))
    if "country" in levels:
        return PLACE_COUNTRY
    admins = (event.admin1, incident.get("admin1"))
    if any(level in _ADMIN_LEVELS for level in levels) and admins[0] and admins[0] == admins[1]:
        return PLACE_INSIDE
    return 0


def days_apart(a: str, b: str) -> int:
    """Whole days between two ISO dates."""
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def is_candidate(event: FigureEvent, incident: dict[str, Any], window_days: int) -> bool:
    """True when ``event`` may describe ``incident`` (see the module docstring)."""
    return (
        event.article_id not in incident.get("articles", ())
        and victims_compatible(event.victims, incident["victims"])
        and actors_compatible(event.actor, incident.get("actor"))
        and days_apart(event.event_date, incident["event_date"]) <= window_days
        and place_match(event, incident) > 0
    )


def best_candidate(event: FigureEvent, summaries: list[dict[str, Any]], window_days: int) -> str | None:
    """The id of the incident ``event`` joins, or None for a new incident."""
    candidates = [s for s in summaries if is_candidate(event, s, window_days)]
    if not candidates:
        return None

    def rank(s: dict[str, Any]) -> tuple[int, int, str]:
        return (-place_match(event, s), days_apart(event.event_date, s["event_date"]), s["id"])

    return str(min(candidates, key=rank)["id"])
