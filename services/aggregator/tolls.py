"""Running tolls: cumulative figures ("the toll since the war began has reached N") as series."""

from __future__ import annotations

from services.aggregator.documents import TOLL, add_toll_report, replace_report, stable_id
from services.aggregator.writes import AggregatorState, Change, as_copy, home_of, other_copy, settle
from shared.records import FigureEvent


def toll_id(event: FigureEvent) -> str:
    """One running-toll series per (country, place, kind, victims)."""
    place = str(event.place_id or (event.place or "").casefold())
    return stable_id("toll-", event.country or "", place, event.kind, event.victims)


def apply_toll_figure(state: AggregatorState, event: FigureEvent) -> list[Change]:
    """Add a cumulative figure to its toll series; never to an incident."""
    key = toll_id(event)
    toll = home_of(state, event, state.tolls, key)
    if toll is not None:
        report = next(r for r in toll["history"] if r["figure_id"] == event.figure_id)
        if report["count"] != event.count:  # extracted again, differently
            return settle(state, event, replace_report(toll, event.figure_id, event), changed=True)
        return settle(state, event, toll, changed=False)  # redelivery: completes a cut-short apply
    other = other_copy(state, event, state.tolls)
    if other is not None:
        return as_copy(state, event, *other)
    series = state.tolls.get(key) or {
        "id": key,
        "type": TOLL,
        "kind": event.kind,
        "victims": event.victims,
        "place": event.place,
        "place_id": event.place_id,
        "country": event.country,
        "history": [],
    }
    return settle(state, event, add_toll_report(series, event), changed=True)
