"""The aggregator's per-message functions: route (articles to figure events) and merge (events to incidents).

The worker wraps each in ``StageRuntime.handle`` (merge over its faust tables);
the fuzz harness (``tools/fuzz.py``) calls them directly, merge over
:func:`memory_state`, so what is fuzzed is what runs. Rejected input raises
:class:`shared.records.BadRecord`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import orjson

from services.aggregator.documents import INCIDENT, RETIRED, TOLL
from services.aggregator.incidents import apply_figure
from services.aggregator.observations import check_event, country_code, figure_events
from services.aggregator.view import IncidentView
from services.aggregator.writes import AggregatorState
from shared.records import BadRecord, ExtractedArticle, FigureEvent, IncidentRecord, decode, from_payload
from shared.vocabulary import KINDS, VICTIMS


def route(value: bytes, *, today: str) -> list[FigureEvent]:
    """Figure events of one ``articles.extracted`` message (send each keyed by its ``block``)."""
    article = decode(ExtractedArticle, value)
    return figure_events(article, today)


def merge(value: bytes, state: AggregatorState, *, window_days: int, now: float) -> list[IncidentRecord]:
    """Fold one ``aggregator.figures`` message into ``state``; the changed incidents (keyed by ``id``)."""
    event = decode(FigureEvent, value)
    check_event(event)  # the topic is writable by anyone: state must never take a poisoned event
    return [
        IncidentRecord(id=c.id, type=c.type, data=c.doc, updated_at=now, entered_at=event.entered_at)
        for c in apply_figure(state, event, window_days)
    ]


def memory_state() -> AggregatorState:
    """Empty aggregator state in plain dicts (tests and the fuzz harness; the worker uses tables)."""
    return AggregatorState(figures={}, blocks={}, incidents={}, tolls={})


def follow(value: bytes | None, view: IncidentView) -> None:
    """Apply one ``casualties.incidents`` record to ``view``; BadRecord (view unchanged) when it is not one.

    The view feeds the API and the casualty gauges, whose labels are its country, kind and
    victims: a record that would put anything else there is refused.
    """
    record = from_payload(IncidentRecord, _json(value))
    data = record.data
    if record.type == RETIRED:  # merged into another incident: the view forgets it
        view.apply(_json(value))
        return
    problems = [
        name
        for name, ok in (
            ("type", record.type in (INCIDENT, TOLL)),
            ("kind", _one_of(data.get("kind"), KINDS)),
            ("victims", _one_of(data.get("victims", "people"), VICTIMS)),
            ("country", data.get("country") is None or country_code(data.get("country")) is not None),
            *_shape(data, record.type),
        )
        if not ok
    ]
    if problems:
        raise BadRecord("bad_value", f"IncidentRecord has invalid {', '.join(problems)}")
    view.apply(_json(value))


def _json(value: bytes | None) -> Any:
    if not value:
        raise BadRecord("empty", "message has no value")
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        raise BadRecord("not_json", str(exc)[:200]) from None


# What the API promises of a document (the OpenAPI ``Incident`` schema), and what sorting, grouping
# and the gauges rely on: the type of each field, and which an incident must have.
_TEXT = (str, type(None))
_FIELDS: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "place": _TEXT,
    "place_id": (int, type(None)),
    "actor": _TEXT,
    "event_date": (str,),
    "first_reported": _TEXT,
    "last_reported": _TEXT,
    "best": (int,),
    "low": (int,),
    "high": (int,),
    "sources": (int,),
    "latest": (int,),
    "sites": (list,),
    "breakdown": (dict,),
}
_INCIDENT_REQUIRED = ("id", "kind", "victims", "best", "low", "high", "sources", "event_date")


def _shape(data: dict[str, Any], kind: str) -> list[tuple[str, bool]]:
    checks = [
        (name, name in data and not isinstance(data[name], bool) and isinstance(data[name], types))
        for name, types in _FIELDS.items()
        if name in data or (kind == INCIDENT and name in _INCIDENT_REQUIRED)
    ]
    sites, breakdown = data.get("sites", []), data.get("breakdown", {})
    checks.append(("sites", not isinstance(sites, list) or all(isinstance(x, str) for x in sites)))
    counts = breakdown.values() if isinstance(breakdown, dict) else []
    checks.append(("breakdown", all(isinstance(x, int) and not isinstance(x, bool) for x in counts)))
    return checks


def _one_of(value: object, allowed: Collection[str]) -> bool:
    return isinstance(value, str) and value in allowed
