"""Incidents and running tolls built from figure events, idempotently.

State lives in four mappings (faust tables in the worker, dicts in tests):

- ``figures``: figure id -> where it went; a redelivered figure changes nothing,
  and a republished article (same content hash) is recognised by its content key.
- ``blocks``: block key -> summaries of the block's recent incidents, for matching.
- ``incidents``: incident id -> the incident document.
- ``tolls``: toll id -> the running-toll document.

Estimates: ``best`` is the latest report's count, raised to the largest
"at least"/"more than" figure if that is higher (a later "14" does not undo
an earlier "at least 17"); ``low`` and ``high`` are the smallest and largest
counts reported. Subsets ride along as ``breakdown`` from the latest report
that gives one, and never add to the count.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.aggregator.matching import best_candidate
from shared.records import FigureEvent

INCIDENT, TOLL = "incident", "toll"
LOWER_BOUNDS = frozenset({"at_least", "more_than"})
# How long an incident stays open for matching after its last event date.
KEEP_OPEN_DAYS = 7

Doc = dict[str, Any]


@dataclass
class AggregatorState:
    """The mappings incident building reads and writes."""

    figures: MutableMapping[str, Any]
    blocks: MutableMapping[str, Any]
    incidents: MutableMapping[str, Any]
    tolls: MutableMapping[str, Any]


@dataclass(frozen=True, slots=True)
class Change:
    """A document that is new or changed, to publish and serve."""

    type: str
    id: str
    doc: Doc


def content_key(event: FigureEvent) -> str:
    """Identifies the same figure of the same text, whatever URL it was published under."""
    index = event.figure_id.rsplit(":", 1)[-1]
    return f"content:{event.block}|{event.content_hash}|{index}"


def _stable_id(prefix: str, *parts: str) -> str:
    return prefix + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _report(event: FigureEvent) -> Doc:
    return {
        "figure_id": event.figure_id,
        "article_id": event.article_id,
        "url": event.url,
        "site": event.site,
        "published": event.published,
        "count": event.count,
        "qualifier": event.qualifier,
        "victims": event.victims,
        "evidence": event.evidence,
        "start": event.start,
        "end": event.end,
        "subsets": list(event.subsets),
        "entered_at": event.entered_at,
    }


def _by_time(report: Doc) -> tuple[str, str]:
    return (report.get("published") or "", report["figure_id"])


def estimates(reports: list[Doc]) -> tuple[int, int, int]:
    """(best, low, high) from the reports of one incident (rule in the module docstring)."""
    counts = [r["count"] for r in reports]
    latest = max(reports, key=_by_time)["count"]
    floor = max((r["count"] for r in reports if r["qualifier"] in LOWER_BOUNDS), default=0)
    return max(latest, floor), min(counts), max(counts)


def _breakdown(reports: list[Doc]) -> dict[str, int]:
    for report in sorted(reports, key=_by_time, reverse=True):
        if report["subsets"]:
            return {s["victims"]: s["count"] for s in report["subsets"]}
    return {}


def summarise(incident: Doc) -> Doc:
    """Recompute an incident's derived fields from its reports."""
    reports = incident["reports"]
    best, low, high = estimates(reports)
    sites = sorted({r["site"] or r["url"] or r["article_id"] for r in reports})
    published = sorted(r["published"] for r in reports if r.get("published"))
    specific = [r["victims"] for r in reports if r["victims"] != "people"]
    incident.update(
        best=best,
        low=low,
        high=high,
        sources=len(sites),
        sites=sites,
        articles=sorted({r["article_id"] for r in reports}),
        first_reported=published[0] if published else None,
        last_reported=published[-1] if published else None,
        breakdown=_breakdown(reports),
        victims=specific[0] if specific else "people",
        entered_at=min(r["entered_at"] for r in reports),
    )
    return incident


def new_incident(event: FigureEvent) -> Doc:
    """A one-report incident."""
    incident: Doc = {
        "id": _stable_id("inc-", event.block, event.figure_id),
        "type": INCIDENT,
        "kind": event.kind,
        "victims": event.victims,
        "place": event.place,
        "place_id": event.place_id,
        "place_level": event.place_level,
        "admin1": event.admin1,
        "country": event.country,
        "lat": event.lat,
        "lon": event.lon,
        "actor": event.actor,
        "event_date": event.event_date,
        "last_event_date": event.event_date,
        "reports": [_report(event)],
    }
    return summarise(incident)


def _more_specific(incident: Doc, event: FigureEvent) -> None:
    """A village named in a later report beats the province named in the first."""
    if event.place_level in ("city", "village", None) and incident.get("place_level") in (
        "admin1",
        "country",
    ):
        incident.update(
            place=event.place,
            place_id=event.place_id,
            place_level=event.place_level,
            admin1=event.admin1 or incident.get("admin1"),
            lat=event.lat,
            lon=event.lon,
        )
    if incident.get("actor") is None and event.actor is not None:
        incident["actor"] = event.actor


def add_report(incident: Doc, event: FigureEvent) -> Doc:
    """Add (or, for the same figure id, replace) a report in ``incident``."""
    reports = [r for r in incident["reports"] if r["figure_id"] != event.figure_id]
    incident["reports"] = [*reports, _report(event)]
    incident["event_date"] = min(incident["event_date"], event.event_date)
    incident["last_event_date"] = max(incident["last_event_date"], event.event_date)
    _more_specific(incident, event)
    return summarise(incident)


def _summary(incident: Doc) -> Doc:
    keys = ("id", "victims", "actor", "event_date", "place", "place_id", "place_level", "admin1", "country")
    return {k: incident.get(k) for k in keys} | {"articles": incident["articles"]}


def _store_incident(state: AggregatorState, block: str, incident: Doc) -> None:
    state.incidents[incident["id"]] = incident
    summaries = [s for s in (state.blocks.get(block) or []) if s["id"] != incident["id"]]
    summaries.append(_summary(incident))
    newest = max(date.fromisoformat(s["event_date"][:10]) for s in summaries)
    horizon = (newest - timedelta(days=KEEP_OPEN_DAYS)).isoformat()
    state.blocks[block] = [s for s in summaries if s["event_date"] >= horizon]


def apply_incident_figure(state: AggregatorState, event: FigureEvent, window_days: int) -> list[Change]:
    """Fold an incident-scope figure into the incidents; returns what changed."""
    seen = state.figures.get(event.figure_id)
    if seen is not None:
        incident = state.incidents.get(seen["id"])
        if incident is None or seen.get("count") == event.count:
            return []  # redelivery: nothing new
        state.figures[event.figure_id] = {"id": incident["id"], "count": event.count}
        incident = add_report(incident, event)
        _store_incident(state, event.block, incident)
        return [Change(INCIDENT, incident["id"], incident)]
    if state.figures.get(content_key(event)) is not None:
        # The same text under another URL: one report, already counted.
        state.figures[event.figure_id] = {"id": state.figures[content_key(event)]["id"], "count": event.count}
        return []
    match = best_candidate(event, state.blocks.get(event.block) or [], window_days)
    incident = add_report(state.incidents[match], event) if match else new_incident(event)
    state.figures[event.figure_id] = {"id": incident["id"], "count": event.count}
    state.figures[content_key(event)] = {"id": incident["id"]}
    _store_incident(state, event.block, incident)
    return [Change(INCIDENT, incident["id"], incident)]


def toll_id(event: FigureEvent) -> str:
    """One running-toll series per (country, place, kind, victims)."""
    place = str(event.place_id or (event.place or "").casefold())
    return _stable_id("toll-", event.country or "", place, event.kind, event.victims)


def apply_toll_figure(state: AggregatorState, event: FigureEvent) -> list[Change]:
    """Add a cumulative figure to its toll series; never to an incident."""
    if state.figures.get(event.figure_id) is not None or state.figures.get(content_key(event)) is not None:
        return []
    key = toll_id(event)
    toll = state.tolls.get(key) or {
        "id": key,
        "type": TOLL,
        "kind": event.kind,
        "victims": event.victims,
        "place": event.place,
        "place_id": event.place_id,
        "country": event.country,
        "history": [],
    }
    toll["history"] = sorted([*toll["history"], _report(event)], key=_by_time)
    latest = toll["history"][-1]
    toll.update(
        latest=latest["count"],
        latest_published=latest["published"],
        sources=len({r["site"] or r["url"] or r["article_id"] for r in toll["history"]}),
    )
    state.tolls[key] = toll
    state.figures[event.figure_id] = {"id": key, "count": event.count}
    state.figures[content_key(event)] = {"id": key}
    return [Change(TOLL, key, toll)]


def apply_figure(state: AggregatorState, event: FigureEvent, window_days: int) -> list[Change]:
    """Route a figure to incidents or tolls by its scope."""
    if event.scope == "cumulative":
        return apply_toll_figure(state, event)
    return apply_incident_figure(state, event, window_days)
