"""The aggregator's per-message functions: route, merge over plain dicts, and the view's follow."""

from __future__ import annotations

import orjson
import pytest

from services.aggregator.entry import follow, memory_state, merge, route
from services.aggregator.view import IncidentView
from shared import codec
from shared.records import BadRecord
from tests.services.aggregator.conftest import article, figure


def _wire(record: object) -> bytes:
    return codec.dumps(record)


def test_an_article_goes_through_route_merge_and_follow() -> None:
    events = route(_wire(article("a", figure(12))), today="2026-11-26")
    state, view = memory_state(), IncidentView()
    [record] = merge(_wire(events[0]), state, window_days=1, now=5.0)
    follow(_wire(record), view)
    [doc] = view.incidents.values()
    assert (doc["best"], doc["country"], doc["updated_at"]) == (12, "SY", 5.0)
    # A redelivery changes no state but sends the document again: the first send may be what a
    # crash lost after the table writes had landed.
    [again] = merge(_wire(events[0]), state, window_days=1, now=6.0)
    assert (again.id, again.data) == (record.id, record.data)


def test_a_poisoned_event_leaves_the_state_untouched() -> None:
    [event] = route(_wire(article("a", figure(12))), today="2026-11-26")
    state = memory_state()
    bad = orjson.loads(_wire(event)) | {"event_date": "99999-01-01"}
    with pytest.raises(BadRecord, match="event_date"):
        merge(orjson.dumps(bad), state, window_days=1, now=5.0)
    assert state == memory_state()
    assert len(merge(_wire(event), state, window_days=1, now=5.0)) == 1


def test_follow_refuses_what_would_become_a_label_or_break_a_scrape() -> None:
    [event] = route(_wire(article("a", figure(12))), today="2026-11-26")
    [record] = merge(_wire(event), memory_state(), window_days=1, now=5.0)
    doc = orjson.loads(_wire(record))
    view = IncidentView()
    for data in ({"country": "wire.example"}, {"victims": "people of Saraqib"}, {"sources": "3"}):
        with pytest.raises(BadRecord, match="bad_value"):
            follow(orjson.dumps(doc | {"data": doc["data"] | data}), view)
    for value in (b"", b"[]", b"{"):
        with pytest.raises(BadRecord):
            follow(value, view)
    assert view.incidents == {}
