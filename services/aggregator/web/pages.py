"""The view's HTML pages, rendered by Jinja2 with autoescaping from the query layer's answers.

Each function takes what the API would answer from (the view's documents and the query
string) and returns the page; a bad parameter raises the API's :class:`QueryError`, whose
message the 400 page shows. Nothing here builds HTML by hand: every value goes through the
templates' autoescaping, so article text is shown as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

import jinja2

from services.aggregator.query import list_incidents, list_tolls
from services.aggregator.web.chart import toll_chart
from services.aggregator.web.reports import DATE_BASES, explain_estimate, reports_of, when
from services.aggregator.web.safe import coordinate, integer, text
from shared.vocabulary import KINDS, VICTIMS

# The filters of GET /incidents, in the order the form shows them; paging is apart.
FILTERS = ("country", "place", "kind", "victims", "actor", "since", "until", "min_sources")
PAGING = ("limit", "offset")
MAX_TOLLS_SHOWN = 20  # the index lists the largest running tolls; all of them are in /tolls.csv
INCIDENT_DATE_BASES = {
    "text": "a report states the date",
    "published": "publication or statement days only: the event may be earlier",
    "received": "no report gives a date: the day they were received",
}


@cache
def environment() -> jinja2.Environment:
    """The templates, autoescaped whatever their name, failing on an undefined name."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("services.aggregator.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=when, segment=lambda v: quote(str(v), safe=""), num=_num)
    return env


def _num(value: object) -> str:
    number = integer(value)
    return f"{number:,}" if number is not None else "?"


@dataclass(frozen=True, slots=True)
class Row:
    """One incident as the index lists it."""

    id: str
    event_date: str
    place: str
    country: str
    kind: str
    victims: str
    best: int | None
    low: int | None
    high: int | None
    sources: int | None
    actor: str


def _row(doc: Mapping[str, Any]) -> Row:
    return Row(
        id=text(doc.get("id")),
        event_date=text(doc.get("event_date"), 40),
        place=text(doc.get("place")),
        country=text(doc.get("country"), 2),
        kind=text(doc.get("kind"), 20),
        victims=text(doc.get("victims"), 20),
        best=integer(doc.get("best")),
        low=integer(doc.get("low")),
        high=integer(doc.get("high")),
        sources=integer(doc.get("sources")),
        actor=text(doc.get("actor")),
    )


def _query(params: Mapping[str, str], **changes: int) -> str:
    """The query string of ``params`` (filters and paging) with ``changes``."""
    kept = {k: params[k] for k in (*FILTERS, *PAGING) if params.get(k)}
    return urlencode(kept | {k: str(v) for k, v in changes.items()})


def index_page(
    incidents: Iterable[Mapping[str, Any]], tolls: Iterable[Mapping[str, Any]], params: Mapping[str, str]
) -> str:
    """``GET /``: incidents newest first with the API's filters, paged; the running tolls apart."""
    answer = list_incidents(incidents, params)
    toll_answer = list_tolls(tolls, params)
    limit, offset, total = answer["limit"], answer["offset"], answer["total"]
    filters = {k: params[k] for k in FILTERS if params.get(k)}
    return (
        environment()
        .get_template("index.html")
        .render(
            rows=[_row(d) for d in answer["incidents"]],
            total=total,
            first=offset + 1 if answer["incidents"] else 0,
            last=offset + len(answer["incidents"]),
            previous=_query(params, offset=max(0, offset - limit)) if offset > 0 else None,
            next=_query(params, offset=offset + limit) if offset + limit < total else None,
            filters=filters,
            exports=_exports(urlencode(filters)),
            kinds=KINDS,
            victims=VICTIMS,
            tolls=[_toll_row(t) for t in toll_answer["tolls"][:MAX_TOLLS_SHOWN]],
            tolls_total=toll_answer["total"],
        )
    )


def _exports(query: str) -> dict[str, str]:
    """The export links for the filters shown: the same incidents, every page of them."""
    tail = f"?{query}" if query else ""
    return {
        "csv": f"/incidents.csv{tail}",
        "hxl": f"/incidents.csv?{query + '&' if query else ''}hxl=1",
        "geojson": f"/incidents.geojson{tail}",
    }


def _toll_row(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": text(doc.get("id")),
        "place": text(doc.get("place")),
        "country": text(doc.get("country"), 2),
        "kind": text(doc.get("kind"), 20),
        "victims": text(doc.get("victims"), 20),
        "latest": integer(doc.get("latest")),
        "latest_published": text(doc.get("latest_published"), 40),
        "sources": integer(doc.get("sources")),
    }


def incident_page(doc: Mapping[str, Any]) -> str:
    """One incident: place, estimate and how it was chosen, every report side by side."""
    reports = reports_of(doc, "reports")
    best = integer(doc.get("best"))
    breakdown = doc.get("breakdown")
    return (
        environment()
        .get_template("incident.html")
        .render(
            incident=_row(doc),
            admin1=text(doc.get("admin1")),
            place_id=integer(doc.get("place_id")),
            lat=coordinate(doc.get("lat"), 90.0),
            lon=coordinate(doc.get("lon"), 180.0),
            date_basis=INCIDENT_DATE_BASES.get(text(doc.get("date_basis"), 20), ""),
            last_event_date=text(doc.get("last_event_date"), 40),
            first_reported=text(doc.get("first_reported"), 40),
            last_reported=text(doc.get("last_reported"), 40),
            explanation=explain_estimate(best, reports),
            breakdown=[
                (text(k), v)
                for k, v in (breakdown.items() if isinstance(breakdown, dict) else [])
                if integer(v)
            ],
            reports=reports,
            date_bases=DATE_BASES,
        )
    )


def toll_page(doc: Mapping[str, Any]) -> str:
    """One running toll: its history as a line chart, each point linked to its report."""
    history = reports_of(doc, "history")
    return (
        environment()
        .get_template("toll.html")
        .render(
            toll=_toll_row(doc),
            place_id=integer(doc.get("place_id")),
            chart=toll_chart(history),
            history=history,
            date_bases=DATE_BASES,
        )
    )


def error_page(status: int, title: str, message: str) -> str:
    """A 400 or 404 page: what was wrong, in the API's words."""
    return environment().get_template("error.html").render(status=status, title=title, message=message)
