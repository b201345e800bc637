"""Incidents are a function of the block's reports, not of the order they arrive in."""

from __future__ import annotations

import itertools
import random

from services.aggregator.documents import RETIRED
from services.aggregator.entry import follow, memory_state, merge
from services.aggregator.observations import figure_events
from services.aggregator.view import IncidentView
from shared import codec
from tests.services.aggregator.conftest import article, figure, new_state
from tests.services.aggregator.test_incidents import _without_ids, fold

STRIKE = "2026-11-24"


def _reports() -> list[object]:
    """One strike told by five outlets in the ways real reporting tells it, and another town's."""
    return [
        article("a", figure(20, event_date=STRIKE, date_basis="relative"), site="a.example"),
        article("b", figure(31), site="b.example", published="2026-11-25T08:00:00Z"),  # a day later
        article("c", figure(12), figure(37), site="c.example", published="2026-11-26T08:00:00Z"),
        article("d", figure(35), site="d.example", published=None, entered_at=1.8e9),  # undated
        article("e", figure(9, place="Raqqa"), site="e.example", published="2026-11-24T11:00:00Z"),
        article("f", figure(40, kind="injured"), site="f.example"),
    ]


def test_every_arrival_order_builds_the_same_incidents() -> None:
    items = _reports()
    reference = new_state()
    fold(reference, *items)
    orders = list(itertools.permutations(items))
    for order in random.Random(7).sample(orders, 60):
        state = new_state()
        fold(state, *order)  # type: ignore[arg-type]
        assert _without_ids(state) == _without_ids(reference)
    killed = [d for d in reference.incidents.values() if d["kind"] == "killed"]
    town = next(d for d in killed if d["place"] == "Maarat Misrin")
    assert (town["low"], town["high"], town["sources"], town["event_date"]) == (12, 37, 4, STRIKE)


def test_a_report_that_comes_first_in_the_canonical_order_retires_the_id_the_view_knew() -> None:
    # The follow-up arrives first and opens the incident; the report whose text gives the day then
    # anchors it: the incident takes that report's id, and the first id is retired, not left behind.
    follow_up = article("b", figure(31), site="b.example", published="2026-11-26T08:00:00Z")
    strike = article("a", figure(20, event_date=STRIKE, date_basis="relative"), site="a.example")
    state, view = memory_state(), IncidentView()
    records = []
    for item in (follow_up, strike):
        for event in figure_events(item, "2026-11-27"):  # type: ignore[arg-type]
            records += merge(codec.dumps(event), state, window_days=1, now=1.0)
    assert RETIRED in {r.type for r in records}
    for record in records:
        follow(codec.dumps(record), view)
    assert list(view.incidents) == list(state.incidents)
    [incident] = view.incidents.values()
    assert incident["sources"] == 2
