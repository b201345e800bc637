from __future__ import annotations

from prometheus_client import CollectorRegistry, generate_latest

from services.aggregator.gauges import CasualtyGauges
from services.aggregator.view import IncidentView


def test_newer_versions_replace_older_and_gauges_sum_best_estimates() -> None:
    view = IncidentView()
    view.apply(
        {
            "id": "i1",
            "type": "incident",
            "updated_at": 2,
            "data": {"kind": "killed", "country": "SY", "victims": "civilians", "best": 12},
        }
    )
    view.apply(
        {
            "id": "i1",
            "type": "incident",
            "updated_at": 1,
            "data": {"kind": "killed", "country": "SY", "victims": "civilians", "best": 5},
        }
    )
    view.apply(
        {
            "id": "i2",
            "type": "incident",
            "updated_at": 3,
            "data": {"kind": "killed", "country": "SY", "victims": "civilians", "best": 3},
        }
    )
    view.apply(
        {
            "id": "t1",
            "type": "toll",
            "updated_at": 3,
            "data": {"kind": "killed", "country": "SY", "latest": 900},
        }
    )
    view.apply({"id": "x", "type": "unknown", "data": {}})
    assert view.incidents["i1"]["best"] == 12
    registry = CollectorRegistry()
    registry.register(CasualtyGauges(view))
    text = generate_latest(registry).decode()
    assert 'wirecount_aggregator_casualties{country="SY",kind="killed",victims="civilians"} 15.0' in text
    assert 'wirecount_aggregator_incidents{kind="killed"} 2.0' in text
    assert 'wirecount_aggregator_toll_latest{country="SY",kind="killed"} 900.0' in text
