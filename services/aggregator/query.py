"""The aggregator's read side: validated queries over incidents and tolls, and rollups.

Every parameter is checked here and a bad one raises :class:`QueryError` with a
message for the client (HTTP 400); nothing from the request reaches the data
unchecked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

KINDS = ("killed", "injured", "captured", "missing")
VICTIMS = ("people", "civilians", "children", "women", "combatants")
GROUPS = ("country", "place", "actor", "day", "kind", "victims")
MAX_LIMIT = 500  # a page is bounded: the API must not serialise the world in one answer
DEFAULT_LIMIT = 50
_MAX_PARAM_CHARS = 200


class QueryError(ValueError):
    """A query parameter the API cannot accept; the message says which and why."""


@dataclass(frozen=True)
class IncidentFilter:
    """Which incidents a query asks for."""

    country: str | None = None
    place_id: int | None = None
    place: str | None = None
    kind: str | None = None
    victims: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    min_sources: int = 1

    def accepts(self, doc: Mapping[str, Any]) -> bool:
        """True when ``doc`` (an incident) passes every given condition."""
        day = str(doc.get("event_date") or "")
        return (
            (self.country is None or doc.get("country") == self.country)
            and (self.place_id is None or doc.get("place_id") == self.place_id)
            and (self.place is None or str(doc.get("place") or "").casefold() == self.place)
            and (self.kind is None or doc.get("kind") == self.kind)
            and (self.victims is None or doc.get("victims") == self.victims)
            and (self.actor is None or str(doc.get("actor") or "").casefold() == self.actor)
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
            and int(doc.get("sources") or 0) >= self.min_sources
        )


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if len(value) > _MAX_PARAM_CHARS:
        raise QueryError(f"{name}: at most {_MAX_PARAM_CHARS} characters")
    return value


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _text(params, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"{name}: expected an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise QueryError(f"{name}: must be between {low} and {high}")
    return value


def _choice(params: Mapping[str, str], name: str, allowed: Iterable[str]) -> str | None:
    raw = _text(params, name)
    if raw is not None and raw not in allowed:
        raise QueryError(f"{name}: expected one of {', '.join(allowed)}")
    return raw


def _day(params: Mapping[str, str], name: str) -> str | None:
    raw = _text(params, name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw[:10]).isoformat()
    except ValueError:
        raise QueryError(f"{name}: expected a date as YYYY-MM-DD, got {raw!r}") from None


def parse_filter(params: Mapping[str, str]) -> IncidentFilter:
    """The incident filter a query string asks for."""
    country = _text(params, "country")
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise QueryError("country: expected an ISO 3166 two-letter code such as SY")
    place_id = _text(params, "place_id")
    flt = IncidentFilter(
        country=country.upper() if country else None,
        place_id=_int(params, "place_id", 0, 1, 2**31) if place_id else None,
        place=(_text(params, "place") or "").casefold() or None,
        kind=_choice(params, "kind", KINDS),
        victims=_choice(params, "victims", VICTIMS),
        actor=(_text(params, "actor") or "").casefold() or None,
        since=_day(params, "since"),
        until=_day(params, "until"),
        min_sources=_int(params, "min_sources", 1, 1, 10_000),
    )
    if flt.since and flt.until and flt.since > flt.until:
        raise QueryError("since: must not be after until")
    return flt


def _listing(doc: Mapping[str, Any]) -> dict[str, Any]:
    """An incident without its reports, for lists."""
    return {k: v for k, v in doc.items() if k != "reports"} | {"reports": len(doc.get("reports", ()))}


def list_incidents(incidents: Iterable[Mapping[str, Any]], params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /incidents``: filtered, newest first, paginated."""
    flt = parse_filter(params)
    limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 10_000_000)
    matched = sorted(
        (d for d in incidents if flt.accepts(d)),
        key=lambda d: (d.get("event_date") or "", d.get("last_reported") or "", d["id"]),
        reverse=True,
    )
    page = [_listing(d) for d in matched[offset : offset + limit]]
    return {"incidents": page, "total": len(matched), "limit": limit, "offset": offset}


def _group_value(doc: Mapping[str, Any], group: str) -> Any:
    if group == "day":
        return str(doc.get("event_date") or "")[:10] or None
    return doc.get(group)


def totals(incidents: Iterable[Mapping[str, Any]], params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /totals``: sums of incident estimates, grouped as asked (default by kind)."""
    raw = _text(params, "group_by") or "kind"
    groups = [g.strip() for g in raw.split(",") if g.strip()]
    unknown = [g for g in groups if g not in GROUPS]
    if unknown or not groups or len(set(groups)) != len(groups):
        raise QueryError(f"group_by: a comma-separated list of distinct fields from {', '.join(GROUPS)}")
    flt = parse_filter(params)
    sums: dict[tuple[Any, ...], dict[str, int]] = defaultdict(
        lambda: {"best": 0, "low": 0, "high": 0, "incidents": 0}
    )
    for doc in incidents:
        if not flt.accepts(doc):
            continue
        row = sums[tuple(_group_value(doc, g) for g in groups)]
        for field in ("best", "low", "high"):
            row[field] += int(doc.get(field) or 0)
        row["incidents"] += 1
    rows = [dict(zip(groups, key, strict=True)) | value for key, value in sums.items()]
    rows.sort(key=lambda r: (-r["best"], [str(r[g]) for g in groups]))
    return {"group_by": groups, "totals": rows}


def list_tolls(tolls: Iterable[Mapping[str, Any]], params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /tolls``: running-toll series, largest latest value first."""
    country = _text(params, "country")
    kind = _choice(params, "kind", KINDS)
    place = (_text(params, "place") or "").casefold() or None
    chosen = [
        t
        for t in tolls
        if (country is None or t.get("country") == country.upper())
        and (kind is None or t.get("kind") == kind)
        and (place is None or str(t.get("place") or "").casefold() == place)
    ]
    chosen.sort(key=lambda t: (-int(t.get("latest") or 0), t["id"]))
    return {"tolls": chosen, "total": len(chosen)}
