"""The aggregator's read side: validated queries over incidents and tolls, and rollups.

Every parameter is checked here and a bad one raises :class:`QueryError` with a
message for the client (HTTP 400); nothing from the request reaches the data
unchecked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.vocabulary import KINDS, VICTIMS

GROUPS = ("country", "place", "actor", "day", "kind", "victims")
MAX_LIMIT = 500  # a page is bounded: the API must not serialise the world in one answer
DEFAULT_LIMIT = 50
_MAX_PARAM_CHARS = 200
# What the OpenAPI description promises, checked exactly: ``int()`` alone would take " 3", "3_000"
# and Arabic-Indic digits, and ``isalpha()`` any script's letters.
_INTEGER = re.compile(r"-?[0-9]{1,20}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COUNTRY = re.compile(r"[A-Za-z]{2}")
GROUP_BY_PATTERN = "^({0})(,({0}))*$".format("|".join(GROUPS))


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


def _raw(params: Mapping[str, str], name: str) -> str | None:
    """The parameter as given (``""`` included), or None when absent; bounded in length."""
    value = params.get(name)
    if value is not None and len(value) > _MAX_PARAM_CHARS:
        raise QueryError(f"{name}: at most {_MAX_PARAM_CHARS} characters")
    return value


def _text(params: Mapping[str, str], name: str) -> str | None:
    """A free-text parameter; empty is the same as absent."""
    return _raw(params, name) or None


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _raw(params, name)
    if raw is None:
        return default
    if not _INTEGER.fullmatch(raw):
        raise QueryError(f"{name}: expected an integer, got {raw[:40]!r}")
    value = int(raw)
    if not low <= value <= high:
        raise QueryError(f"{name}: must be between {low} and {high}")
    return value


def _choice(params: Mapping[str, str], name: str, allowed: Iterable[str]) -> str | None:
    raw = _raw(params, name)
    if raw is not None and raw not in allowed:
        raise QueryError(f"{name}: expected one of {', '.join(allowed)}")
    return raw


def _day(params: Mapping[str, str], name: str) -> str | None:
    raw = _raw(params, name)
    if raw is None:
        return None
    try:
        if not _DAY.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise QueryError(f"{name}: expected a date as YYYY-MM-DD, got {raw[:40]!r}") from None


def _country(params: Mapping[str, str]) -> str | None:
    raw = _raw(params, "country")
    if raw is None:
        return None
    if not _COUNTRY.fullmatch(raw):
        raise QueryError("country: expected an ISO 3166 two-letter code such as SY")
    return raw.upper()


def parse_filter(params: Mapping[str, str]) -> IncidentFilter:
    """The incident filter a query string asks for."""
    flt = IncidentFilter(
        country=_country(params),
        place_id=_int(params, "place_id", 0, 1, 2**31) if _raw(params, "place_id") is not None else None,
        place=(_text(params, "place") or "").casefold() or None,
        kind=_choice(params, "kind", KINDS),
        victims=_choice(params, "victims", VICTIMS),
        actor=(_text(params, "actor") or "").casefold() or None,
        since=_day(params, "since"),
        until=_day(params, "until"),
        min_sources=_int(params, "min_sources", 1, 1, 10_000),
    )
    # since after until is a valid, empty range: it matches nothing rather than being an error.
    return flt


def _listing(doc: Mapping[str, Any]) -> dict[str, Any]:
    """An incident without its reports, for lists."""
    return {k: v for k, v in doc.items() if k != "reports"} | {"reports": len(doc.get("reports", ()))}


def matching_incidents(
    incidents: Iterable[Mapping[str, Any]], params: Mapping[str, str]
) -> list[Mapping[str, Any]]:
    """Every incident the query's filters accept, newest event first (the API pages it, exports stream it)."""
    flt = parse_filter(params)
    return sorted(
        (d for d in incidents if flt.accepts(d)),
        key=lambda d: (d.get("event_date") or "", d.get("last_reported") or "", d["id"]),
        reverse=True,
    )


def list_incidents(incidents: Iterable[Mapping[str, Any]], params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /incidents``: filtered, newest first, paginated."""
    matched = matching_incidents(incidents, params)
    limit = _int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 10_000_000)
    page = [_listing(d) for d in matched[offset : offset + limit]]
    return {"incidents": page, "total": len(matched), "limit": limit, "offset": offset}


def _group_value(doc: Mapping[str, Any], group: str) -> Any:
    if group == "day":
        return str(doc.get("event_date") or "")[:10] or None
    return doc.get(group)


def totals(incidents: Iterable[Mapping[str, Any]], params: Mapping[str, str]) -> dict[str, Any]:
    """``GET /totals``: sums of incident estimates, grouped as asked (default by kind)."""
    raw = _raw(params, "group_by")
    if raw is not None and not re.fullmatch(GROUP_BY_PATTERN, raw):
        raise QueryError(f"group_by: a comma-separated list of fields from {', '.join(GROUPS)}")
    groups = list(dict.fromkeys((raw or "kind").split(",")))  # a field named twice groups once
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
    country = _country(params)
    kind = _choice(params, "kind", KINDS)
    place = (_text(params, "place") or "").casefold() or None
    chosen = [
        t
        for t in tolls
        if (country is None or t.get("country") == country)
        and (kind is None or t.get("kind") == kind)
        and (place is None or str(t.get("place") or "").casefold() == place)
    ]
    chosen.sort(key=lambda t: (-int(t.get("latest") or 0), t["id"]))
    return {"tolls": chosen, "total": len(chosen)}
